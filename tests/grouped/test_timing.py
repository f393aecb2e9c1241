"""convlib.grouped.timing: shapes and signs only (no timing is asserted in tests)."""
from __future__ import annotations

import pytest
from torch import nn

from convlib.grouped.timing import time_per_mac


def test_returns_positive_times_and_exact_macs():
    layers = {"dense": nn.Conv2d(4, 4, 3, padding=1, bias=False),
              "depthwise": nn.Conv2d(4, 4, 3, padding=1, groups=4, bias=False)}
    result = time_per_mac(layers, (4, 5, 5), batch=2, min_run_time=0.01)
    assert list(result) == ["dense", "depthwise"]
    assert result["dense"].macs == 2 * 9 * 4 * 4 * 25 and result["depthwise"].macs == 2 * 9 * 4 * 25
    for t in result.values():
        assert t.seconds > 0 and t.ns_per_mac == pytest.approx(t.seconds / t.macs * 1e9)


@pytest.mark.parametrize("kwargs, name", [(dict(batch=0), "batch"), (dict(threads=0), "threads"),
                                          (dict(min_run_time=0), "min_run_time")])
def test_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`"):
        time_per_mac({"c": nn.Conv2d(1, 1, 1)}, (1, 2, 2), **kwargs)
    with pytest.raises(ValueError, match="`input_size`"):
        time_per_mac({"c": nn.Conv2d(1, 1, 1)}, (1, 2))
