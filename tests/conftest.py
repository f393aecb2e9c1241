"""Shared test set-up: hypothesis profiles, one torch thread, Agg backend."""
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
