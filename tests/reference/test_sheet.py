"""convlib.reference.sheet: every rule agrees with convlib and torch on many random
configurations, and a wrong formula (the sources' among them) is caught by torch."""
from __future__ import annotations

import html
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib as cl
from convlib.reference import sheet

IDS = [e.name.split(" (")[0] for e in sheet.SHEET]
ENTRIES = dict(zip(IDS, sheet.SHEET))


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12)
    return a == b


@pytest.mark.parametrize("entry", sheet.SHEET, ids=IDS)
@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1))
def test_formula_convlib_and_torch_agree(entry, seed):
    for config in sheet.configurations(entry, 3, seed=seed):
        formula, ours, measured = sheet.evaluate(entry, config)
        assert same(formula, measured), (entry.name, config, formula, measured)
        assert same(ours, measured), (entry.name, config, ours, measured)


def caught(entry, wrong, n: int = 60) -> bool:
    """Whether `wrong` (a formula with the entry's arguments) differs from torch somewhere."""
    return any(not same(wrong(**c), entry.measure(**c))
               for c in sheet.configurations(entry, n, seed=1))


#: Wrong rules, the sources' first: each must be caught by the torch measurement.
WRONG = {
    "convolution, per axis": lambda i, k, s, p, d: math.ceil((i - k + 2 * p) / s) + 1,
    "transposed convolution": lambda i, k, s, p, op, d: (i - 1) * s - 2 * p + k,
    "pooling, ceil_mode=True": lambda i, k, s, p, d: math.ceil((i + 2 * p - d * (k - 1) - 1) / s) + 1,
    "Conv2d parameters": lambda c_in, c_out, g, k_h, k_w, bias: k_h * k_w * c_out + c_out * bias,
    "LSTM parameters, PyTorch": lambda n_in, h: 4 * (n_in + h) * h + 4 * h,       # Keras's count
    "receptive field, bottom-up": lambda layers: (1 + sum(k - 1 for k, _, _ in layers), 1),
    "receptive field, top-down": lambda layers: sheet._top_down(tuple((k, s, 1) for k, s, _ in layers)),
    "depthwise-separable over standard, MACs": lambda c_in, c_out, k, size: 1 / c_out + 1 / k,
    "uneven overlap": lambda k, s: k % 2 == 0,
    "BatchNorm2d: trainable parameters, running statistics": lambda c: (4 * c, 0),
    "TensorFlow SAME": lambda i, k, s, d: (math.ceil(i / s), (math.ceil(i / s) - 1) * s + d * (k - 1) + 1 - i),
    "output padding that restores i": lambda i, k, s, p, d: 0,
    "ResNeXt bottleneck, stride 1": lambda c, m_, g, h, w: h * w * (2 * c * m_ + 9 * m_ * m_),
    "ShuffleNet unit, stride 1": lambda c, m_, g, h, w: h * w * (2 * c * m_ // g + 9 * m_ * m_ // g),
    "ConvTranspose2d MACs": lambda c_in, c_out, g, k_h, k_w, h_in, w_in: (
        k_h * k_w * c_in * (c_out // g) * (h_in + k_h - 1) * (w_in + k_w - 1)),   # output size
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_formula_is_caught_by_torch(name):
    assert caught(ENTRIES[name], WRONG[name]), name


def _bump(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, tuple):
        return (_bump(value[0]),) + value[1:]
    return value + 1


@pytest.mark.parametrize("entry", sheet.SHEET, ids=IDS)
def test_every_check_can_fail(entry):
    """Off by one (or the opposite truth value) is caught on every configuration."""
    for config in sheet.configurations(entry, 10, seed=2):
        assert not same(_bump(entry.formula(**config)), entry.measure(**config))


def test_a_wrong_formula_fails_the_notebook_check_block():
    entry = ENTRIES["transposed convolution"]
    config = dict(i=4, k=3, s=2, p=1, op=1, d=2)
    with pytest.raises(AssertionError, match="transposed"):
        with cl.checks("formula sheet") as ck:
            ck.compare(entry.name, WRONG["transposed convolution"](**config), entry.measure(**config))


def test_the_sources_pooling_rule_misses_the_last_window_case():
    entry = ENTRIES["pooling, ceil_mode=True"]
    config = dict(i=5, k=2, s=2, p=1, d=1)        # ceil gives 4, torch keeps 3
    assert entry.measure(**config) == entry.formula(**config) == 3
    assert WRONG["pooling, ceil_mode=True"](**config) == 4


@pytest.mark.parametrize("entry", sheet.SHEET, ids=IDS)
def test_every_entry_names_a_public_convlib_function_and_valid_latex(entry):
    assert callable(getattr(cl, entry.convlib))
    assert entry.topic in sheet.TOPICS
    assert re.fullmatch(r"0[1-8]", entry.chapter)
    assert "$" not in entry.latex and r"\)" not in entry.latex   # would end the math early
    depth = 0
    for ch in entry.latex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, entry.latex
    assert depth == 0, entry.latex


def test_the_rendered_sheet_lists_every_rule_once_numbered_in_order():
    text = sheet.sheet_html(sheet.TOPICS)
    assert text.startswith('<div class="mathjax_process">')
    numbers = [int(n) for n in re.findall(r"<tr><td[^>]*>(\d+)</td>", text)]
    assert numbers == list(range(1, len(sheet.SHEET) + 1))
    for entry in sheet.SHEET:
        assert text.count(f">{html.escape(entry.name)}<br><code>{entry.convlib}</code><") == 1
        for part in entry.latex.split(r",\quad "):
            assert rf"\({html.escape(part)}\)" in text


def test_html_table_escapes_text_but_not_raw_columns():
    text = sheet.html_table(("a", "b"), [("x < y", "<b>k</b>")], raw=(1,))
    assert ">x &lt; y</td>" in text and "><b>k</b></td>" in text


def test_names_are_unique():
    assert len(set(IDS)) == len(IDS)


def test_unknown_topic_raises_naming_the_parameter():
    with pytest.raises(ValueError, match="`topics`"):
        sheet.sheet_html(["size"])


@pytest.mark.parametrize("n", [0, -1, 2.0])
def test_bad_number_of_configurations_raises_naming_the_parameter(n):
    with pytest.raises(ValueError, match="`n`"):
        sheet.configurations(sheet.SHEET[0], n)


def test_configurations_are_deterministic():
    entry = sheet.SHEET[0]
    assert sheet.configurations(entry, 5, seed=3) == sheet.configurations(entry, 5, seed=3)
