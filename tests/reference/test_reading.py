"""convlib.reference.reading: the reading-time rule, prose words, prerequisites."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from convlib.reference import reading

ROOT = Path(__file__).resolve().parents[2]


def test_reading_minutes_follows_the_rule():
    assert reading.reading_minutes(2100, 7) == 35       # 10.5 + 21 = 31.5 -> 35
    assert reading.reading_minutes(2000, 0) == 10       # exactly 10
    assert reading.reading_minutes(0, 0) == 5           # never 0
    assert "200 words a minute" in reading.reading_rule()


@pytest.mark.parametrize("name, value", [("words", -1), ("exercises", 1.5), ("words", True)])
def test_reading_minutes_rejects_bad_counts_naming_the_parameter(name, value):
    args = {"words": 10, "exercises": 1, name: value}
    with pytest.raises(ValueError, match=f"`{name}`"):
        reading.reading_minutes(**args)


def test_prose_words_leave_out_math_code_tags_and_addresses():
    assert reading.prose_words("one $$x = y$$ two `code` <b>three</b> [four](http://a.b/c)") == 4
    assert reading.prose_words("output-padding isn't two") == 3
    with pytest.raises(ValueError, match="`markdown`"):
        reading.prose_words(None)


def test_chapter_load_counts_lesson_prose_and_exercises_not_notes():
    cells = [
        {"cell_type": "markdown", "source": ["two words"], "metadata": {}},
        {"cell_type": "markdown", "source": "not counted here",
         "metadata": {"slideshow": {"slide_type": "notes"}}},
        {"cell_type": "code", "source": "cl.Exercise('q', answer=3)", "metadata": {}},
        {"cell_type": "code", "source": "x = 1", "metadata": {}},
    ]
    assert reading.chapter_load(cells) == reading.ChapterLoad(2, 1)


def _closure(chapter: str) -> set[str]:
    out = set()
    for c in reading.PREREQUISITES[chapter]:
        out |= {c} | _closure(c)
    return out


def test_prerequisites_are_earlier_chapters_and_cover_every_chapter_on_disk():
    on_disk = {p.name[:2] for p in (ROOT / "notebooks").glob("0[1-9]_*.md")}
    assert set(reading.PREREQUISITES) == on_disk
    for chapter, needs in reading.PREREQUISITES.items():
        assert all(n < chapter for n in needs), chapter


def test_every_earlier_chapter_a_chapter_refers_back_to_is_a_prerequisite():
    for path in sorted((ROOT / "notebooks").glob("0[1-9]_*.md")):
        n = path.name[:2]
        cited = set(re.findall(r"[Cc]hapters? (0[1-9])", path.read_text(encoding="utf-8")))
        back = {c for c in cited if c < n}
        assert back <= _closure(n), (path.name, sorted(back - _closure(n)))
