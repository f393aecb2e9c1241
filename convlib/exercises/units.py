"""Unit suffixes and asked precision of numeric answers (used by `answers`).

Pure Python. ``convlib/web/exercise.js`` implements the same rules; the shared table
in ``tests/exercises/answer_table.py`` runs through both.

Units (``unit=``)
-----------------
A suffix at the very end of a typed answer (spaces before it allowed) applies to
every number typed: ``10.3M``, ``10.3 million``, ``12.5%``, ``3 x 3 px``.

* Scale suffixes: ``k``/``K`` = 1e3, ``M`` = 1e6, ``G`` = 1e9 (case as written:
  ``m`` and ``g`` are not read), and the words ``thousand(s)``, ``million(s)``,
  ``billion(s)`` (any case).
* ``unit=None`` (a raw count): a scale suffix multiplies (``10.3M`` is 10,300,000);
  ``%`` gets the message "Type a plain number (0.25 or 1/4), not a percentage.".
* A scale unit, ``unit="k"``, ``"K"``, ``"M"`` or ``"G"``: `answer` is in that unit
  (``answer=10.3, unit="M"``); a plain number is read in it, a scale suffix converts
  (``10300k`` is 10.3 M). ``%`` is a unit message (no attempt).
* Any other unit is a label (``"%"``, ``"px"``, ``"MB"``; letters and ``%``, at most
  8): a plain number or the label itself (any case: ``12.5%``, ``3 px``, ``40 mb``)
  is read as is; a scale suffix or ``%`` is a unit message (no attempt).
* Other trailing letters are left to the reader (``3x`` reads as 3, ``3e`` is
  unreadable).

Precision (``decimals=`` or ``sig=``)
-------------------------------------
With ``decimals=n`` (0-12) an answer is right when it is the true value rounded
half-up to n decimals, written with at most n decimals (``8.2`` or ``8.20`` for 8.18
at one decimal; both neighbours when the true value sits on a half), or when it is
within the usual tolerance (``8.18``). ``sig=s`` (1-15) does the same at s significant
figures of each value. The rendered question then ends with "(to 1 decimal)" or
"(to 3 significant figures)".
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

__all__ = ["number_step", "value_key", "format_answer", "with_unit", "scaled", "SCALES",
           "WORDS", "check_unit", "split_suffix", "unit_factor", "unit_text", "check_precision",
           "places_for", "precision_note", "rounded_cells", "typed_cell", "format_rounded"]

SPACE = " \t\n\r\f\v\u00a0\u2009\u202f"
SCALES = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}
WORDS = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6,
         "billion": 1e9, "billions": 1e9}
_NAMES = {1e3: "thousands", 1e6: "millions", 1e9: "billions"}
_SUFFIX = re.compile(f"(.*?[0-9.)\\]])[{SPACE}]*([A-Za-z%]+)", re.S)


def _lower(text: str) -> str:
    return re.sub(r"[A-Z]", lambda m: m.group(0).lower(), text)


def check_unit(unit: str | None) -> str | None:
    """`unit` validated (ValueError naming `unit`).

    >>> check_unit("M"), check_unit("%"), check_unit(None)
    ('M', '%', None)
    """
    if unit is not None and not (isinstance(unit, str) and re.fullmatch("[A-Za-z%]{1,8}", unit)):
        raise ValueError(f"`unit` must be None or 1-8 letters or '%' (like 'M', '%', 'px'), "
                         f"got {unit!r}")
    return unit


def split_suffix(text: str, unit: str | None) -> tuple[str, str | None]:
    """(the numbers' text, the recognised suffix or None).

    >>> split_suffix("10.3M", None), split_suffix("3 x 3 PX", "px"), split_suffix("3e", None)
    (('10.3', 'M'), ('3 x 3', 'px'), ('3e', None))
    """
    s = text.strip(SPACE)
    m = _SUFFIX.fullmatch(s)
    if not m:
        return s, None
    body, suffix = m.group(1), m.group(2)
    if unit is not None and _lower(suffix) == _lower(unit):
        return body, unit
    if suffix in SCALES or suffix == "%":
        return body, suffix
    if _lower(suffix) in WORDS:
        return body, _lower(suffix)
    return s, None


def _scale(name: str | None) -> float | None:
    if name is None:
        return None
    return SCALES.get(name, WORDS.get(name))


def unit_text(unit: str) -> str:
    """How a message names `unit`.

    >>> unit_text("M"), unit_text("px")
    ('millions (M)', 'px')
    """
    scale = _scale(unit)
    return f"{_NAMES[scale]} ({unit})" if scale else unit


def with_unit(text: str, unit: str | None) -> str:
    """`text` (a formatted answer) followed by `unit` as the course writes it.

    >>> with_unit("10.3", "M"), with_unit("12.5", "%"), with_unit("(3, 3)", "px")
    ('10.3M', '12.5%', '(3, 3) px')
    """
    if unit is None:
        return text
    return f"{text}{unit}" if unit == "%" or _scale(unit) else f"{text} {unit}"


def unit_factor(suffix: str | None, unit: str | None) -> float | str:
    """The factor typed numbers are multiplied by, or the message when `suffix`
    contradicts `unit`. The factor is applied as ``v * a / b`` (see `scaled`).

    >>> unit_factor("M", None), unit_factor("k", "M"), unit_factor(None, "M")
    ((1000000.0, 1.0), (1000.0, 1000000.0), (1.0, 1.0))
    >>> unit_factor("M", "%")
    'Answer in %: a plain number like 2.5, or 2.5%.'
    """
    if suffix is None or suffix == unit:
        return 1.0, 1.0
    scale, base = _scale(suffix), _scale(unit)
    if unit is None:
        if scale is None:
            return "Type a plain number (0.25 or 1/4), not a percentage."
        return scale, 1.0
    if scale is not None and base is not None:
        return scale, base
    return f"Answer in {unit_text(unit)}: a plain number like 2.5, or {with_unit('2.5', unit)}."


def scaled(values: Sequence[float], factor: tuple[float, float]) -> tuple[float, ...]:
    """`values` in the question's unit: ``v * a / b`` (the same order in JavaScript)."""
    a, b = factor
    if a == 1.0 and b == 1.0:
        return tuple(values)
    return tuple(v * a / b for v in values)


# ---------------------------------------------------------------------- precision

def check_precision(decimals: int | None, sig: int | None) -> None:
    """ValueError naming `decimals` or `sig` when they are not small whole numbers."""
    for name, value, low, high in (("decimals", decimals, 0, 12), ("sig", sig, 1, 15)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not low <= value <= high):
            raise ValueError(f"`{name}` must be None or an int from {low} to {high}, got {value!r}")
    if decimals is not None and sig is not None:
        raise ValueError("give `decimals` or `sig`, not both")


def places_for(values: Sequence[float], decimals: int | None, sig: int | None) -> list[int] | None:
    """Decimal places each value is rounded to (negative: tens, hundreds, ...).

    places = decimals, or sig - 1 - floor(log10 |v|)

    >>> places_for((8.18,), 1, None), places_for((10312345, 0.0412), None, 3)
    ([1], [-5, 4])
    """
    if decimals is not None:
        return [decimals] * len(values)
    if sig is not None:
        return [sig - 1 - (math.floor(math.log10(abs(v))) if v else 0) for v in values]
    return None


def precision_note(decimals: int | None, sig: int | None) -> str:
    """What the rendered question adds.

    >>> precision_note(1, None), precision_note(2, None), precision_note(None, 3)
    ('to 1 decimal', 'to 2 decimals', 'to 3 significant figures')
    """
    if decimals is not None:
        return "to a whole number" if decimals == 0 else \
            f"to {decimals} decimal{'s' if decimals > 1 else ''}"
    if sig is not None:
        return f"to {sig} significant figure{'s' if sig > 1 else ''}"
    return ""


def _shift(v: float, n: int) -> float:
    """v · 10^n with an exact power of ten (divided for negative n)."""
    return v * float(f"1e{n}") if n >= 0 else v / float(f"1e{-n}")


def rounded_cells(values: Sequence[float], places: Sequence[int]) -> set[str]:
    """Keys of the true `values` rounded half-up at `places` (both neighbours on a half).

    >>> rounded_cells((8.18,), [1]), sorted(rounded_cells((0.125,), [2]))
    ({'82'}, ['12', '13'])
    """
    keys = {""}
    for v, n in zip(values, places):
        t = _shift(v, n)
        cells = {math.floor(t + 0.5)}
        if abs(t - math.floor(t) - 0.5) < 1e-9:
            cells |= {math.floor(t), math.floor(t) + 1}
        keys = {f"{k},{c}" if k else str(c) for k in keys for c in cells}
    return keys


def typed_cell(values: Sequence[float], places: Sequence[int]) -> str | None:
    """The key of typed `values` when each has at most its places of decimals, else None.

    >>> typed_cell((8.2,), [1]), typed_cell((8.24,), [1]), typed_cell((10300000.0,), [-5])
    ('82', None, '103')
    """
    out = []
    for v, n in zip(values, places):
        t = _shift(v, n)
        r = math.floor(t + 0.5)
        if abs(t - r) > 1e-9 * max(1.0, abs(t)):
            return None
        out.append(str(r))
    return ",".join(out)


def format_rounded(v: float, n: int) -> str:
    """`v` rounded half-up at `n` places, with thousands separators.

    >>> format_rounded(8.18, 1), format_rounded(10312345, -5), format_rounded(1234.5, 0)
    ('8.2', '10,300,000', '1,235')
    """
    r = math.floor(_shift(v, n) + 0.5)
    if n <= 0:
        return f"{r * 10 ** (-n):,}"
    sign = "-" if r < 0 else ""
    whole, frac = divmod(abs(r), 10 ** n)
    return f"{sign}{whole:,}.{frac:0{n}d}"


# ---------------------------------------------------------------------- grid and format

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


def _format_number(v: float) -> str:
    if v == int(v) and abs(v) < 1e16:
        return f"{int(v):,}"
    return format(v, ",.6g")


def format_answer(answer) -> str:
    """The one way the course writes an answer: thousands separators, tuples in brackets.

    >>> format_answer(2722500), format_answer((3, 2)), format_answer(0.08073), format_answer(4.0)
    ('2,722,500', '(3, 2)', '0.08073', '4')
    """
    if isinstance(answer, str):
        return answer
    if isinstance(answer, Sequence):
        return "(" + ", ".join(format_answer(a) for a in answer) + ")"
    return _format_number(float(answer))
