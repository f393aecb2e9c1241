"""convlib.check.compare: prints agreement, raises on any disagreement."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import convlib as cl


def test_equal_values_print_a_tick(capsys):
    cl.compare("size", (3, 2), torch.Size([3, 2]))
    cl.compare("values", np.ones((2, 2)), torch.ones(2, 2))
    cl.compare("mask", np.array([True, False]), torch.tensor([True, False]))
    out = capsys.readouterr().out
    assert out.count("✓") == 3 and "convlib (3, 2) == torch (3, 2)" in out


@pytest.mark.parametrize("ours, theirs, match", [
    (3, 4, "convlib 3 != torch 4"),
    (np.zeros(3), torch.zeros(4), "shape"),
    (np.zeros(3), torch.tensor([0.0, 0.0, 1e-3]), "differ by up to 0.001"),
    (np.array([True, True]), torch.tensor([True, False]), "differ"),
])
def test_differences_raise(ours, theirs, match):
    with pytest.raises(AssertionError, match=match):
        cl.compare("x", ours, theirs)


def test_a_checks_block_shows_one_line_and_keeps_every_comparison(capsys):
    with cl.checks("sizes") as ck:
        ck.compare("a", 3, torch.tensor(3))
        ck.compare("b", np.ones(2), torch.ones(2))
        ck.holds("c is even", 4 % 2 == 0)
    out = capsys.readouterr().out
    assert out == "✓ sizes: 3 of 3 agree with PyTorch\n"
    assert ck.lines[0] == "a: convlib 3 == torch 3" and ck.lines[2] == "c is even"
    html = ck._repr_html_()
    assert html.startswith('<details class="convlib-checks"><summary>✓ sizes')
    assert html.count("<li>") == 3 and "✓" not in html.split("</summary>")[1]


def test_a_checks_block_fails_at_the_first_difference_and_shows_nothing(capsys):
    with pytest.raises(AssertionError, match="b: convlib 3 != torch 4"):
        with cl.checks("sizes") as ck:
            ck.compare("a", 3, 3)
            ck.compare("b", 3, 4)
    with pytest.raises(AssertionError, match="odd: does not hold"):
        with cl.checks("parity") as ck:
            ck.holds("odd", torch.tensor(4) % 2 == 1)
    assert capsys.readouterr().out == ""


def test_an_empty_checks_block_is_an_error():
    with pytest.raises(AssertionError, match="nothing was checked"):
        with cl.checks("nothing"):
            pass
    with pytest.raises(ValueError, match="subject"):
        cl.checks("")


def test_html_of_a_block_escapes_labels():
    with cl.checks("<b>") as ck:
        ck.compare("x < y", 1, 1)
    assert "&lt;b&gt;" in ck._repr_html_() and "x &lt; y" in ck._repr_html_()
