"""The named cases and their gallery: every case and cell against torch, kernel-free players
with the expected frames, nothing loaded from a CDN."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from convlib.transposed.cases import VALUE, frame_cells

def torch_counts(case: cl.Case) -> np.ndarray:
    fn = F.conv_transpose2d if case.transposed else F.conv2d
    return fn(torch.ones(1, 1, *case.input_size), torch.ones(1, 1, *case.kernel_size),
              **case.torch_kwargs())[0, 0].numpy()


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_every_case_and_cell_against_torch():
    for name, case in cl.CANONICAL_CASES.items():
        want = torch_counts(case)
        for cell in range(want.size):
            v = cl.case_view(case, cell)
            assert v.output_shape == want.shape
            assert (v.taps & (v.cells == VALUE)).sum() == want[v.j]


def frames(html: str) -> int:
    """Frames of a JavaScript player (its first is also inline in the <img>)."""
    return len(re.findall(r'frames\[\d+\] = "data:image/png', html))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_case_gallery_frames_are_checked_cells():
    names = ["padding_strides_odd", "padding_strides_odd_transposed", "asymmetric_same_padding"]
    html = cl.widgets.case_gallery(names, frames=3).data
    assert frames(html) == 3 and "https://" not in html
    for name in names:
        case = cl.CANONICAL_CASES[name]
        want = torch_counts(case)
        for cell in frame_cells(case, 3):
            v = cl.case_view(case, cell)
            assert (v.taps & (v.cells == VALUE)).sum() == want[v.j]


def test_bad_names_raise():
    with pytest.raises(ValueError, match="cases"):
        cl.widgets.case_gallery([])
