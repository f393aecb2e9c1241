"""Reading time and prerequisites of each chapter, from the stored notebooks.

Reading time: the prose words at `WORDS_PER_MINUTE` plus `MINUTES_PER_EXERCISE` per
exercise, rounded up to whole `ROUND_TO` minutes:

    t = ROUND_TO * ceil((words / 200 + 3 * exercises) / ROUND_TO)

Prose is the lesson's markdown cells (speaker notes, code, math, HTML tags and link
addresses left out); an exercise is a code cell that creates ``cl.Exercise``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from math import ceil
from typing import Any, NamedTuple

__all__ = ["WORDS_PER_MINUTE", "MINUTES_PER_EXERCISE", "ROUND_TO", "PREREQUISITES",
           "ChapterLoad", "prose_words", "chapter_load", "reading_minutes", "reading_rule"]

WORDS_PER_MINUTE = 200
MINUTES_PER_EXERCISE = 3
ROUND_TO = 5

#: Chapter -> the chapters to know first (earlier ones only; the rest follows transitively).
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "01": (), "02": ("01",), "03": ("01", "02"), "04": ("02",), "05": ("01", "02"),
    "06": ("02", "04"), "07": ("02", "03", "05"), "08": ("03", "06", "07"),
}

_STRIP = [re.compile(p, re.S) for p in (r"\$\$.*?\$\$", r"\$[^$\n]+\$", r"<[^>]+>",
                                         r"\]\([^)]*\)", r"`[^`\n]*`")]
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class ChapterLoad(NamedTuple):
    """Prose words and exercises of one chapter."""
    words: int
    exercises: int


def prose_words(markdown: str) -> int:
    """Words of a markdown text, math, inline code, HTML tags and link addresses left out.

    >>> prose_words("The size $o = i - k + 1$ of a [link](https://x.org) is `o`.")
    6
    """
    if not isinstance(markdown, str):
        raise ValueError(f"`markdown` must be a str, got {type(markdown).__name__}")
    for pattern in _STRIP:
        markdown = pattern.sub(" ", markdown)
    return len(_WORD.findall(markdown))


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def chapter_load(cells: Iterable[Mapping[str, Any]]) -> ChapterLoad:
    """Prose words and exercises of a notebook's cells (nbformat dicts)."""
    words = exercises = 0
    for cell in cells:
        slide = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if cell.get("cell_type") == "markdown" and slide != "notes":
            words += prose_words(_source(cell))
        elif cell.get("cell_type") == "code" and "cl.Exercise(" in _source(cell):
            exercises += 1
    return ChapterLoad(words, exercises)


def reading_minutes(words: int, exercises: int) -> int:
    """t = ROUND_TO ceil((words / WORDS_PER_MINUTE + MINUTES_PER_EXERCISE exercises) / ROUND_TO)

    >>> reading_minutes(2100, 7)     # 10.5 + 21 = 31.5 minutes -> 35
    35
    """
    for name, value in (("words", words), ("exercises", exercises)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"`{name}` must be a non-negative int, got {value!r}")
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_EXERCISE * exercises
    return ROUND_TO * max(1, ceil(minutes / ROUND_TO))


def reading_rule() -> str:
    """The rule in one sentence, with the constants above."""
    return (f"Reading time: the chapter's prose words at {WORDS_PER_MINUTE} words a minute, "
            f"plus {MINUTES_PER_EXERCISE} minutes per exercise, rounded up to {ROUND_TO} minutes.")
