"""Chapter 08's U-Net size plan (convlib/web/explorers/unet.js) against
`convlib.networks.plans.unet_plan`, in Chromium: every level's sizes, the crops, the output
size, parameters and MACs, the odd pool inputs, the nearest sizes with every pool even,
the text lines (`convlib.widgets.networks.unet_text`) and the invalid message; and the
input-size slider is precise (a track of at least 300 px, arrow keys step by 1)."""
from __future__ import annotations

import json

import convlib as cl
from convlib.networks.plans import unet_plan
from convlib.widgets.networks import SIZES, unet_nearest_even, unet_text

from ..explorer_pages import check_explorer, python_error, served_page, static_twin


def expected(v: dict):
    i, padding = int(v["input_size"]), int(v["padding"])
    plan, error = python_error(unet_plan, {"input_size": i, "padding": padding})
    if error:
        return None, error
    shown = json.loads(json.dumps(plan._asdict()))
    shown["odd_levels"] = [lv for lv, (_, o) in enumerate(plan.down[:-1]) if o % 2]
    shown["nearest"] = list(unet_nearest_even(i, padding))
    return shown, None


def config(rng):
    # half the sizes near the smallest that works (187/188), so both kinds are met often
    size = rng.randint(SIZES.start, SIZES.stop - 1) if rng.random() < 0.5 else rng.randint(150, 230)
    return [("input_size", size), ("padding", rng.choice([0, 1]))]


def text(v: dict) -> str:
    return unet_text(unet_plan(int(v["input_size"]), padding=int(v["padding"])))


def test_the_plan_agrees_with_convlib(page, tmp_path):
    check_explorer(page, tmp_path, cl.widgets.unet_explorer(), config, expected,
                   expected_text=text)


TEXT_AND_KEYS = """([sizes]) => {
  const root = document.querySelector('[data-explorer="unet"]');
  const slider = root.querySelector('[name="input_size"]'), pad = root.querySelector('[name="padding"]');
  const out = {width: slider.getBoundingClientRect().width, texts: [], keys: []};
  for (const [size, padding] of sizes) {
    pad.value = String(padding); pad.dispatchEvent(new Event("input", {bubbles: true}));
    slider.value = String(size); slider.dispatchEvent(new Event("input", {bubbles: true}));
    out.texts.push(root.querySelector(".convlib-text").textContent);
  }
  return out;
}"""


def test_the_text_lines_and_a_precise_slider(page, tmp_path):
    sizes = [(572, 0), (570, 0), (188, 0), (700, 0), (512, 1), (700, 1), (16, 1), (573, 1)]
    with served_page(tmp_path, static_twin(cl.widgets.unet_explorer())) as url:
        page.set_viewport_size({"width": 848, "height": 900})
        page.goto(url)
        page.wait_for_selector('[data-explorer="unet"]')
        got = page.evaluate(TEXT_AND_KEYS, [sizes])
        slider = page.locator('[name="input_size"]')
        slider.focus()
        steps = []
        for key in ("ArrowRight", "ArrowRight", "ArrowLeft"):
            page.keyboard.press(key)
            steps.append(int(slider.input_value()))
        size = page.evaluate("document.querySelector('[data-explorer=\"unet\"] canvas')"
                             ".getBoundingClientRect().width")
    assert not page.log.errors and not page.log.external
    assert got["texts"] == [unet_text(unet_plan(i, padding=p)) for i, p in sizes]
    assert got["width"] >= 300  # in an 848 px column: about one input size per pixel
    assert steps == [574, 575, 574]  # from 573, the last size set: one step per key
    assert size <= 800
