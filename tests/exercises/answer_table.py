"""The one table of typed answers: tests/test_answers.py checks it in Python and
tests/browser/test_exercise_js.py runs the same rows through the JavaScript checker.

Rows: (typed text, expected answer, verdict kind, message or None for "any").
"""
from __future__ import annotations

TABLE = [
    # plain numbers
    ("3", 3, "right", ""),
    (" 3 ", 3, "right", ""),
    ("4", 3, "wrong", ""),
    ("3.0", 3, "right", ""),
    ("3.5", 3, "wrong", ""),
    ("-3", -3, "right", ""),
    ("−3", -3, "right", ""),
    ("1e3", 1000, "right", ""),
    # thousands separators and comma lists
    ("675,000", 675000, "right", ""),
    ("2,722,500", 2722500, "right", ""),
    ("2722500", 2722500, "right", ""),
    ("100,100", (100, 100), "right", ""),
    ("100,100", 100100, "right", ""),
    ("100, 100", (100, 100), "right", ""),
    ("100, 100", 100100, "wrong", ""),
    ("1,000, 2,000", (1000, 2000), "right", ""),
    ("1,000,2", (1, 0, 2), "right", ""),
    ("3,2", (3, 2), "right", ""),
    ("(675,000, 12)", (675000, 12), "right", ""),
    ("0,5", 0.5, "count", "Write decimals with a point: 0.5, not 0,5."),
    # per-axis answers and the square rule
    ("3x3", (3, 3), "right", ""),
    ("3 × 3", (3, 3), "right", ""),
    ("3X3", (3, 3), "right", ""),
    ("(3, 3)", (3, 3), "right", ""),
    ("3, 3", (3, 3), "right", ""),
    ("[3,3]", (3, 3), "right", ""),
    ("3 by 3", (3, 3), "right", ""),
    ("3x3", 3, "right", ""),
    ("(3, 3)", 3, "right", ""),
    ("3x4", 3, "count", "This answer has one number; you typed 2."),
    ("3", (3, 3), "count", "This answer has 2 numbers; you typed 1."),
    ("3 2 2", (3, 2, 2), "right", ""),
    ("(3, 2, 2)", (3, 2, 2), "right", ""),
    ("3, 2", (3, 2, 2), "count", "This answer has 3 numbers; you typed 2."),
    ("2, 3", (3, 2), "wrong", ""),
    ("3x3x3", 3, "count", "This answer has one number; you typed 3."),
    # ranges and signs
    ("12-14", (12, 14), "right", ""),
    ("12–14", (12, 14), "right", ""),
    ("12 - 14", (12, 14), "right", ""),
    ("12 to 14", (12, 14), "right", ""),
    ("12-14", (12, -14), "wrong", ""),
    ("3, -1", (3, -1), "right", ""),
    ("-2-1", (-2, 1), "right", ""),
    # fractions and decimals within the tolerance
    ("0.125", 1 / 8, "right", ""),
    ("1/8", 1 / 8, "right", ""),
    (".125", 1 / 8, "right", ""),
    ("0.1251", 1 / 8, "right", ""),
    ("0.126", 1 / 8, "wrong", ""),
    ("0.13", 1 / 8, "wrong", ""),
    ("0.0807", 0.08073, "right", ""),
    ("0.0808", 0.08073, "right", ""),
    ("0.0809", 0.08073, "wrong", ""),
    ("0.081", 0.08073, "wrong", ""),
    ("1/0", 3, "unreadable", "Type a number such as 3."),
    # not numbers
    ("", 3, "empty", "Type an answer first."),
    ("   ", (3, 3), "empty", "Type an answer first."),
    ("three", 3, "unreadable", "Type a number such as 3."),
    ("three", (3, 2), "unreadable", "Type 2 numbers such as 3, 2."),
    ("3?", 3, "unreadable", "Type a number such as 3."),
    ("1.2.3", 3, "unreadable", "Type a number such as 3."),
    ("12.5%", 0.125, "unreadable", "Type a plain number (0.25 or 1/4), not a percentage."),
    ("3e", 3, "unreadable", "Type a number such as 3."),
    ("²", 2, "unreadable", "Type a number such as 3."),
    # text answers
    ("SAME", "same", "right", ""),
    ("  tf   Same ", "TF SAME", "right", ""),
    ("same", "valid", "wrong", ""),
    ("", "same", "empty", "Type an answer first."),
]
