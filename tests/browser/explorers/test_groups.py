"""Chapter 05's groups explorer (convlib/web/explorers/groups.js) against
`convlib.grouped.groups.grouped_conv_cost`, in Chromium: parameters and MACs of the grouped
and the standard conv, the group of every channel and filter, the pairs kept, the values g
may take, the text, and the invalid message (g must divide both channel counts)."""
from __future__ import annotations

import convlib as cl
from convlib.grouped.groups import channel_groups, grouped_conv_cost, grouped_cost_text
from convlib.widgets.grouped import valid_groups

from ..explorer_pages import check_explorer, python_error


def expected(v: dict):
    cost, error = python_error(grouped_conv_cost, v)
    if error:
        return None, error
    c_in, c_out, g = cost.in_channels, cost.out_channels, cost.groups
    ok = valid_groups(c_in, c_out)
    return {"params": cost.params, "macs": cost.macs, "standard_params": cost.standard_params,
            "standard_macs": cost.standard_macs,
            "in_groups": channel_groups(c_in, g).tolist(),
            "out_groups": channel_groups(c_out, g).tolist(),
            "kept": int(cost.connectivity.sum()), "pairs": c_in * c_out, "valid_groups": ok,
            "text": f"{grouped_cost_text(cost)}\ng must divide C_in = {c_in} and C_out = "
                    f"{c_out}: g = {', '.join(map(str, ok))}"}, None


def config(rng):
    c_in, c_out = rng.randint(1, 16), rng.randint(1, 16)
    g = rng.choice(valid_groups(c_in, c_out)) if rng.random() < 0.5 else rng.randint(1, 16)
    return [("in_channels", c_in), ("out_channels", c_out), ("groups", g),
            ("kernel_size", rng.randint(1, 7)), ("output_size", rng.randint(1, 32))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.groups_explorer(), config, expected,
                   expected_text=lambda v: expected(v)[0]["text"])
