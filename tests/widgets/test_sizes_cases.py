"""The case explorer and animations: every case and cell against torch, kernel-free players
with the expected frames, nothing loaded from a CDN."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from convlib.transposed.cases import VALUE, frame_cells

PNG_MAGIC = b"\x89PNG"


def torch_counts(case: cl.Case) -> np.ndarray:
    fn = F.conv_transpose2d if case.transposed else F.conv2d
    return fn(torch.ones(1, 1, *case.input_size), torch.ones(1, 1, *case.kernel_size),
              **case.torch_kwargs())[0, 0].numpy()


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_explorer_over_every_case_and_cell():
    ex = cl.widgets.case_explorer(render=False)
    for name, case in cl.CANONICAL_CASES.items():
        ex.controls["case"].value = name
        want = torch_counts(case)
        assert ex.controls["cell"].max == max(want.size - 1, 1)
        for cell in range(want.size):
            ex.controls["cell"].value = cell
            v = ex.state
            assert ex.error is None and v.output_shape == want.shape
            assert (v.taps & (v.cells == VALUE)).sum() == want[v.j]
            assert name in ex.message.value


def test_explorer_renders_in_place():
    ex = cl.widgets.case_explorer("padding_strides_odd_transposed")
    fig, first = ex.fig, bytes(ex.image.value)
    assert first.startswith(PNG_MAGIC)
    n = len(fig.axes[0].get_children())
    ex.controls["case"].value = "non_square"
    assert ex.fig is fig and bytes(ex.image.value) != first
    assert len(fig.axes[0].get_children()) == n


def frames(html: str) -> int:
    """Frames of a JavaScript player (its first is also inline in the <img>)."""
    return len(re.findall(r'frames\[\d+\] = "data:image/png', html))


def test_case_animation_has_one_frame_per_chosen_cell():
    html = cl.widgets.case_animation("full_padding_no_strides", frames=5).data
    assert frames(html) == 5 and "https://" not in html
    html = cl.widgets.case_animation("no_padding_strides", frames=9).data
    assert frames(html) == 4            # all of its 2x2 cells


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
    with pytest.raises(ValueError, match="case"):
        cl.widgets.case_explorer("nope")
    with pytest.raises(ValueError, match="cases"):
        cl.widgets.case_gallery([])
