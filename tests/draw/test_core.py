"""convlib.draw.core: partial redraws (blitting) give the pixels of a full draw."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from bench_sliders import chapter_explorers, legal_values  # noqa: E402

EXPLORERS = chapter_explorers()


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_blitted_picture_equals_a_full_draw(name):
    ex, rng = EXPLORERS[name](), random.Random(3)
    compared = 0
    for _ in range(8):
        names = [n for n, w in ex.controls.items() if not w.disabled]
        w = ex.controls[rng.choice(names)]
        choices = [v for v in legal_values(w) if v != w.value]
        if not choices:
            continue
        w.value = rng.choice(choices)
        if ex.error is None:
            blitted = np.asarray(ex.fig.canvas.buffer_rgba()).copy()
            ex.fig.canvas.draw()  # a full draw of the same state
            full = np.asarray(ex.fig.canvas.buffer_rgba())
            assert (blitted == full).all(), f"{name}: {(blitted != full).any(axis=2).sum()} px differ"
            compared += 1
    assert compared > 0


def test_static_layers_stay_in_the_background():
    """The separable explorer's labelled axes are `static_layer`s: a slider move redraws
    only the overlays above them, on the kept background, with no full draw."""
    ex = EXPLORERS["05 separable"]()
    blit = ex.fig._convlib_blit
    assert len(blit.static) == 3 and blit.background is not None
    for name in ("out_channels", "kernel_size", "in_channels"):
        ex.controls[name].value += 1
        assert ex.fig._convlib_blit is blit
        assert not any(a.stale for a in blit.static)
