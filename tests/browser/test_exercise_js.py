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
        cl.Exercise(generate=dilated_kernel, variants=3),
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
    rows = []
    for text, ans, _, _ in TABLE:
        task = Task("table row", answer=ans)
        rows.append({"text": text, "task": task.page_data(salt_for(text + repr(ans)))})
    got = page.evaluate(
        "rows => rows.map(r => window.convlibExercise.verdict(r.task, r.text))", rows)
    want = [{"kind": v.kind, "message": v.message}
            for v in (cl.widgets.check_answer(text, ans) for text, ans, _, _ in TABLE)]
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
    assert answer(ex, "3") == "This answer has 2 numbers; you typed 1."
    assert answer(ex, "4x4") == "✗ Not quite. Try again."
    assert answer(ex, "4, 4", how="enter") == "✗ Not quite. Try again."   # same answer
    assert answer(ex, "(4,4)", how="blur") == "✗ Not quite. Try again."
    assert answer(ex, "5x5") == "✗ Not quite. Try again."
    assert answer(ex, "2 2") == "✗ Not quite. The answer is (3, 3). ⌊(7 − 3)/2⌋ + 1 = 3"
    assert answer(ex, "3 × 3").startswith("✓ Correct.")


def test_choice_design_reveal_and_new_numbers(page, exercise_page):
    page.goto(exercise_page)
    found = exercises(page)
    assert found.count() == 6
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

    predict = found.nth(4)
    assert predict.locator(".cl-ex-reveal").inner_text() == ""
    answer(predict, "4")
    assert predict.locator(".cl-ex-reveal .torch").inner_text() == "torch: 5"

    generated = found.nth(5)
    first = generated.locator(".cl-ex-question").inner_text()
    assert press(generated, "Show answer").startswith("The answer is ")
    press(generated, "New numbers")
    questions = {first, generated.locator(".cl-ex-question").inner_text()}
    press(generated, "New numbers")
    questions.add(generated.locator(".cl-ex-question").inner_text())
    assert len(questions) > 1
    assert feedback(generated) == ""
    assert page.log.errors == [] and page.log.external == []


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
