"""The answer checker: one table of typed inputs and verdicts (shared with the
Chromium test of the JavaScript checker), readings, keys and the formatter."""
from __future__ import annotations

import pytest

from convlib.exercises import answers
from convlib.exercises.answers import check_answer, format_answer, judge, readings

from .answer_table import TABLE


def rows():
    """The table with the rules (keyword arguments) of every row, {} by default."""
    return [(*row[:4], row[4] if len(row) > 4 else {}) for row in TABLE]


@pytest.mark.parametrize("text, answer, kind, message, rules", rows())
def test_verdict_table(text, answer, kind, message, rules):
    verdict = check_answer(text, answer, **rules)
    assert verdict.kind == kind
    assert verdict.message == message
    assert judge(text, answer, **rules) is (kind == "right")
    assert verdict.counts is (kind in ("right", "wrong"))


@pytest.mark.parametrize("text, expected", [
    ("100,100", [(100100.0,), (100.0, 100.0)]),
    ("675,000", [(675000.0,), (675.0, 0.0)]),
    ("3,2", [(3.0, 2.0)]),
    ("0,125", [(0.0, 125.0)]),
    ("12-14", [(12.0, 14.0)]),
    ("-3", [(-3.0,)]),
    ("3 - -1", [(3.0, -1.0)]),
    ("3--1", []),
    ("+3", [(3.0,)]),
    ("3+1", []),
    ("1/8, 1/4", [(0.125, 0.25)]),
    ("1 / 8", [(0.125,)]),
    ("5.", [(5.0,)]),
    ("1e400", []),
    ("x", []),
])
def test_readings(text, expected):
    assert readings(text) == expected


def test_parse_answer_falls_back_to_text():
    assert answers.parse_answer(" hello ") == "hello"
    assert answers.parse_answer("3x2") == (3.0, 2.0)


@pytest.mark.parametrize("bad", [None, "3", (), (1, None), float("nan")])
def test_answer_values_names_the_parameter(bad):
    with pytest.raises(ValueError, match="`answer`"):
        answers.answer_values(bad)


def test_tolerance_grid_accepts_neighbours_only():
    step, keys = answers.accepted_keys(0.08073)
    assert step == "1e-4"
    assert keys == {"806", "807", "808"}
    step, keys = answers.accepted_keys((1.5, 2))
    assert step == "1e-3" and len(keys) == 9


def test_whole_numbers_compare_exactly():
    assert not judge("3.0001", 3)
    assert judge("3.0001", 3.0001)


@pytest.mark.parametrize("answer, text", [
    (2722500, "2,722,500"), ((3, 2), "(3, 2)"), ((675000, 12), "(675,000, 12)"),
    (0.08073, "0.08073"), (4.0, "4"), ("same", "same"), (-3, "-3"), (12345.678, "12,345.7"),
])
def test_format_answer(answer, text):
    assert format_answer(answer) == text


@pytest.mark.parametrize("answer", [3, 2722500, (3, 2), (675000, 12), 0.08073, (0.5, 12.25)])
def test_formatted_answer_is_judged_right(answer):
    """The revealed answer, typed back, is right."""
    assert judge(format_answer(answer), answer)
