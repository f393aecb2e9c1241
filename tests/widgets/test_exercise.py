"""The exercise widget: attempt counting, the reveal, the kinds, and the answer kept
out of the widget state and the page."""
from __future__ import annotations

import json

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import convlib as cl  # noqa: E402
from convlib.exercises.keys import deobfuscate  # noqa: E402
from convlib.widgets.exercise import feedback_text  # noqa: E402


def enter(ex, text):
    """Type `text` and leave the box (Enter or blur: the value trait changes)."""
    ex.box.value = text


def check(ex):
    ex.buttons[0].click()


def state_text(widget) -> str:
    """Every trait of a widget and its children as sent to the front end."""
    parts = [json.dumps(widget.get_state(), default=str)]
    for child in getattr(widget, "children", ()):
        parts.append(state_text(child))
    return "\n".join(parts)


def test_answer_none_raises_naming_answer():
    with pytest.raises(ValueError, match="`answer`"):
        cl.Exercise("How many?", answer=None)
    with pytest.raises(ValueError, match="`answer`"):
        cl.Exercise("How many?")


def test_enter_blur_and_check_on_the_same_text_count_once():
    ex = cl.Exercise("How many outputs?", answer=3, hint="ceil(i / s)")
    enter(ex, "2")          # Enter
    check(ex)               # Check on the same text
    ex.submit("2")          # blur again
    ex.submit(" (2) ")      # the same number typed differently
    assert ex.attempts == 1
    assert "Not quite" in ex.feedback.value and "The answer is" not in ex.feedback.value


def test_empty_and_unreadable_never_count():
    ex = cl.Exercise("How many outputs?", answer=3)
    check(ex)
    assert ex.attempts == 0 and "Type an answer first." in ex.feedback.value
    ex.submit("three")
    assert ex.attempts == 0 and "Type a number such as 3." in ex.feedback.value
    ex.submit("3, 3, 3")
    assert ex.attempts == 0 and "you typed 3" in ex.feedback.value


def test_answer_shows_after_three_real_attempts_only():
    ex = cl.Exercise("How many outputs?", answer=3, hint="h", explanation="ceil(7/3) = 3")
    for n, text in enumerate(["2", "4"], start=1):
        assert ex.submit(text) is False
        assert ex.attempts == n and "The answer is" not in ex.feedback.value
    assert ex.submit("5") is False
    assert ex.revealed and "The answer is 3. ceil(7/3) = 3" in ex.feedback.value


def test_show_answer_button_reveals_at_once():
    ex = cl.Exercise("Shape?", answer=(27, 9), explanation="27 rows, 9 windows")
    ex.buttons[2].click()
    assert ex.revealed and ex.attempts == 0
    assert "The answer is (27, 9)." in ex.feedback.value


def test_right_answer_after_a_wrong_one():
    ex = cl.Exercise("Params?", answer=18560, explanation="3·3·16·128 + 128 = 18,560")
    assert not ex.submit("18,432")
    assert ex.submit("18,560") and "✓ Correct. 3·3·16·128 + 128 = 18,560" in ex.feedback.value
    assert ex.solved and ex.attempts == 2


def test_hint_button():
    ex = cl.Exercise("How many?", answer=3, hint="ceil(i / s)")
    ex.buttons[1].click()
    assert "ceil(i / s)" in ex.feedback.value
    assert cl.Exercise("How many?", answer=3).buttons[1].disabled


def test_answer_is_not_in_widget_state_or_page():
    explanation = "o = floor((37 + 2 - 3) / 2) + 1 = 19"
    ex = cl.Exercise("Output size of a 37x37 input, k=3, s=2, p=1?", answer=123457,
                     hint="floor", explanation=explanation)
    page = ex._repr_mimebundle_()["text/html"]
    for text in (state_text(ex), page):
        assert "123457" not in text and "123,457" not in text
        assert explanation not in text
    assert "floor" in page   # the hint may be stored


def test_feedback_sentences():
    task = cl.exercises.task.Task("2 + 2?", answer=4)
    assert feedback_text(task, task.verdict("4"), 1) == ("right", "✓ Correct.")
    assert feedback_text(task, task.verdict(""), 0) == ("note", "Type an answer first.")
    assert feedback_text(task, task.verdict("5"), 1) == ("wrong", "✗ Not quite. Try again.")


def test_multiple_choice_by_value_or_index_with_why():
    choices = ["o = (i - k)/s + 1", "o = floor((i + 2p - k)/s) + 1", "o = ceil(i/s)"]
    why = {choices[0]: "Padding is missing.", 2: "That is TF SAME."}
    ex = cl.Exercise("Output size of Conv2d?", answer=choices[1], choices=choices, why=why)
    assert ex.task.right == 1
    ex.box.value = 0
    assert ex.attempts == 1 and "Padding is missing." in ex.feedback.value
    ex.box.value = 2
    assert ex.attempts == 2 and "That is TF SAME." in ex.feedback.value
    assert f"The answer is {choices[1]}." in ex.feedback.value   # 3 options: 2 attempts
    by_index = cl.Exercise("Output size of Conv2d?", answer=1, choices=choices)
    assert by_index.submit(1)
    with pytest.raises(ValueError, match="`answer`"):
        cl.Exercise("Which?", answer="none of these", choices=["a", "b"])
    with pytest.raises(ValueError, match="`why`"):
        cl.Exercise("Which?", answer="a", choices=["a", "b"], why={"c": "?"})


