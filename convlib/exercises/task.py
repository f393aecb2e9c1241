"""One exercise instance, judged without widgets: a number/tuple, a text, a choice or a
design task, plus the data the kernel-free JavaScript checker needs.

`Task` is what `convlib.Exercise` shows (one per "new numbers" draw). Its
`verdict` is the Python checker; `page_data` is what the HTML element stores:
salted hashes of the accepted keys and obfuscated texts, never an answer in clear
(see `convlib.exercises.keys` for the threat model).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .keys import key_hash, obfuscate
from .answers import (SPACE, Answer, Verdict, answer_keys, answer_values, candidate_keys,
                      check_answer, format_answer, normalise_text, readings)
from .units import check_precision, check_unit, format_rounded, precision_note, with_unit

__all__ = ["Task", "MAX_DESIGN_CASES"]

#: The largest design domain (product of the fields' ranges) a page may enumerate.
MAX_DESIGN_CASES = 20_000
#: Per-case feedback of a design task is stored in the page up to this many cases.
MAX_FEEDBACK_CASES = 2_000


def _as_range(values, name: str) -> list[int]:
    out = list(values)
    if not out or not all(isinstance(v, int) and not isinstance(v, bool) for v in out):
        raise ValueError(f"`domain` of `{name}` must be a non-empty range of ints, got {values!r}")
    return out


@dataclass
class Task:
    """One question and how to judge it.

    Kinds: ``"choice"`` (`choices` given; `answer` is the right option or its index),
    ``"design"`` (`fields` and `check` given; every tuple in `domain` that `check`
    accepts is right; `answer` is the example revealed), ``"text"`` (a str answer),
    ``"number"`` (a number or a tuple).

    >>> Task("k_eff for k=3, d=4?", answer=9).verdict("9").kind
    'right'
    >>> Task("Which?", answer=1, choices=["floor", "ceil"]).verdict(1).kind
    'right'
    """
    question: str
    answer: Answer | None = None
    hint: str = ""
    explanation: str = ""
    choices: Sequence | None = None
    why: dict | None = None
    fields: Sequence[str] | None = None
    check: Callable[..., bool] | None = None
    domain: Sequence[int] | dict | None = None   # default range(0, 11) per field
    feedback: Callable[..., str] | None = None
    rel_tol: float = 1e-3
    unit: str | None = None
    decimals: int | None = None
    sig: int | None = None
    right: int = field(init=False, default=-1)
    accepted: list[tuple[int, ...]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        if self.fields is not None or self.check is not None:
            self._init_design()
        elif self.answer is None:
            raise ValueError("`answer` is required (a number, a tuple, a text or an option), "
                             "got None")
        elif self.choices is not None:
            self._init_choice()
        elif not isinstance(self.answer, str):
            answer_values(self.answer)                      # validates
        check_unit(self.unit)
        check_precision(self.decimals, self.sig)
        if (self.unit, self.decimals, self.sig) != (None, None, None) and self.kind != "number":
            raise ValueError("`unit`, `decimals` and `sig` apply to number answers only, "
                             f"not to a {self.kind} exercise")

    def _init_choice(self) -> None:
        options = list(self.choices)
        if len(options) < 2:
            raise ValueError(f"`choices` must hold at least two options, got {options!r}")
        if self.answer in options:
            self.right = options.index(self.answer)
        elif isinstance(self.answer, int) and 0 <= self.answer < len(options):
            self.right = self.answer
        else:
            raise ValueError(f"`answer` must be one of `choices` or its index, got {self.answer!r}")
        why = {}
        for k, text in (self.why or {}).items():
            i = options.index(k) if k in options else k
            if not isinstance(i, int) or not 0 <= i < len(options):
                raise ValueError(f"`why` keys must be options or their indices, got {k!r}")
            why[i] = text
        self.why = why

    def _init_design(self) -> None:
        if not self.fields or not callable(self.check):
            raise ValueError("a design task needs `fields` (names) and `check` (a callable), "
                             f"got fields={self.fields!r}, check={self.check!r}")
        dom = self.domain if self.domain is not None else range(0, 11)
        ranges = {f: _as_range(dom[f] if isinstance(dom, dict) else dom, f) for f in self.fields}
        cases = 1
        for r in ranges.values():
            cases *= len(r)
        if cases > MAX_DESIGN_CASES:
            raise ValueError(f"`domain` has {cases} cases, more than {MAX_DESIGN_CASES}")
        self.domain = ranges
        self.accepted = [t for t in itertools.product(*ranges.values()) if self._passes(t)]
        if not self.accepted:
            raise ValueError("`check` accepts no case of the domain")
        if self.answer is None:
            self.answer = self.accepted[0]
        elif tuple(self.answer) not in self.accepted:
            raise ValueError(f"`answer` {self.answer!r} does not pass `check`")

    def _passes(self, values: tuple[int, ...]) -> bool:
        """`check`, where a ValueError (convlib refusing the parameters) means no."""
        try:
            return bool(self.check(*values))
        except ValueError:
            return False

    def _why(self, values: tuple[int, ...]) -> str:
        """`feedback` for a wrong tuple; convlib's ValueError message if it refuses it."""
        try:
            return self.feedback(*values) if self.feedback else ""
        except ValueError as error:
            return str(error)

    @property
    def kind(self) -> str:
        if self.fields is not None:
            return "design"
        if self.choices is not None:
            return "choice"
        return "text" if isinstance(self.answer, str) else "number"

    @property
    def max_attempts(self) -> int:
        """Real attempts before the answer is shown (fewer with two or three options)."""
        return min(3, len(self.choices) - 1) if self.kind == "choice" else 3

    @property
    def prompt(self) -> str:
        """The question as shown: with "(to 1 decimal)" when a precision is declared.

        >>> Task("GFLOPs?", answer=8.18, decimals=1).prompt
        'GFLOPs? (to 1 decimal)'
        """
        note = precision_note(self.decimals, self.sig)
        return f"{self.question} ({note})" if note else self.question

    def answer_text(self) -> str:
        """The answer as revealed: one formatter for every kind (at the asked precision,
        with its unit; typed back, it is right).

        >>> Task("?", answer=10.312, unit="M", decimals=1).answer_text()
        '10.3M'
        """
        if self.kind == "choice":
            return str(list(self.choices)[self.right])
        if self.kind == "design":
            return ", ".join(f"{f} = {format_answer(v)}" for f, v in zip(self.fields, self.answer))
        if self.kind == "text":
            return format_answer(self.answer)
        _, places, _ = answer_keys(self.answer, self.rel_tol, self.decimals, self.sig)
        if places is None:
            text = format_answer(self.answer)
        else:
            parts = [format_rounded(v, n) for v, n in zip(answer_values(self.answer), places)]
            text = parts[0] if len(parts) == 1 else "(" + ", ".join(parts) + ")"
        return with_unit(text, self.unit)

    # ------------------------------------------------------------------ judging

    def verdict(self, entry) -> Verdict:
        """Judge one entry: a str (number/text), an option index or None (choice),
        or a sequence of str, one per field (design)."""
        if self.kind == "choice":
            if entry is None:
                return Verdict("empty", "Pick an option first.")
            if entry == self.right:
                return Verdict("right")
            return Verdict("wrong", self.why.get(entry, ""))
        if self.kind == "design":
            return self._design_verdict(entry)
        return check_answer(str(entry), self.answer, self.rel_tol, self.unit, self.decimals,
                            self.sig)

    def _design_values(self, entries: Sequence[str]) -> tuple[int, ...] | Verdict:
        values = []
        for name, text in zip(self.fields, entries):
            if not text.strip(SPACE):
                return Verdict("empty", f"Fill in {name}.")
            found = readings(text)
            if len(found) != 1 or len(found[0]) != 1 or found[0][0] != int(found[0][0]):
                return Verdict("unreadable", f"Type a whole number for {name}.")
            v = int(found[0][0])
            r = self.domain[name]
            if v not in r:
                return Verdict("range", f"{name} goes from {r[0]} to {r[-1]} here.")
            values.append(v)
        return tuple(values)

    def _design_verdict(self, entries: Sequence[str]) -> Verdict:
        values = self._design_values(entries)
        if isinstance(values, Verdict):
            return values
        if values in self.accepted:
            return Verdict("right")
        return Verdict("wrong", self._why(values))

    def identity(self, entry) -> str:
        """What makes two submissions the same attempt (3x3 and (3, 3) are one)."""
        if self.kind == "choice":
            return f"c:{entry}"
        if self.kind == "design":
            values = self._design_values(entry)
            return "d:" + ",".join(map(str, values)) if isinstance(values, tuple) else ""
        if self.kind == "text":
            return "t:" + normalise_text(entry)
        step, places, _ = answer_keys(self.answer, self.rel_tol, self.decimals, self.sig)
        return "n:" + "|".join(candidate_keys(entry, len(answer_values(self.answer)), step,
                                              self.unit, places))

    # ------------------------------------------------------------------ the page

    def page_data(self, salt: str, reveal_html: str = "") -> dict:
        """What the kernel-free element stores: hashes and obfuscated texts only."""
        data = {"question": self.prompt, "kind": self.kind, "salt": salt, "hint": self.hint,
                "max": self.max_attempts,
                "answer": obfuscate(self.answer_text(), salt),
                "explanation": obfuscate(self.explanation, salt),
                "reveal": obfuscate(reveal_html, salt)}
        if self.kind == "choice":
            data["choices"] = [str(c) for c in self.choices]
            data["keys"] = [key_hash(salt, f"c:{self.right}")]
            data["why"] = {str(i): obfuscate(t, salt) for i, t in self.why.items()}
        elif self.kind == "design":
            data["fields"] = [{"name": f, "min": r[0], "max": r[-1], "values": r}
                              for f, r in self.domain.items()]
            data["keys"] = sorted(key_hash(salt, "d:" + ",".join(map(str, t)))
                                  for t in self.accepted)
            cases = itertools.product(*self.domain.values())
            if self.feedback is not None and len(data["keys"]) <= MAX_FEEDBACK_CASES and \
                    sum(1 for _ in cases) <= MAX_FEEDBACK_CASES:
                data["why"] = {key_hash(salt, "d:" + ",".join(map(str, t))):
                               obfuscate(self._why(t), salt)
                               for t in itertools.product(*self.domain.values())
                               if t not in self.accepted}
        elif self.kind == "text":
            data["keys"] = [key_hash(salt, "t:" + normalise_text(self.answer))]
        else:
            step, places, keys = answer_keys(self.answer, self.rel_tol, self.decimals, self.sig)
            data["count"] = len(answer_values(self.answer))
            data["step"] = step
            data["unit"] = self.unit
            data["places"] = places
            data["keys"] = sorted(key_hash(salt, "n:" + k) for k in keys)
        return data
