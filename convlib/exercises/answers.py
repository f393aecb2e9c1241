"""Reading typed answers and judging them: the one rule set of every exercise.

Pure Python (no numpy, no widgets). The kernel-free JavaScript checker in
``convlib/web/exercise.js`` implements the same rules line for line, and
``tests/browser/test_exercise_js.py`` runs one table of typed inputs through both.

How an answer is read
---------------------
* Numbers: ``3``, ``-3``, ``0.125``, ``.5``, ``1e3``, fractions ``1/8``.
* Separators between numbers: spaces, ``,``, ``;``, ``x``/``X``/``×`` and the words
  ``by``, ``and``, ``to``; brackets are ignored: ``3x3``, ``3 × 3``, ``(3, 3)``,
  ``[3,3]`` all read as (3, 3).
* Ranges: ``12-14`` (a dash right after a digit) and ``12–14`` (en dash) read as
  (12, 14). A ``-`` that starts a number (``-3``, ``3, -1``) is a minus sign.
* Commas: a comma followed by a space always separates numbers. A comma between
  digits is a thousands separator only when the whole run of digits and commas is
  written in groups of exactly three after a first group of 1-3 digits that does not
  start with 0 (``675,000``, ``2,722,500``; not ``0,125``); such a run has two
  readings, one number (675000) or several (675, 0), and an answer is right when
  either reading is right. So ``100,100`` is (100, 100) where a pair is expected and
  100100 where one number is. Any other comma separates (``3,2``, ``1,000,2`` ->
  (1, 0, 2)). ``1,000, 2,000`` reads as (1000, 2000) (or (1, 0, 2, 0)).
* Square cases: where one number is expected, an equal pair also counts (``3x3``
  for 3). Where a pair is expected, one number is too few (a message, no attempt).
* Whole-number answers are compared exactly; answers with a fraction within a
  relative tolerance (``rel_tol``, default 1e-3, on a power-of-ten grid, see
  `number_step`).
* Text answers compare case-insensitively (ASCII) with runs of spaces collapsed.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Verdict", "parse_answer", "readings", "judge", "check_answer", "format_answer",
           "answer_values", "number_step", "value_key", "accepted_keys", "candidate_keys",
           "normalise_text", "input_message"]

Answer = int | float | str | tuple

#: Whitespace, spelled out so that Python and JavaScript agree on it.
SPACE = " \t\n\r\f\v\u00a0\u2009\u202f"
_SEPARATOR_WORDS = {"x", "by", "and", "to"}
# ASCII digits only ([0-9], never \d): JavaScript's \d knows no other digits.
_NUMBER = re.compile(r"([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(e[-+]?[0-9]+)?")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")


@dataclass(frozen=True)
class Verdict:
    """The outcome of one submission.

    `kind` is ``"right"``, ``"wrong"``, or one of the kinds that never count as an
    attempt: ``"empty"``, ``"unreadable"`` (not numbers), ``"count"`` (the wrong
    number of numbers), ``"range"`` (a design value outside its domain).
    """
    kind: str
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "right"

    @property
    def counts(self) -> bool:
        """Whether this submission is a real attempt."""
        return self.kind in ("right", "wrong")


def _ascii_lower(text: str) -> str:
    return re.sub(r"[A-Z]", lambda m: m.group(0).lower(), text)


def _prepare(text: str) -> str:
    s = _ascii_lower(text)
    for glyph in "×✕⨯":
        s = s.replace(glyph, " x ")
    s = s.replace("\u2212", "-")                       # the minus sign
    s = re.sub("[\u2013\u2014]", " to ", s)            # en and em dash: a range
    s = re.sub(f"[{SPACE}]+-[{SPACE}]+", " to ", s)     # 12 - 14: a range too
    s = re.sub("[()\\[\\]{};]", " ", s)
    s = re.sub(f"[{SPACE}]*/[{SPACE}]*", "/", s)
    return s.strip(SPACE)


def _tokens(s: str) -> list[tuple[str, str]] | None:
    """Scan into (kind, text) tokens: num, -, +, /, sep, word; None on a stray character."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(s):
        c = s[i]
        m = _NUMBER.match(s, i) if (c.isdigit() and c.isascii()) or c == "." else None
        if m:
            body = m.group(1).rstrip(",")
            end = i + len(body)
            exp = m.group(2) if end == m.end(1) else None
            out.append(("num", body + (exp or "")))
            i = end + len(exp or "")
        elif c in SPACE or c == ",":
            out.append(("sep", c))
            i += 1
        elif c in "-+/":
            out.append((c, c))
            i += 1
        elif "a" <= c <= "z":
            j = i
            while j < len(s) and "a" <= s[j] <= "z":
                j += 1
            out.append(("word", s[i:j]))
            i = j
        else:
            return None
    return out


