"""ResNet-50's published costs from the layouts, and time_per_image's contract (no timings
are asserted)."""
from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convlib.networks.costs import layout_costs, time_per_image
from convlib.networks.resnet_layouts import resnet50_layout


def test_layouts_reproduce_the_published_gmacs():
    costs = {c.layout: c for c in layout_costs()}
    assert round(costs["stride-1x1"].gmacs, 3) == 3.858     # He et al. v1 (paper: 3.8)
    assert round(costs["torchvision"].gmacs, 3) == 4.089    # torchvision's "GFLOPS"
    assert round(costs["tf-slim"].gmacs, 3) == 3.482        # TF-Slim's FLOPs / 2
    assert len({c.params for c in costs.values()}) == 1


def test_layout_macs_agree_with_flop_counter():
    for cost in layout_costs():
        model = resnet50_layout(cost.layout, width=64)
        with FlopCounterMode(display=False) as counter:
            model(torch.zeros(1, 3, 224, 224))
        assert counter.get_total_flops() == 2 * cost.macs
        assert cost.fc_macs == model.fc.in_features * model.fc.out_features
        break   # one full-size run is enough; the others are checked through summary's tests


def test_layout_costs_validates_input_size():
    with pytest.raises(ValueError, match="`input_size`"):
        layout_costs(0)


def test_time_per_image_restores_threads_and_mode():
    model, before = nn.Conv2d(3, 4, 3).train(), torch.get_num_threads()
    t = time_per_image(model, (3, 16, 16), repeats=3, threads=1)
    assert t.repeats == 3 and t.threads == 1 and t.low <= t.median <= t.high
    assert torch.get_num_threads() == before and model.training


@pytest.mark.parametrize("name, kwargs", [("repeats", {"repeats": 0}), ("threads", {"threads": 0}),
                                          ("warmup", {"warmup": -1})])
def test_time_per_image_names_bad_parameters(name, kwargs):
    with pytest.raises(ValueError, match=f"`{name}`"):
        time_per_image(nn.Conv2d(3, 4, 3), (3, 8, 8), **kwargs)
