"""Text of at least `TEXT_PT` (11 pt, 12 CSS px) in every explorer's figure, after moves."""
from __future__ import annotations

import random

import pytest
from matplotlib.text import Text

from convlib.draw.cells import CellNumbers
from convlib.draw.core import TEXT_PT
from .test_core import EXPLORERS, legal_values


def sizes(fig) -> list[tuple[float, str]]:
    """(size in pt, what) of every visible, non-empty text and cell-number artist."""
    out = [(t.get_fontsize(), t.get_text()) for t in fig.findobj(Text)
           if t.get_visible() and t.get_text().strip()]
    out += [(a.get_fontsize(), "cell numbers") for a in fig.findobj(CellNumbers)
            if a.get_visible() and a.strings]
    return out


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_text_is_at_least_text_pt(name):
    ex, rng = EXPLORERS[name](), random.Random(5)
    for _ in range(6):
        w = ex.controls[rng.choice([n for n, w in ex.controls.items() if not w.disabled])]
        choices = [v for v in legal_values(w) if v != w.value]
        if choices:
            w.value = rng.choice(choices)
        small = [(s, t) for s, t in sizes(ex.fig) if s < TEXT_PT]
        assert not small, f"{name}: text under {TEXT_PT} pt: {small[:5]}"
