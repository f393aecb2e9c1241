"""Self-check exercises: an answer box (or options, or design fields), Check, Hint,
Show answer, optional New numbers, feedback, and an optional figure revealed after
the learner commits (predict, then reveal).

The expected answer is computed by convlib in the notebook and lives only in
Python: the widget state holds no answer, and the kernel-free HTML twin that
`Exercise._repr_mimebundle_` adds (``text/html``, checked by
``convlib/web/exercise.js``) holds salted hashes and obfuscated texts.

Attempts: Enter, leaving the box and Check on the same answer count once; an
empty box, text that is not numbers, a wrong count of numbers, a unit that
contradicts the question's or a design value outside its domain never count. The
answer (and a predict exercise's figure) shows when the learner is right, after
three real attempts (fewer with two or three options) or on "Show answer".
A Hint button shows only when there is a hint, "New numbers" only when `generate`
gives more than one question; it never draws the current question again.
"""
from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import numpy as np

from ..exercises.keys import salt_for
from ..exercises.answers import Answer, Verdict, check_answer, judge, parse_answer
from ..draw.core import PALETTE
from ..exercises.task import Task
from ..web import exercise_element

__all__ = ["Exercise", "parse_answer", "judge", "check_answer", "feedback_text"]

#: Options of a multiple-choice widget wrap in a narrow column (JupyterLab's side bar
#: open) instead of overlapping: ipywidgets gives each radio label a fixed height.
CHOICE_CSS = (".cl-exercise-widget .widget-radio{width:100%;max-width:100%}"
              ".cl-exercise-widget .widget-radio-box{min-width:0;flex:1 1 auto}"
              ".cl-exercise-widget .widget-radio-box label{height:auto;line-height:1.4;"
              "white-space:normal;display:flex;align-items:flex-start;gap:0.5em;"
              "margin:0.15em 0;overflow-wrap:anywhere}"
              ".cl-exercise-widget .widget-radio-box input{order:-1;flex:none;float:none;"
              "height:auto;margin:0.3em 0 0 1px}")
#: How many draws "New numbers" tries before it gives up on a question not yet asked.
MAX_REDRAWS = 50

_TONES = {"note": PALETTE["accent"], "hint": PALETTE["accent"], "right": PALETTE["current"],
          "wrong": PALETTE["error"], "answer": PALETTE["accent"]}


def feedback_text(task: Task, verdict: Verdict, attempts: int) -> tuple[str, str]:
    """(tone, text) after a submission; ``exercise.js`` builds the same sentences.

    >>> t = Task("2 + 2?", answer=4, hint="Count.")
    >>> feedback_text(t, t.verdict("5"), 1)
    ('wrong', '✗ Not quite. Try again or take the hint.')
    >>> feedback_text(t, t.verdict("5"), 3)
    ('wrong', '✗ Not quite. The answer is 4.')
    """
    if not verdict.counts:
        return "note", verdict.message
    if verdict.ok:
        return "right", _join("✓ Correct.", task.explanation)
    if attempts >= task.max_attempts:
        return "wrong", _join("✗ Not quite.", verdict.message,
                              f"The answer is {task.answer_text()}.", task.explanation)
    again = "Try again or take the hint." if task.hint else "Try again."
    return "wrong", _join("✗ Not quite.", verdict.message, again)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def reveal_html(obj) -> str:
    """HTML for what a predict-then-reveal exercise shows: a matplotlib figure, an
    object with ``_repr_html_``/``_repr_png_``, a str (HTML), or a callable giving one."""
    if callable(obj) and not hasattr(obj, "savefig"):
        obj = obj()
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if hasattr(obj, "savefig"):
        from ..draw.core import display_size, figure_png, freeze_layout
        freeze_layout(obj)
        png, (width, height) = figure_png(obj), display_size(obj)
        # 2x pixels shown at the figure's display size, and never wider than the column
        return (f'<img alt="revealed figure" width="{width}" height="{height}" '
                f'style="max-width:100%;height:auto" '
                f'src="data:image/png;base64,{base64.b64encode(png).decode()}">')
    if hasattr(obj, "_repr_html_"):
        return obj._repr_html_()
    if hasattr(obj, "_repr_png_"):
        return (f'<img alt="revealed result" style="max-width:100%;height:auto" '
                f'src="data:image/png;base64,{base64.b64encode(obj._repr_png_()).decode()}">')
    return f"<pre>{html.escape(str(obj))}</pre>"


