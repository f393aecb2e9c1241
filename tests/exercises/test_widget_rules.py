"""The rules of issue 22 in the Python widget: a count mismatch is never an attempt, a
predict figure waits for the answer, "New numbers" never repeats the current question,
buttons that cannot work are hidden, units and an asked precision, wrapped options."""
from __future__ import annotations

import pytest

import convlib as cl
from convlib.exercises.task import Task
from convlib.widgets.exercise import CHOICE_CSS


def test_a_pair_in_a_number_question_is_no_attempt_even_on_the_last_try():
    ex = cl.Exercise("Parameters?", answer=936)
    assert not ex.submit("900") and not ex.submit("930")
    assert ex.attempts == 2
    assert not ex.submit("3x3")
    assert ex.attempts == 2 and not ex.revealed
    assert "This question wants one number; you typed 2." in ex.feedback.value
    pair = cl.Exercise("Output size per axis?", answer=(3, 3))
    assert not pair.submit("3")
    assert pair.attempts == 0 and "wants two numbers, like 3x3" in pair.feedback.value


def test_predict_figure_shows_only_with_the_answer():
    ex = cl.Exercise("Predict: output size?", answer=5, reveal="<p>torch: 5</p>")
    ex.submit("4")
    assert ex.attempts == 1 and ex.revealed_view.value == ""
    assert "Try again" in ex.feedback.value
    ex.submit("5")
    assert ex.revealed_view.value == "<p>torch: 5</p>"
    out = cl.Exercise("Predict.", answer=5, reveal="<p>torch: 5</p>")
    for text in ("1", "2"):
        out.submit(text)
        assert out.revealed_view.value == ""
    out.submit("3")                                   # out of attempts: the answer shows
    assert out.revealed and out.revealed_view.value == "<p>torch: 5</p>"


def two_questions(rng) -> dict:
    k = int(rng.choice([3, 5]))
    return dict(question=f"k = {k}: k_eff at d = 2?", answer=cl.effective_kernel_size(k, 2))


def test_new_numbers_never_draws_the_current_question():
    ex = cl.Exercise(generate=two_questions)
    seen = [ex.task.question]
    for _ in range(8):
        ex.new_numbers()
        seen.append(ex.task.question)
    assert all(a != b for a, b in zip(seen, seen[1:]))
    assert len(set(seen)) == 2


def test_new_numbers_draws_unseen_questions_first():
    def many(rng):
        i = int(rng.integers(5, 12))
        return dict(question=f"i = {i}, k = 3: output size?", answer=cl.conv_output_size(i, 3))
    ex = cl.Exercise(generate=many, seed=3)
    seen = [ex.task.question]
    for _ in range(6):
        ex.new_numbers()
        seen.append(ex.task.question)
    assert len(set(seen)) == 7                        # 7 of the 7 sizes 5..11, none twice


def test_one_variant_has_no_new_numbers_button():
    ex = cl.Exercise(generate=lambda rng: dict(question="Always the same?", answer=1))
    assert [b.description for b in ex.buttons] == ["Check", "Hint", "Show answer"]
    assert "New numbers" in [b.description for b in cl.Exercise(generate=two_questions).buttons]


def test_hint_button_hidden_without_a_hint():
    bare = cl.Exercise("Which?", answer="a", choices=["a", "b", "c"])
    assert bare.hint_button.disabled and bare.hint_button.layout.display == "none"
    hinted = cl.Exercise("How many?", answer=3, hint="ceil(i / s)")
    assert not hinted.hint_button.disabled and hinted.hint_button.layout.display is None


def test_units_and_precision_in_the_widget():
    ex = cl.Exercise("GFLOPs of the model?", answer=8.18, decimals=1, unit="G")
    assert ex.question_html.value.endswith("GFLOPs of the model? (to 1 decimal)")
    assert not ex.submit("8.18%") and ex.attempts == 0
    assert "Answer in billions (G)" in ex.feedback.value
    assert ex.submit("8.2")
    ex.show_answer()
    assert "The answer is 8.2G." in ex.feedback.value
    page = ex._repr_mimebundle_()["text/html"]
    assert "(to 1 decimal)" in page and "8.18" not in page and "8.2G" not in page


@pytest.mark.parametrize("rules, answer", [
    ({"unit": "M", "decimals": 1}, 10.312), ({"unit": "%"}, 12.5), ({"unit": "px"}, (3, 3)),
    ({"sig": 3}, 10312345), ({"decimals": 2}, (0.125, 3.14159)), ({"unit": "MB", "sig": 2}, 47.3),
])
def test_revealed_answer_typed_back_is_right(rules, answer):
    task = Task("?", answer=answer, **rules)
    assert task.verdict(task.answer_text()).kind == "right"


@pytest.mark.parametrize("kwargs, name", [
    ({"answer": 3, "unit": "M B"}, "`unit`"), ({"answer": 3, "unit": 6}, "`unit`"),
    ({"answer": 3, "decimals": -1}, "`decimals`"), ({"answer": 3, "decimals": 1.0}, "`decimals`"),
    ({"answer": 3, "sig": 0}, "`sig`"), ({"answer": 3, "decimals": 1, "sig": 2}, "`decimals`"),
    ({"answer": "a", "choices": ["a", "b"], "decimals": 1}, "`decimals`"),
    ({"answer": "same", "unit": "px"}, "`unit`"),
])
def test_bad_rules_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cl.Exercise("?", **kwargs)


def test_choice_options_wrap_instead_of_overlapping():
    ex = cl.Exercise("groups=1 means?", answer=0, choices=["every output channel sees all "
                     "input channels " * 4, "one group per channel"])
    assert ex.inputs[0].layout.width == "100%"
    assert ex.controls.layout.flex_flow == "row wrap"
    assert f"<style>{CHOICE_CSS}</style>" in ex.question_html.value
    assert "height:auto" in CHOICE_CSS and "white-space:normal" in CHOICE_CSS