def _split_number(raw: str, joined: bool) -> list[str]:
    """The number strings of one scanned run (``'100,100'`` -> one or two)."""
    m = re.fullmatch(r"([0-9,.]*?)(\.[0-9]*)?(e[-+]?[0-9]+)?", raw)
    head, frac, exp = m.group(1), m.group(2) or "", m.group(3) or ""
    if joined and _THOUSANDS.fullmatch(head):
        return [head.replace(",", "") + frac + exp]
    parts = head.split(",")
    parts[-1] += frac + exp
    return parts


def _ambiguous(tokens: list[tuple[str, str]]) -> bool:
    return any(kind == "num" and _THOUSANDS.fullmatch(re.split(r"[.e]", text)[0])
               for kind, text in tokens)


def _reading(tokens: list[tuple[str, str]], joined: bool) -> tuple[float, ...] | None:
    values: list[float] = []
    sign, after_number, fraction = 1.0, False, False
    for n, (kind, text) in enumerate(tokens):
        following = tokens[n + 1][0] if n + 1 < len(tokens) else ""
        if kind == "num":
            if after_number:                             # 1.2.3
                return None
            parts = _split_number(text, joined)
            if any(p in ("", ".") or p.startswith("e") for p in parts):
                return None
            numbers = [float(p) for p in parts]
            if fraction:
                if numbers[0] == 0:
                    return None
                values[-1] = values[-1] / numbers[0]
                numbers = numbers[1:]
            values.extend([sign * numbers[0]] if numbers else [])
            values.extend(numbers[1:])
            sign, after_number, fraction = 1.0, True, False
        elif kind == "sep" or (kind == "word" and text in _SEPARATOR_WORDS):
            if sign != 1.0 or fraction:
                return None
            after_number = False
        elif kind in "-+" and following == "num":
            if after_number and kind == "-":            # 12-14: a range
                after_number = False
            elif after_number or sign != 1.0:
                return None
            else:
                sign = -1.0 if kind == "-" else 1.0
        elif kind == "/" and after_number and following == "num":
            fraction, after_number = True, False
        else:
            return None
    if not values or any(not math.isfinite(v) for v in values):
        return None
    return tuple(values)


def readings(text: str) -> list[tuple[float, ...]]:
    """Every way of reading `text` as numbers (at most two; none if it is not numbers).

    >>> readings("3 × 3"), readings("12-14"), readings("-3")
    ([(3.0, 3.0)], [(12.0, 14.0)], [(-3.0,)])
    >>> readings("100,100")
    [(100100.0,), (100.0, 100.0)]
    >>> readings("three")
    []
    """
    tokens = _tokens(_prepare(text))
    if tokens is None:
        return []
    modes = (True, False) if _ambiguous(tokens) else (True,)
    out = []
    for joined in modes:
        r = _reading(tokens, joined)
        if r is not None and r not in out:
            out.append(r)
    return out


def parse_answer(text: str) -> tuple[float, ...] | str:
    """Numbers in a typed answer (the first reading), or the stripped text.

    >>> parse_answer(" (3, 2, 2) ")
    (3.0, 2.0, 2.0)
    >>> parse_answer("675,000")
    (675000.0,)
    >>> parse_answer("same")
    'same'
    """
    found = readings(text)
    return found[0] if found else text.strip(SPACE)


def normalise_text(text: str) -> str:
    """A text answer as compared: ASCII lower case, single spaces, no end spaces.

    >>> normalise_text("  TF   Same ")
    'tf same'
    """
    return re.sub(f"[{SPACE}]+", " ", _ascii_lower(text)).strip(" ")


def answer_values(answer: Answer) -> tuple[float, ...]:
    """A numeric `answer` as a tuple of floats (ValueError naming `answer` otherwise).

    >>> answer_values(3), answer_values((3, 2))
    ((3.0,), (3.0, 2.0))
    """
    items = tuple(answer) if isinstance(answer, Sequence) and not isinstance(answer, str) \
        else (answer,)
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in items):
        raise ValueError(f"`answer` must be a number or a tuple of numbers, got {answer!r}")
    values = tuple(float(v) for v in items)
    if not values or not all(math.isfinite(v) for v in values):
        raise ValueError(f"`answer` must hold finite numbers, got {answer!r}")
    return values


def number_step(values: Sequence[float], rel_tol: float = 1e-3) -> str | None:
    """The comparison grid of a numeric answer: None (whole numbers, compared exactly)
    or the power of ten nearest (in log scale) to `rel_tol` times the smallest non-zero
    value, written ``'1e-4'``. A power of ten tells the page only the answer's magnitude.

    >>> number_step((3, 2)), number_step((0.125,)), number_step((12.5, 3)), number_step((0.08073,))
    (None, '1e-4', '1e-3', '1e-4')
    """
    if all(v == int(v) for v in values):
        return None
    smallest = min(abs(v) for v in values if v != 0)
    return f"1e{round(math.log10(smallest * rel_tol))}"


