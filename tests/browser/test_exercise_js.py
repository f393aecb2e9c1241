"""The kernel-free exercise checker (convlib/web/exercise.js) in Chromium: the typed
inputs of tests/answer_table.py give the same verdicts and messages as Python, and
a learner's wrong-then-right answers give the feedback the widget gives."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import convlib as cl
from convlib.exercises.keys import salt_for
from convlib.exercises.task import Task
from convlib.widgets.exercise import feedback_text

from .exercise_util import answer, choose, exercises, feedback, press, serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ..exercises.answer_table import TABLE  # noqa: E402

def table_rows():
    """The shared table with each row's rules (keyword arguments), {} by default."""
    return [(*row[:4], row[4] if len(row) > 4 else {}) for row in TABLE]


CHOICES = ["o = (i - k)/s + 1", "o = floor((i + 2p - k)/s) + 1", "o = ceil(i/s)"]


def restores(padding, output_padding):
    return output_padding < 2 and (19 - 1) * 2 - 2 * padding + 3 + output_padding == 37


def dilated_kernel(rng) -> dict:
    k = int(rng.integers(2, 9))
    return dict(question=f"k = {k}: k_eff at d = 2?", answer=cl.effective_kernel_size(k, 2))


def page_exercises() -> list:
    return [
        cl.Exercise("Parameters of nn.Conv2d(16, 128, 3), with bias?", answer=18560,
                    hint="k·k·C_in·C_out + C_out", explanation="3·3·16·128 + 128 = 18,560"),
        cl.Exercise("Output size per axis?", answer=(3, 3), explanation="⌊(7 − 3)/2⌋ + 1 = 3"),
        cl.Exercise("Output size of Conv2d?", answer=CHOICES[1], choices=CHOICES,
                    why={0: "Padding is missing.", 2: "That is TF SAME."}),
        cl.Exercise("Choose padding and output_padding so that 19 becomes 37.",
                    fields=["padding", "output_padding"], check=restores,
                    domain={"padding": range(0, 5), "output_padding": range(0, 2)},
                    feedback=lambda p, op: f"That gives {(19 - 1) * 2 - 2 * p + 3 + op}."),
        cl.Exercise("Predict: output size?", answer=5, reveal="<p class='torch'>torch: 5</p>"),
        cl.Exercise(generate=dilated_kernel, variants=4),
        cl.Exercise(generate=lambda rng: dict(question="Always the same?", answer=1)),
        cl.Exercise("Parameters of the model, in millions?", answer=8.18, unit="M",
                    decimals=1),
    ]


@pytest.fixture(scope="module")
def exercise_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exercise-page")
    body = "\n".join(ex._repr_mimebundle_()["text/html"] for ex in page_exercises())
    (folder / "index.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>exercises</title><link rel='icon' href='data:,'><body>{body}</body>",
        encoding="utf-8")
    with serve(folder) as url:
        yield f"{url}/index.html"


def test_same_verdicts_as_python(page, exercise_page):
    page.goto(exercise_page)
    exercises(page)
    rows, want = [], []
    for text, ans, *_, rules in table_rows():
        task = Task("table row", answer=ans, **rules)
        rows.append({"text": text, "task": task.page_data(salt_for(text + repr(ans)))})
        v = cl.widgets.check_answer(text, ans, **rules)
        want.append({"kind": v.kind, "message": v.message})
    got = page.evaluate(
        "rows => rows.map(r => window.convlibExercise.verdict(r.task, r.text))", rows)
    mismatches = [(row[0], row[1], g, w) for row, g, w in zip(TABLE, got, want) if g != w]
    assert mismatches == []
    assert [g["kind"] for g in got] == [row[2] for row in TABLE]
    assert page.log.errors == [] and page.log.external == []