def test_design_task_accepts_every_solution():
    # a decoder restores 37 from a stride-2 encoder output of 19 (k=3, s=2)
    def restores(padding, output_padding):
        if output_padding >= 2:
            return False
        return (19 - 1) * 2 - 2 * padding + 3 + output_padding == 37
    ex = cl.Exercise("Choose padding and output_padding so that 19 -> 37.",
                     fields=["padding", "output_padding"], check=restores,
                     domain={"padding": range(0, 5), "output_padding": range(0, 2)},
                     feedback=lambda p, op: f"That gives {(19 - 1) * 2 - 2 * p + 3 + op}.")
    assert ex.task.accepted == [(1, 0)]
    assert ex.task.answer_text() == "padding = 1, output_padding = 0"
    a, b = ex.inputs
    a.value = "2"                       # one field: no submission yet
    assert ex.attempts == 0
    b.value = "1"
    assert ex.attempts == 1 and "That gives 36." in ex.feedback.value
    assert ex.submit(["1", "0"]) and ex.attempts == 2
    assert ex.task.verdict(["9", "0"]).kind == "range"
    assert ex.task.verdict(["1.5", "0"]).kind == "unreadable"
    assert ex.task.verdict(["", "0"]).message == "Fill in padding."
    with pytest.raises(ValueError, match="`check`"):
        cl.Exercise("?", fields=["p"], check=lambda p: False)
    with pytest.raises(ValueError, match="`domain`"):
        cl.Exercise("?", fields=["a", "b", "c"], check=lambda *t: True, domain=range(100))


def test_predict_then_reveal_shows_with_the_answer_only():
    def figure():
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.plot([0, 1])
        return fig
    ex = cl.Exercise("Predict the output size.", answer=5, reveal=figure)
    assert ex.revealed_view.value == ""
    ex.submit("")                       # does not count, reveals nothing
    assert ex.revealed_view.value == ""
    ex.submit("4")                      # a wrong try: "Try again", the figure waits
    assert ex.revealed_view.value == ""
    ex.submit("5")
    assert ex.revealed_view.value.startswith("<img")
    text = cl.Exercise("Predict.", answer=5, reveal="<p>torch says 5</p>")
    text.show_answer()
    assert text.revealed_view.value == "<p>torch says 5</p>"
    page = text._repr_mimebundle_()["text/html"]
    assert "torch says 5" not in page
    assert any(deobfuscate(t["reveal"], t["salt"]) == "<p>torch says 5</p>"
               for t in text.page_tasks())


def test_new_numbers_first_draw_is_seeded():
    def generate(rng):
        i, k = int(rng.integers(5, 20)), int(rng.choice([1, 3, 5]))
        return dict(question=f"i = {i}, k = {k}: output size?",
                    answer=cl.conv_output_size(i, k))
    a, b = cl.Exercise(generate=generate), cl.Exercise(generate=generate)
    assert a.task.question == b.task.question
    assert a._repr_mimebundle_()["text/html"] == b._repr_mimebundle_()["text/html"]
    assert len(a.page_tasks()) == 6
    a.submit("0")
    questions = {a.task.question}
    for _ in range(5):
        a.buttons[3].click()
        questions.add(a.task.question)
        assert a.attempts == 0 and a.feedback.value == ""
    assert len(questions) > 1
    assert a.submit(str(a.answer))
    with pytest.raises(ValueError, match="`generate`"):
        cl.Exercise(generate=lambda rng: 3)


def test_repr_and_bundle():
    ex = cl.Exercise("How many outputs?", answer=3)
    assert repr(ex).startswith("Exercise: How many outputs?")
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'class="cl-exercise"' in bundle["text/html"]


def test_design_check_and_feedback_may_lean_on_convlib_errors():
    def size(p, op):
        return cl.conv_transpose_output_size(19, 3, stride=2, padding=p, output_padding=op)
    ex = cl.Exercise("Restore 37 from 19.", fields=["padding", "output_padding"],
                     check=lambda p, op: size(p, op) == 37, domain=range(0, 4),
                     feedback=lambda p, op: f"That gives {size(p, op)}.")
    assert ex.task.accepted == [(1, 0)]
    ex.submit(["1", "3"])
    assert "output_padding" in ex.feedback.value    # convlib's own message
    assert "That gives 36." in cl.Exercise("Restore 37 from 19.", fields=["p", "op"],
                                           check=lambda p, op: size(p, op) == 37,
                                           domain=range(0, 3),
                                           feedback=lambda p, op: f"That gives {size(p, op)}."
                                           ).task.verdict(["2", "1"]).message


def test_a_revealed_figure_is_shown_at_its_display_size_and_fits_the_column():
    """The PNG has 2x pixels; shown at its natural size a 10-inch figure took 1,600 px of an
    848 px column. It is shown at 800 px (10 in x 80 px) and never wider than the column."""
    import re

    from convlib.draw.core import DISPLAY_DPI, PIXEL_DENSITY, new_figure
    from convlib.widgets.exercise import reveal_html

    fig, _ = new_figure(10, 3)
    html_text = reveal_html(fig)
    width, height = (int(re.search(rf'{k}="(\d+)"', html_text).group(1)) for k in ("width", "height"))
    assert (width, height) == (10 * DISPLAY_DPI, 3 * DISPLAY_DPI)
    assert "max-width:100%" in html_text
    import base64
    import struct
    png = base64.b64decode(re.search(r"base64,([^\"]+)", html_text).group(1))
    assert struct.unpack(">I", png[16:20])[0] == width * PIXEL_DENSITY
