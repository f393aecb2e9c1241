"""Shared test set-up: hypothesis profiles, one torch thread, Agg backend, and the
order in which pytest-xdist hands out the test files."""
from __future__ import annotations

import os

import matplotlib
import pytest
import torch
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")
torch.set_num_threads(1)

# CI explores a fixed, reproducible set of examples; locally each run draws anew.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def zeros():
    return lambda *shape: torch.zeros(*shape, dtype=torch.float64)


#: The files with the most work (about 20-150 s each on 2 cores), slowest first. `make
#: test` runs pytest-xdist with ``--dist loadfile --no-loadscope-reorder``: files go to
#: the workers in collection order, so these start first and no worker is left finishing a
#: long file alone at the end. Every other file follows in the usual order.
SLOW_FIRST = (
    "tests/browser/test_lab.py", "tests/browser/test_decks.py", "tests/browser/test_site.py",
    "tests/browser/test_explorers_js.py", "tests/widgets/test_transposed.py",
    "tests/sizes/test_shapes.py", "tests/widgets/test_dilated.py", "tests/convolution/test_ops.py",
    "tests/browser/test_rise.py", "notebooks/08_real_networks.ipynb", "tests/browser/test_slides.py",
    "tests/counting/test_counters.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))   # stable