def test_hash_and_obfuscation_agree_with_python(page, exercise_page):
    from convlib.exercises.keys import key_hash, obfuscate
    page.goto(exercise_page)
    exercises(page)
    cases = [("ab12cd34", "n:3,2"), ("68d67796", "t:tf same"), ("00000000", "d:1,0 ×")]
    got = page.evaluate("cs => cs.map(c => window.convlibExercise.hash(c[0], c[1]))", cases)
    assert got == [key_hash(s, k) for s, k in cases]
    text = "The answer is (3, 2) × 1,000 — ✓"
    assert page.evaluate("a => window.convlibExercise.deobfuscate(a[0], a[1])",
                         [obfuscate(text, "ab12cd34"), "ab12cd34"]) == text


def test_wrong_then_right_answer(page, exercise_page):
    page.goto(exercise_page)
    ex = exercises(page).nth(0)
    task = Task("Parameters?", answer=18560, hint="k·k·C_in·C_out + C_out")
    assert answer(ex, "18,432") == "✗ Not quite. Try again or take the hint."
    assert feedback_text(task, task.verdict("18,432"), 1)[1] == feedback(ex)
    assert answer(ex, "18,560", how="enter") == "✓ Correct. 3·3·16·128 + 128 = 18,560"
    assert "cl-ex-right" in ex.locator(".cl-ex-feedback").get_attribute("class")
    assert page.log.errors == []


def test_attempts_and_reveal_in_the_page(page, exercise_page):
    page.goto(exercise_page)
    ex = exercises(page).nth(1)
    assert answer(ex, "") == "Type an answer first."
    assert answer(ex, "3") == "This question wants two numbers, like 3x3; you typed 1."
    assert answer(ex, "4x4") == "✗ Not quite. Try again."
    assert answer(ex, "4, 4", how="enter") == "✗ Not quite. Try again."   # same answer
    assert answer(ex, "(4,4)", how="blur") == "✗ Not quite. Try again."
    assert answer(ex, "5x5") == "✗ Not quite. Try again."
    assert answer(ex, "2 2") == "✗ Not quite. The answer is (3, 3). ⌊(7 − 3)/2⌋ + 1 = 3"
    assert answer(ex, "3 × 3").startswith("✓ Correct.")


def test_choice_design_reveal_and_new_numbers(page, exercise_page):
    page.goto(exercise_page)
    found = exercises(page)
    assert found.count() == 8
    choice = found.nth(2)
    assert choose(choice, CHOICES[0]) == "✗ Not quite. Padding is missing. Try again."
    assert choose(choice, CHOICES[1]) == "✓ Correct."

    design = found.nth(3)
    boxes = design.locator("input.cl-ex-input")
    boxes.nth(0).fill("2")
    boxes.nth(1).fill("1")
    assert press(design, "Check") == "✗ Not quite. That gives 36. Try again."
    boxes.nth(0).fill("7")
    assert press(design, "Check") == "padding goes from 0 to 4 here."
    boxes.nth(0).fill("1")
    boxes.nth(1).fill("0")
    assert press(design, "Check") == "✓ Correct."

    predict = found.nth(4)                # the figure waits until the answer is shown
    assert predict.locator(".cl-ex-reveal").inner_text() == ""
    assert answer(predict, "4") == "✗ Not quite. Try again."
    assert predict.locator(".cl-ex-reveal").inner_text() == ""
    assert answer(predict, "3x3") == "This question wants one number; you typed 2."
    assert answer(predict, "5").startswith("✓ Correct.")
    assert predict.locator(".cl-ex-reveal .torch").inner_text() == "torch: 5"

    generated = found.nth(5)
    assert press(generated, "Show answer").startswith("The answer is ")
    variants = {t.prompt for t in page_exercises()[5]._variants}
    shown = [generated.locator(".cl-ex-question").inner_text()]
    for _ in range(2 * len(variants)):
        press(generated, "New numbers")
        shown.append(generated.locator(".cl-ex-question").inner_text())
    assert all(a != b for a, b in zip(shown, shown[1:]))          # never the same again
    first_round = shown[:len(variants)]
    assert len(set(first_round)) == len(variants)                 # unseen ones first
    assert feedback(generated) == ""
    assert page.log.errors == [] and page.log.external == []