def _task_from(drawn, defaults: dict) -> Task:
    if isinstance(drawn, dict):
        return Task(**{**defaults, **drawn})
    if isinstance(drawn, tuple) and 2 <= len(drawn) <= 3 and isinstance(drawn[0], str):
        keys = ("question", "answer", "explanation")
        return Task(**{**defaults, **dict(zip(keys, drawn))})
    raise ValueError("`generate` must return a dict of Exercise arguments or "
                     f"(question, answer[, explanation]), got {drawn!r}")


class Exercise(widgets.VBox):
    """A question with instant feedback.

    Kinds: a number or tuple (``answer=(3, 3)``), a text, multiple choice
    (``choices=[...]``, ``answer=`` the right option or its index, ``why={option: text}``
    for the mistakes the wrong options stand for), a design task (``fields=[...]``,
    ``check=callable(*values) -> bool``, ``domain=range`` or ``{field: range}``, every
    accepted tuple is right), "new numbers" (``generate=callable(rng) -> dict``; the
    first draw uses ``seed``). Any kind may carry ``reveal=`` (a figure, HTML or a
    callable), shown once the answer is shown (right, out of attempts, "Show answer").
    Number answers may declare ``unit=`` (``"M"``: the answer is in millions, ``10.3M``
    and ``10300k`` are read too; ``"%"``, ``"px"``, ...: see `convlib.exercises.units`)
    and ``decimals=n`` or ``sig=n`` (a rounded answer is right; the question then
    ends with "(to 1 decimal)").

    >>> ex = Exercise("Output size for i=7, k=5, s=3?", answer=1, hint="Floor.")
    >>> ex.submit("1")
    True
    >>> "Correct" in ex.feedback.value
    True
    """

    def __init__(self, question: str = "", answer: Answer | None = None, hint: str = "",
                 explanation: str = "", *, choices: Sequence | None = None,
                 why: dict | None = None, fields: Sequence[str] | None = None,
                 check: Callable[..., bool] | None = None, domain=None,
                 feedback: Callable[..., str] | None = None, reveal=None,
                 generate: Callable | None = None, seed: int = 0, variants: int = 6,
                 rel_tol: float = 1e-3, unit: str | None = None, decimals: int | None = None,
                 sig: int | None = None):
        self._defaults = dict(question=question, answer=answer, hint=hint,
                              explanation=explanation, choices=choices, why=why, fields=fields,
                              check=check, domain=domain, feedback=feedback, rel_tol=rel_tol,
                              unit=unit, decimals=decimals, sig=sig)
        self.generate, self.seed, self.variants = generate, seed, variants
        self._reveal_source = reveal
        if generate is not None:
            if not callable(generate):
                raise ValueError(f"`generate` must be a callable(rng), got {generate!r}")
            self._rng = np.random.default_rng(seed)
            task = self._draw()
            rng = np.random.default_rng(seed)
            self._variants = [_task_from(generate(rng), self._defaults) for _ in range(variants)]
        else:
            task = Task(**self._defaults)
            self._variants = [task]
        self._asked: set[str] = set()
        self.question_html = widgets.HTML()
        self.feedback = widgets.HTML()
        self.revealed_view = widgets.HTML()
        self.controls = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap",
                                                           align_items="center", width="100%"))
        check_button = widgets.Button(description="Check", button_style="primary")
        check_button.on_click(lambda _: self.submit())
        self.hint_button = widgets.Button(description="Hint")
        self.hint_button.on_click(lambda _: self.show_hint())
        answer_button = widgets.Button(description="Show answer")
        answer_button.on_click(lambda _: self.show_answer())
        self.buttons = [check_button, self.hint_button, answer_button]
        if len({t.prompt for t in self._variants}) > 1:
            new = widgets.Button(description="New numbers")
            new.on_click(lambda _: self.new_numbers())
            self.buttons.append(new)
        super().__init__(children=[self.question_html, self.controls, self.feedback,
                                   self.revealed_view])
        self.add_class("cl-exercise-widget")
        self._start(task)

    # ------------------------------------------------------------------ state

    def _draw(self) -> Task:
        return _task_from(self.generate(self._rng), self._defaults)

    def _start(self, task: Task) -> None:
        self.task = task
        self.attempts, self.solved, self.revealed = 0, False, False
        self._seen: dict[str, tuple[str, str]] = {}
        self._reveal = reveal_html(self._reveal_source) if self._reveal_source is not None else ""
        self._asked.add(task.prompt)
        style = f"<style>{CHOICE_CSS}</style>" if task.kind == "choice" else ""
        self.question_html.value = f"{style}<b>Exercise.</b> {task.prompt}"
        self.feedback.value = self.revealed_view.value = ""
        self.hint_button.disabled = not task.hint
        self.hint_button.layout.display = None if task.hint else "none"
        self.inputs = self._make_inputs(task)
        self.box = self.inputs[0]
        self.controls.children = [*self.inputs, *self.buttons]

    def _make_inputs(self, task: Task) -> list[widgets.Widget]:
        if task.kind == "choice":
            radio = widgets.RadioButtons(options=[(str(c), i) for i, c in enumerate(task.choices)],
                                         value=None, layout=widgets.Layout(width="100%"))
            radio.observe(lambda change: change["new"] is not None and self.submit(change["new"]),
                          "value")
            return [radio]
        names = task.fields if task.kind == "design" else [None]
        boxes = [widgets.Text(placeholder="your answer" if n is None else n,
                              description="" if n is None else n, continuous_update=False,
                              layout=widgets.Layout(width="220px"),
                              style={"description_width": "initial"}) for n in names]
        # Enter (or leaving a box) submits, like Check, once every box is filled.
        for b in boxes:
            b.observe(lambda change: all(x.value.strip() for x in boxes) and self.submit(), "value")
        return boxes

    @property
    def answer(self) -> Answer:
        """The expected answer (Python only; never in widget state or the page)."""
        return self.task.answer

    def _entry(self):
        if self.task.kind == "choice":
            return self.inputs[0].value
        if self.task.kind == "design":
            return [b.value for b in self.inputs]
        return self.inputs[0].value

    def _say(self, tone: str, text: str) -> None:
        self.feedback.value = f"<span style='color:{_TONES[tone]}'>{html.escape(text)}</span>"

    def _show_reveal(self) -> None:
        if self._reveal:
            self.revealed_view.value = self._reveal

    # ------------------------------------------------------------------ actions

    def submit(self, entry=None) -> bool:
        """Judge `entry` (default: what the inputs hold), show feedback, return whether right.

        A repeated answer shows its earlier feedback and is not counted again.
        """
        entry = self._entry() if entry is None else entry
        verdict = self.task.verdict(entry)
        if not verdict.counts:
            self._say(*feedback_text(self.task, verdict, self.attempts))
            return False
        identity = self.task.identity(entry)
        if identity in self._seen:
            self._say(*self._seen[identity])
            return verdict.ok
        if not (self.solved or self.revealed):
            self.attempts += 1
        tone_text = feedback_text(self.task, verdict, self.attempts)
        self._seen[identity] = tone_text
        self.solved = self.solved or verdict.ok
        self.revealed = self.revealed or self.attempts >= self.task.max_attempts
        self._say(*tone_text)
        if self.solved or self.revealed:
            self._show_reveal()
        return verdict.ok

    def show_hint(self) -> None:
        if self.task.hint:
            self._say("hint", f"💡 {self.task.hint}")

    def show_answer(self) -> None:
        """Reveal the answer (and the figure of a predict-then-reveal exercise)."""
        self.revealed = True
        self._say("answer", _join(f"The answer is {self.task.answer_text()}.",
                                  self.task.explanation))
        self._show_reveal()

    def new_numbers(self) -> None:
        """Draw fresh parameters with `generate` (a question not asked yet; once none is
        found, any question but the current one) and start over."""
        if self.generate is None:
            raise ValueError("`generate` was not given: this exercise has fixed numbers")
        fallback = None
        for _ in range(MAX_REDRAWS):
            task = self._draw()
            if task.prompt not in self._asked:
                break
            if fallback is None and task.prompt != self.task.prompt:
                fallback = task
        else:
            if fallback is None:
                return
            task, self._asked = fallback, set()
        self._start(task)

    # ------------------------------------------------------------------ output

    def page_tasks(self) -> list[dict]:
        """The data of the kernel-free element: this task, or the first `variants` draws."""
        tasks = [self.task] if self.generate is None else self._variants
        reveal = self._reveal
        return [t.page_data(salt_for(t.question, i), reveal) for i, t in enumerate(tasks)]

    def __repr__(self) -> str:
        return f"Exercise: {self.task.question} (run the notebook to check your answer)"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        data["text/html"] = exercise_element(self.page_tasks())
        return data
