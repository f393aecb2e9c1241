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
* The count of numbers is a format, never an attempt: where one number is
  expected, a pair (``3x3``, ``3x4``) gets "This question wants one number; you
  typed 2." and where a pair is expected, one number gets "This question wants two
  numbers, like 3x3; you typed 1.". An equal pair is NOT read as one number (``3x3``
  for 3 is that message too): a rule "right if its value is right, else a message"
  would give unlimited free guesses. Only readings with the expected count are judged:
  ``100,100`` where one number is expected is 100100 (the course's own way of writing
  it, `format_answer`), a real attempt; a message there would have to depend on
  whether 100100 is right (free guesses again) or would turn every wrong ``18,432``
  into a message.
* Unit suffixes (``10.3M``, ``12.5%``, ``3 px``) and rounding at an asked precision
  (``decimals=``, ``sig=``): see `convlib.exercises.units`.
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

from .units import (check_precision, check_unit, format_answer, number_step, places_for,
                    rounded_cells, scaled, split_suffix, typed_cell, unit_factor, value_key)

__all__ = ["Verdict", "parse_answer", "readings", "judge", "check_answer", "format_answer",
           "answer_values", "number_step", "value_key", "accepted_keys", "candidate_keys",
           "normalise_text", "input_message", "number_entry", "count_message", "answer_keys"]

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


_WORD = {1: "one number", 2: "two numbers", 3: "three numbers", 4: "four numbers"}


def count_message(count: int, typed: int) -> str:
    """The message for `typed` numbers where `count` are expected (never an attempt).

    >>> count_message(1, 2)
    'This question wants one number; you typed 2.'
    >>> count_message(2, 1)
    'This question wants two numbers, like 3x3; you typed 1.'
    """
    has = _WORD.get(count, f"{count} numbers")
    like = "" if count == 1 else " like 3x3" if count == 2 else \
        " like " + (", ".join(["3", "2", "2", "1"][:count]) if count <= 4 else "3, 2, …")
    return f"This question wants {has}{',' if like else ''}{like}; you typed {typed}."


def number_entry(text: str, count: int, unit: str | None = None
                 ) -> list[tuple[float, ...]] | Verdict:
    """The readings of `text` with `count` numbers, in the question's `unit`, or the
    verdict for input that is not an answer yet (empty, unreadable, wrong count, unit).

    >>> number_entry("10.3M", 1), number_entry("10300k", 1, "M")
    ([(10300000.0,)], [(10.3,)])
    >>> number_entry("3x3", 1).message
    'This question wants one number; you typed 2.'
    """
    if not text.strip(SPACE):
        return Verdict("empty", "Type an answer first.")
    body, suffix = split_suffix(text, unit)
    factor = unit_factor(suffix, unit)
    if isinstance(factor, str):
        return Verdict("unreadable" if unit is None else "unit", factor)
    found = readings(body)
    if not found:
        if "%" in text and unit != "%":
            return Verdict("unreadable", "Type a plain number (0.25 or 1/4), not a percentage.")
        example = ", ".join(["3", "2", "2", "1"][:count]) if count <= 4 else "3, 2, …"
        if count == 1:
            return Verdict("unreadable", "Type a number such as 3.")
        return Verdict("unreadable", f"Type {count} numbers such as {example}.")
    fitting = [scaled(r, factor) for r in found if len(r) == count]
    if not fitting:
        if count == 1 and re.fullmatch(f"[{SPACE}]*[0-9]+,[0-9]+[{SPACE}]*", text):
            return Verdict("count", "Write decimals with a point: 0.5, not 0,5.")
        return Verdict("count", count_message(count, len(found[0])))
    return fitting


def candidate_keys(text: str, count: int, step: str | None, unit: str | None = None,
                   places: Sequence[int] | None = None) -> list[str]:
    """Keys of every reading of `text` that has `count` numbers: ``'g:'`` keys on the
    tolerance grid `step`, and ``'r:'`` keys at the rounding `places` (if given).

    >>> candidate_keys("100,100", 2, None), candidate_keys("3x3", 1, None)
    (['g:100,100'], [])
    >>> candidate_keys("8.2", 1, "1e-2", places=[1])
    ['g:820', 'r:82']
    """
    entry = number_entry(text, count, unit)
    keys: list[str] = []
    for values in ([] if isinstance(entry, Verdict) else entry):
        found = ["g:" + value_key(values, step)]
        cell = typed_cell(values, places) if places is not None else None
        found += [] if cell is None else ["r:" + cell]
        keys += [k for k in found if k not in keys]
    return keys


def input_message(text: str, count: int, unit: str | None = None) -> Verdict | None:
    """The verdict for input that is not an answer yet (empty, unreadable, wrong count).

    >>> input_message("three", 1).message
    'Type a number such as 3.'
    >>> input_message("3", 2).message
    'This question wants two numbers, like 3x3; you typed 1.'
    """
    entry = number_entry(text, count, unit)
    return entry if isinstance(entry, Verdict) else None


def answer_keys(answer: Answer, rel_tol: float = 1e-3, decimals: int | None = None,
                sig: int | None = None) -> tuple[str | None, list[int] | None, set[str]]:
    """(grid step, rounding places, every accepted ``'g:'``/``'r:'`` key) of `answer`.

    >>> step, places, keys = answer_keys(8.18, decimals=1)
    >>> step, places, sorted(keys)
    ('1e-2', [1], ['g:817', 'g:818', 'g:819', 'r:82'])
    """
    check_precision(decimals, sig)
    step, grid = accepted_keys(answer, rel_tol)
    places = places_for(answer_values(answer), decimals, sig)
    keys = {"g:" + k for k in grid}
    if places is not None:
        keys |= {"r:" + k for k in rounded_cells(answer_values(answer), places)}
    return step, places, keys


def check_answer(text: str, answer: Answer, rel_tol: float = 1e-3, unit: str | None = None,
                 decimals: int | None = None, sig: int | None = None) -> Verdict:
    """The verdict on typed `text` against `answer` (a number, tuple or text).

    >>> check_answer("100,100", (100, 100)).kind, check_answer("3x3", 3).kind
    ('right', 'count')
    >>> check_answer("4", 3).kind, check_answer("", 3).kind, check_answer("abc", 3).kind
    ('wrong', 'empty', 'unreadable')
    >>> check_answer("8.2", 8.18, decimals=1).kind, check_answer("10.3M", 10.3, unit="M").kind
    ('right', 'right')
    """
    if isinstance(answer, str):
        if not text.strip(SPACE):
            return Verdict("empty", "Type an answer first.")
        right = normalise_text(text) == normalise_text(answer)
        return Verdict("right" if right else "wrong")
    check_unit(unit)
    count = len(answer_values(answer))
    early = input_message(text, count, unit)
    if early is not None:
        return early
    step, places, keys = answer_keys(answer, rel_tol, decimals, sig)
    right = any(k in keys for k in candidate_keys(text, count, step, unit, places))
    return Verdict("right" if right else "wrong")


def judge(text: str, answer: Answer, rel_tol: float = 1e-3, **rules) -> bool:
    """Whether the typed `text` matches `answer` (see the module docstring for the rules).

    >>> judge("3x2", (3, 2)), judge("4", 3), judge("Same", "same"), judge("100,100", (100, 100))
    (True, False, True, True)
    """
    return check_answer(str(text), answer, rel_tol, **rules).ok