def test_buttons_that_cannot_work_are_hidden(page, exercise_page):
    page.goto(exercise_page)
    found = exercises(page)
    labels = [found.nth(i).locator("button").all_inner_texts() for i in range(found.count())]
    assert labels[0] == ["Check", "Hint", "Show answer"]          # a hint is given
    assert labels[2] == ["Check", "Show answer"]                  # choice without a hint
    assert labels[5] == ["Check", "Show answer", "New numbers"]
    assert labels[6] == ["Check", "Show answer"]                  # one variant only
    assert page.log.errors == []


def test_units_and_precision_in_the_page(page, exercise_page):
    page.goto(exercise_page)
    ex = exercises(page).nth(7)
    question = ex.locator(".cl-ex-question").inner_text()
    assert question.endswith("(to 1 decimal)")
    assert answer(ex, "8.18%") == "Answer in millions (M): a plain number like 2.5, or 2.5M."
    assert answer(ex, "8.3M") == "✗ Not quite. Try again."
    assert answer(ex, "8200k").startswith("✓ Correct.")
    assert page.log.errors == []


def test_random_inputs_read_the_same(page, exercise_page):
    """Seeded random strings over the characters the rules care about: the readings
    (and the verdicts for one and two expected numbers) agree."""
    import random
    from convlib.exercises.answers import readings
    rng = random.Random(12)
    alphabet = list("0123456789012345,.- x/e()") + ["–", "×", "−", " to ", "by", "%", "E"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(600)]
    page.goto(exercise_page)
    exercises(page)
    got = page.evaluate("ts => ts.map(t => window.convlibExercise.readings(t))", texts)
    want = [[list(r) for r in readings(t)] for t in texts]
    assert [(t, g) for t, g, w in zip(texts, got, want) if g != w] == []
    for answer in (12, (12, 3)):
        data = Task("random", answer=answer).page_data("ab12cd34")
        got = page.evaluate("a => a[1].map(t => window.convlibExercise.verdict(a[0], t))",
                            [data, texts])
        want = [{"kind": v.kind, "message": v.message}
                for v in (cl.widgets.check_answer(t, answer) for t in texts)]
        assert [(t, g, w) for t, g, w in zip(texts, got, want) if g != w] == []
    # units and rounding: numbers with suffixes, near the answers
    suffixes = ["", "", "k", "K", "M", "G", "m", "%", " px", "PX", " million", "MB", " mb", "x"]
    unit_texts = [f"{rng.choice(['', '(', ''])}{rng.uniform(0, 30):.{rng.randint(0, 4)}f}"
                  f"{rng.choice(['', ', 3', ' x 3'])}{rng.choice(suffixes)}" for _ in range(400)]
    cases = ((12.5, {"unit": "%"}), (8.18, {"unit": "M", "decimals": 1}),
             (3, {"unit": "px"}), ((12.5, 3), {"unit": "px", "decimals": 0}),
             (10312345, {"sig": 3}), (40, {"unit": "MB", "sig": 1}),
             (0.125, {"decimals": 2}), (12, {"unit": "k"}))
    unit_texts += texts[:200] + [Task("?", answer=a, **r).answer_text() for a, r in cases]
    for answer, rules in cases:
        data = Task("random", answer=answer, **rules).page_data("ab12cd34")
        got = page.evaluate("a => a[1].map(t => window.convlibExercise.verdict(a[0], t))",
                            [data, unit_texts])
        want = [{"kind": v.kind, "message": v.message}
                for v in (cl.widgets.check_answer(t, answer, **rules) for t in unit_texts)]
        assert [(t, g, w) for t, g, w in zip(unit_texts, got, want) if g != w] == []
        kinds = {w["kind"] for w in want}
        assert {"right", "wrong", "unreadable"} <= kinds, (answer, rules, kinds)
