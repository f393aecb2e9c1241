"""convlib.widgets driven headlessly: every slider over its range, no exception escapes,
invalid combinations show a message, valid ones agree with torch."""
from __future__ import annotations

import base64
import itertools
import random

import pytest
import torch
import torch.nn.functional as F

import convlib as cl
from .sweep import randomize
from ..torch_oracle import torch_shape
from convlib.widgets.sizes import MODE_LABELS

PNG_MAGIC = b"\x89PNG"


def torch_output_hw(v: dict) -> tuple[int, int] | None:
    """What torch gives for the explorer's configuration (None: torch refuses)."""
    x = torch.zeros(1, 1, v["H"], v["W"])
    k, s, p, d = (v["kH"], v["kW"]), v["stride"], v["padding"], v["dilation"]
    if v["op"] == "pool":
        if v["mode"] != "torch":
            return None
        shape = torch_shape(F.max_pool2d, x, k, s, p, d, ceil_mode=v["ceil_mode"])
    elif v["mode"] == "tf_valid":
        shape = torch_shape(F.conv2d, x, torch.zeros(1, 1, *k), stride=s, dilation=d)
    elif v["mode"] == "tf_same":
        (oh, th, bh), (ow, tw, bw) = cl.tf_padding((v["H"], v["W"]), k, s, d)
        shape = torch_shape(F.conv2d, F.pad(x, (tw, bw, th, bh)), torch.zeros(1, 1, *k),
                            stride=s, dilation=d)
    else:
        pad = "same" if v["mode"] == "same" else p
        shape = torch_shape(F.conv2d, x, torch.zeros(1, 1, *k), stride=s, padding=pad, dilation=d)
    return None if shape is None else shape[2:]


def assert_consistent(ex) -> None:
    v = ex.values
    expected = torch_output_hw(v)
    if expected is None:
        assert ex.state is None and ex.error
        assert "Not a valid configuration" in ex.message.value
        return
    assert ex.error is None, ex.error
    lay_h, lay_w, (jh, jw) = ex.state
    assert (lay_h.output_size, lay_w.output_size) == expected
    assert 0 <= jh < lay_h.output_size and 0 <= jw < lay_w.output_size
    assert ex.controls["window"].max >= lay_h.output_size * lay_w.output_size - 1


def slider_range(w):
    return range(w.min, w.max + 1)


def test_every_slider_over_its_range_for_every_mode():
    ex = cl.widgets.feature_map_explorer(render=False)
    sliders = ["H", "W", "kH", "kW", "stride", "padding", "dilation"]
    for mode, op, ceil in itertools.product(MODE_LABELS.values(), ["conv", "pool"], [False, True]):
        ex.controls["mode"].value, ex.controls["op"].value = mode, op
        ex.controls["ceil_mode"].value = ceil
        for name in sliders:
            start = ex.controls[name].value
            for value in slider_range(ex.controls[name]):
                ex.controls[name].value = value
                assert_consistent(ex)
            ex.controls[name].value = start
        for value in range(0, 40):
            ex.controls["window"].value = min(value, ex.controls["window"].max)
            assert_consistent(ex)


def test_dense_random_grid_never_raises():
    ex = cl.widgets.feature_map_explorer(render=False)
    rng = random.Random(0)
    for _ in range(2000):
        randomize(ex, rng)
        assert_consistent(ex)


def test_rendering_updates_the_image_in_place():
    ex = cl.widgets.feature_map_explorer()
    fig, first = ex.fig, bytes(ex.image.value)
    assert first.startswith(PNG_MAGIC)
    ex.controls["kW"].value = 5
    assert ex.fig is fig and bytes(ex.image.value) != first       # same figure, new picture
    ex.controls["mode"].value = "same"                     # stride 2 + 'same': refused
    assert "same" in ex.message.value and "Not a valid configuration" in ex.message.value
    bundle = ex._repr_mimebundle_()
    assert bundle["text/plain"].startswith("FeatureMapExplorer(H=7")
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_message_shows_the_formula_with_numbers():
    ex = cl.widgets.feature_map_explorer(H=7, W=7, kH=5, kW=5, stride=3, padding=0, render=False)
    assert "⌊(7 + 2·0 − 1·(5−1) − 1) / 3⌋ + 1 = 1" in ex.message.value
    ex.controls["mode"].value = "tf_same"
    assert "= 3" in ex.message.value and "2 + 2" in ex.message.value


# ------------------------------------------------- figure size, sharpness, animations

def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_explorer_png_is_twice_its_display_size_and_says_so():
    ex = cl.widgets.overlap_explorer()
    width, height = cl.draw.core.display_size(ex.fig)
    assert (ex.image.width, ex.image.height) == (str(width), str(height))
    assert ex.image.layout.width == f"{width}px"
    assert png_size(bytes(ex.image.value)) == (2 * width, 2 * height)


def test_animation_shows_its_first_frame_without_javascript():
    import re

    ex = cl.widgets.overlap_explorer()
    page = cl.widgets.animate(ex, "stride", [1, 2]).data
    tag = re.search(r'<img id="_anim_img\w+"[^>]*>', page).group(0)
    src = re.search(r'src="data:image/png;base64,([^"]+)"', tag).group(1)
    width, height = cl.draw.core.display_size(ex.fig)
    assert f'width="{width}"' in tag and f'height="{height}"' in tag
    assert png_size(base64.b64decode(src)) == (2 * width, 2 * height)
