"""Chapter 07's layer-cost explorer (convlib/web/explorers/layer_cost.js) against
`convlib.widgets.counting.layer_cost` and `layer_cost_rows`, in Chromium: every count
and every row of the drawn table (rule and numbers), the groups slider's range
(1 to gcd(C_in, C_out)) and the invalid messages (a kernel larger than the padded input,
a groups value that does not divide both channel counts)."""
from __future__ import annotations

from math import gcd

import convlib as cl
from convlib.widgets.counting import layer_cost, layer_cost_rows

from ..explorer_pages import check_explorer, python_error, served_page, static_twin


def expected(v: dict):
    c, error = python_error(layer_cost, v)
    if error:
        return None, error
    return {"output_size": c.output_size, "weights": c.weights, "biases": c.out_channels,
            "params": c.params, "macs": c.macs, "flops": c.flops,
            "dense_params": c.dense_params, "dense_macs": c.dense_macs,
            "rows": [list(r) for r in layer_cost_rows(c)]}, None


def config(rng):
    """Channel counts with many common divisors more often than chance, so that every g
    up to 64 is met; groups is set after the channels (its range follows them)."""
    base = rng.choice([1, 2, 3, 4, 6, 8, 12, 16, 32])
    c_in = min(64, base * rng.randint(1, max(1, 64 // base)))
    c_out = min(64, base * rng.randint(1, max(1, 64 // base)))
    if rng.random() < 0.3:
        c_in, c_out = rng.randint(1, 64), rng.randint(1, 64)
    return [("in_channels", c_in), ("out_channels", c_out), ("kernel_size", rng.randint(1, 7)),
            ("input_size", rng.randint(1, 32)), ("stride", rng.randint(1, 3)),
            ("padding", rng.randint(0, 3)), ("groups", rng.randint(1, gcd(c_in, c_out)))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    ex = cl.widgets.layer_cost_explorer(in_channels=16, out_channels=32, kernel_size=3,
                                        groups=4, input_size=10)
    check_explorer(page, tmp_path, ex, config, expected)


def test_the_groups_slider_spans_the_common_divisors(page, tmp_path):
    """g's slider ends at gcd(C_in, C_out); a g between that is no divisor is refused in
    place (greyed picture, the message), one that is valid again redraws."""
    ex = cl.widgets.layer_cost_explorer(in_channels=12, out_channels=24, groups=4)
    move = """([key, value]) => {
      const root = document.querySelector('[data-explorer="layer_cost"]');
      const input = root.querySelector(`[name="${key}"]`);
      input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      const g = root.querySelector('[name="groups"]');
      return [Number(g.max), Number(g.value), root.dataset.error || null,
              root.querySelector("canvas").style.opacity];
    }"""
    with served_page(tmp_path, static_twin(ex)) as url:
        page.goto(url)
        page.wait_for_selector('[data-explorer="layer_cost"]')
        assert page.evaluate(move, ["groups", 4]) == [12, 4, None, "1"]
        assert page.evaluate(move, ["out_channels", 9]) == [
            12, 4, "`groups` must divide in_channels and out_channels, got groups=4, "
                   "in_channels=12, out_channels=9", "0.3"]
        assert page.evaluate(move, ["groups", 3]) == [3, 3, None, "1"]   # gcd(12, 9) = 3
        assert page.evaluate(move, ["groups", 5]) == [3, 3, None, "1"]   # clamped
    assert not page.log.errors and not page.log.external
