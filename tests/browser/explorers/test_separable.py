"""Chapter 05's depthwise-separable explorer (convlib/web/explorers/separable.js) against
`convlib.widgets.grouped.separable_view`, in Chromium: parameters and MACs of the standard
conv, the depthwise and the pointwise conv, the MACs ratio and its floor 1/k², the text
(`separable_cost_text`, its second line split in two), and the invalid message (a size
below 1, which only `compute` can be given: the sliders start at 1)."""
from __future__ import annotations

import convlib as cl
from convlib.grouped.separable import separable_cost_text
from convlib.widgets.grouped import separable_view

from ..explorer_pages import check_explorer, python_error, served_page, static_twin


def expected(v: dict):
    view, error = python_error(separable_view, v)
    if error:
        return None, error
    c = view.cost
    return {"standard_params": c.standard_params, "standard_macs": c.standard_macs,
            "depthwise_params": c.depthwise_params, "depthwise_macs": c.depthwise_macs,
            "pointwise_params": c.pointwise_params, "pointwise_macs": c.pointwise_macs,
            "ratio": c.macs_ratio, "floor": 1 / view.kernel_area,
            "text": separable_cost_text(c).replace(";  pointwise", ";\npointwise")}, None


def size(rng, hi):
    return 0 if rng.random() < 0.03 else rng.randint(1, hi)


def config(rng):
    return [("in_channels", size(rng, 256)), ("out_channels", size(rng, 256)),
            ("kernel_size", size(rng, 9)), ("output_size", size(rng, 112))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.separable_explorer(), config, expected,
                   expected_text=lambda v: expected(v)[0]["text"])


def test_exact_ties_round_as_python_does(page, tmp_path):
    """k = 8, C_out = 64: the ratio is exactly 1/32 = 0.03125, which Python prints 0.0312."""
    values = dict(in_channels=3, out_channels=64, kernel_size=8, output_size=5)
    state, _ = expected(values)
    assert "= 0.0312 =" in state["text"]
    with served_page(tmp_path, static_twin(cl.widgets.separable_explorer(**values))) as url:
        page.goto(url)
        page.wait_for_selector('[data-explorer="separable"]')
        text = page.text_content(".convlib-text")
    assert text == state["text"]