def value_key(values: Sequence[float], step: str | None) -> str:
    """The canonical text of typed numbers on the grid `step` (what gets hashed).

    >>> value_key((3.0, 2.0), None), value_key((0.1251,), "1e-4"), value_key((2.5,), None)
    ('3,2', '1251', '?')
    """
    if step is None:
        return ",".join(str(int(v)) if v == int(v) else "?" for v in values)
    grid = float(step)
    return ",".join(str(math.floor(v / grid + 0.5)) for v in values)


def accepted_keys(answer: Answer, rel_tol: float = 1e-3) -> tuple[str | None, set[str]]:
    """The grid and the canonical keys a typed numeric answer may have to be right.

    On a grid, the answer's cell and its two neighbours are accepted: a typed value
    is right within 0.5 to 1.5 grid steps, about 0.16 to 4.7 times ``rel_tol``.

    >>> accepted_keys((3, 2))
    (None, {'3,2'})
    >>> sorted(accepted_keys(0.125)[1])
    ['1249', '1250', '1251']
    """
    want = answer_values(answer)
    step = number_step(want, rel_tol)
    if step is None:
        return None, {value_key(want, None)}
    cells = [math.floor(v / float(step) + 0.5) for v in want]
    keys = {""}
    for c in cells:
        keys = {f"{k},{c + d}" if k else str(c + d) for k in keys for d in (-1, 0, 1)}
    return step, keys


def candidate_keys(text: str, count: int, step: str | None) -> list[str]:
    """Keys of every reading of `text` that has `count` numbers (square rule included).

    >>> candidate_keys("100,100", 2, None), candidate_keys("3x3", 1, None)
    (['100,100'], ['3'])
    """
    keys: list[str] = []
    for r in readings(text):
        if len(r) == count:
            shaped = [r]
        elif count == 1 and len(r) == 2 and r[0] == r[1]:
            shaped = [r[:1]]
        else:
            shaped = []
        for s in shaped:
            k = value_key(s, step)
            if k not in keys:
                keys.append(k)
    return keys


def input_message(text: str, count: int) -> Verdict | None:
    """The verdict for input that is not an answer yet (empty, unreadable, wrong count).

    >>> input_message("three", 1).message
    'Type a number such as 3.'
    >>> input_message("3", 2).message
    'This answer has 2 numbers; you typed 1.'
    """
    if not text.strip(SPACE):
        return Verdict("empty", "Type an answer first.")
    found = readings(text)
    if not found:
        if "%" in text:
            return Verdict("unreadable", "Type a plain number (0.25 or 1/4), not a percentage.")
        example = ", ".join(["3", "2", "2", "1"][:count]) if count <= 4 else "3, 2, …"
        if count == 1:
            return Verdict("unreadable", "Type a number such as 3.")
        return Verdict("unreadable", f"Type {count} numbers such as {example}.")
    if not candidate_keys(text, count, None):
        if count == 1 and re.fullmatch(f"[{SPACE}]*[0-9]+,[0-9]+[{SPACE}]*", text):
            return Verdict("count", "Write decimals with a point: 0.5, not 0,5.")
        typed = len(found[0])
        has = "one number" if count == 1 else f"{count} numbers"
        return Verdict("count", f"This answer has {has}; you typed {typed}.")
    return None


def check_answer(text: str, answer: Answer, rel_tol: float = 1e-3) -> Verdict:
    """The verdict on typed `text` against `answer` (a number, tuple or text).

    >>> check_answer("100,100", (100, 100)).kind, check_answer("3x3", 3).kind
    ('right', 'right')
    >>> check_answer("4", 3).kind, check_answer("", 3).kind, check_answer("abc", 3).kind
    ('wrong', 'empty', 'unreadable')
    """
    if isinstance(answer, str):
        if not text.strip(SPACE):
            return Verdict("empty", "Type an answer first.")
        right = normalise_text(text) == normalise_text(answer)
        return Verdict("right" if right else "wrong")
    count = len(answer_values(answer))
    early = input_message(text, count)
    if early is not None:
        return early
    step, keys = accepted_keys(answer, rel_tol)
    right = any(k in keys for k in candidate_keys(text, count, step))
    return Verdict("right" if right else "wrong")


def judge(text: str, answer: Answer, rel_tol: float = 1e-3) -> bool:
    """Whether the typed `text` matches `answer` (see the module docstring for the rules).

    >>> judge("3x2", (3, 2)), judge("4", 3), judge("Same", "same"), judge("100,100", (100, 100))
    (True, False, True, True)
    """
    return check_answer(str(text), answer, rel_tol).ok


def _format_number(v: float) -> str:
    if v == int(v) and abs(v) < 1e16:
        return f"{int(v):,}"
    return format(v, ",.6g")


def format_answer(answer: Answer) -> str:
    """The one way the course writes an answer: thousands separators, tuples in brackets.

    >>> format_answer(2722500), format_answer((3, 2)), format_answer(0.08073), format_answer(4.0)
    ('2,722,500', '(3, 2)', '0.08073', '4')
    """
    if isinstance(answer, str):
        return answer
    if isinstance(answer, Sequence):
        return "(" + ", ".join(format_answer(a) for a in answer) + ")"
    return _format_number(float(answer))
