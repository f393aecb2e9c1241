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
from ..torch_oracle import torch_shape
from convlib.sizes.windows import feature_map_view, formula_text
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


#: The explorer's control ranges (convlib/web/explorers/feature_map.js).
RANGES = {"H": range(1, 13), "W": range(1, 13), "kH": range(1, 8), "kW": range(1, 8),
          "stride": range(1, 5), "padding": range(0, 4), "dilation": range(1, 4)}
START = dict(H=7, W=6, kH=3, kW=2, stride=2, padding=1, dilation=1, mode="torch", op="conv",
             ceil_mode=False, window=0)


def assert_consistent(v: dict) -> None:
    """What the explorer shows for `v` (`feature_map_view`) is torch's, or torch refuses it
    and so does convlib, with a message."""
    expected = torch_output_hw(v)
    if expected is None:
        with pytest.raises(ValueError) as err:
            feature_map_view(**v)
        assert str(err.value)
        return
    lay_h, lay_w, (jh, jw) = feature_map_view(**v)
    assert (lay_h.output_size, lay_w.output_size) == expected
    assert 0 <= jh < lay_h.output_size and 0 <= jw < lay_w.output_size


def test_every_slider_over_its_range_for_every_mode():
    for mode, op, ceil in itertools.product(MODE_LABELS.values(), ["conv", "pool"], [False, True]):
        v = {**START, "mode": mode, "op": op, "ceil_mode": ceil}
        for name, values in RANGES.items():
            for value in values:
                assert_consistent({**v, name: value})
        for value in range(0, 40):
            assert_consistent({**v, "window": value})


def test_dense_random_grid_never_raises():
    rng = random.Random(0)
    for _ in range(2000):
        v = {name: rng.choice(values) for name, values in RANGES.items()}
        v.update(mode=rng.choice(list(MODE_LABELS.values())), op=rng.choice(["conv", "pool"]),
                 ceil_mode=rng.random() < 0.5, window=rng.randint(0, 143))
        assert_consistent(v)


def test_the_explorer_is_a_widget_python_can_drive():
    ex = cl.widgets.feature_map_explorer()
    ex.kW, ex.mode = 5, "same"
    assert (ex.kW, ex.mode) == (5, "same")
    bundle = ex._repr_mimebundle_()[0]
    assert repr(ex).startswith("FeatureMapBrowser(H=7")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'data-explorer-static="feature_map"' in bundle["text/html"]
    with pytest.raises(ValueError, match="`mode` must be one of"):
        cl.widgets.feature_map_explorer(mode="SAME")


def test_the_formula_line_fills_in_the_numbers():
    lay_h, _, _ = feature_map_view(**{**START, "H": 7, "kH": 5, "stride": 3, "padding": 0})
    assert formula_text(lay_h, "H") == "o_H = ⌊(7 + 2·0 − 1·(5−1) − 1) / 3⌋ + 1 = 1"
    lay_h, _, _ = feature_map_view(**{**START, "H": 7, "kH": 5, "stride": 3, "mode": "tf_same"})
    assert "= 3" in formula_text(lay_h, "H") and "2 + 2" in formula_text(lay_h, "H")


# ------------------------------------------------- figure size, sharpness, animations

def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_the_case_gallery_shows_its_first_frame_without_javascript_or_a_cdn():
    import re

    page = cl.widgets.case_gallery(["no_padding_no_strides", "dilation"], frames=2).data
    tag = re.search(r'<img id="_anim_img\w+"[^>]*>', page).group(0)
    src = re.search(r'src="data:image/png;base64,([^"]+)"', tag).group(1)
    width, height = (int(re.search(f'{k}="(\\d+)"', tag).group(1)) for k in ("width", "height"))
    assert png_size(base64.b64decode(src)) == (width, height)
    assert "font-awesome" not in page and "https://" not in page and "▶" in page


def test_a_slide_gallery_draws_one_row_of_large_panels():
    """slide=True: the cases in one row, each panel about 6 in wide (two cases), so its
    16 pt titles read on a 1280x720 slide; more than 3 cases is refused."""
    import base64
    import re
    import struct

    from convlib.draw.core import DISPLAY_DPI

    page = cl.widgets.case_gallery(cases=["no_padding_no_strides", "dilation"], frames=2, slide=True).data
    first = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page).group(1)
    png = base64.b64decode(first)
    width, height = struct.unpack(">II", png[16:24])
    # the player's frames are drawn at the display size (one pixel per CSS pixel)
    assert width == round(2 * 6.2 * DISPLAY_DPI)
    assert abs(height - 0.66 * 6.2 * DISPLAY_DPI) <= 2
    with pytest.raises(ValueError, match="`cases`"):
        cl.widgets.case_gallery(cases=["dilation"] * 4, slide=True)
