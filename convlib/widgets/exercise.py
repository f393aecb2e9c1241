"""Self-check exercises with instant feedback: answer box, Check, Hint.

The expected answer is always computed by convlib in the notebook (never
typed in), so an exercise can never disagree with the rest of the chapter.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

import ipywidgets as widgets

from ..draw.core import PALETTE

__all__ = ["Exercise", "parse_answer", "judge"]

Answer = int | float | str | tuple


def parse_answer(text: str) -> tuple[float, ...] | str:
    """Numbers in a typed answer (``'3, 2'``, ``'(3 x 2)'``, ``'1e3'``), or the stripped text.

    >>> parse_answer(" (3, 2, 2) ")
    (3.0, 2.0, 2.0)
    >>> parse_answer("675,000")
    (675000.0,)
    >>> parse_answer("same")
    'same'
    """
    cleaned = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # thousands separators
    numbers = re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", cleaned)
    if numbers and not re.search(r"[A-DF-Za-df-z]{2,}", cleaned):
        return tuple(float(n) for n in numbers)
    return text.strip()


def judge(text: str, answer: Answer, rel_tol: float = 1e-3) -> bool:
    """Whether the typed `text` matches `answer` (numbers within `rel_tol`).

    >>> judge("3x2", (3, 2)), judge("4", 3), judge("Same", "same")
    (True, False, True)
    """
    got = parse_answer(text)
    if isinstance(answer, str):
        return isinstance(got, str) and got.lower() == answer.lower()
    want = tuple(answer) if isinstance(answer, Sequence) else (answer,)
    if isinstance(got, str) or len(got) != len(want):
        return False
    return all(abs(g - float(w)) <= rel_tol * max(1.0, abs(float(w))) for g, w in zip(got, want))


class Exercise(widgets.VBox):
    """A question, an answer box (or choices), Check and Hint buttons, feedback.

    >>> ex = Exercise("Output size for i=7, k=5, s=3?", answer=1, hint="Floor.")
    >>> ex.submit("1")
    True
    >>> "Correct" in ex.feedback.value
    True
    """

    def __init__(self, question: str, answer: Answer, hint: str = "", explanation: str = "",
                 choices: Sequence[str] | None = None):
        self.question, self.answer = question, answer
        self.hint, self.explanation = hint, explanation
        self.attempts = 0
        self.feedback = widgets.HTML()
        if choices:
            self.box = widgets.RadioButtons(options=list(choices), value=None,
                                            layout=widgets.Layout(width="auto"))
        else:
            self.box = widgets.Text(placeholder="your answer", continuous_update=False,
                                    layout=widgets.Layout(width="220px"))
            # Enter (or leaving the box) submits, like pressing Check.
            self.box.observe(lambda change: change["new"] and self.submit(change["new"]), "value")
        check = widgets.Button(description="Check", button_style="primary")
        check.on_click(lambda _: self.submit(self.box.value or ""))
        hint_button = widgets.Button(description="Hint", disabled=not hint)
        hint_button.on_click(lambda _: self._say(f"💡 {html.escape(hint)}", PALETTE["accent"]))
        super().__init__(children=[widgets.HTML(f"<b>Exercise.</b> {question}"),
                                   widgets.HBox([self.box, check, hint_button]), self.feedback])

    def _say(self, text: str, colour: str) -> None:
        self.feedback.value = f"<span style='color:{colour}'>{text}</span>"

    def submit(self, text: str) -> bool:
        """Judge `text`, show the feedback, and return whether it was right."""
        self.attempts += 1
        ok = judge(str(text), self.answer)
        if ok:
            self._say(f"✓ Correct. {html.escape(self.explanation)}", PALETTE["current"])
        elif self.attempts >= 3:
            self._say(f"✗ Not quite. The answer is {html.escape(str(self.answer))}. "
                      f"{html.escape(self.explanation)}", PALETTE["error"])
        else:
            self._say("✗ Not quite, try again" + (" or take the hint." if self.hint else "."),
                      PALETTE["error"])
        return ok

    def __repr__(self) -> str:
        return f"Exercise: {self.question} (run the notebook to check your answer)"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        return data
