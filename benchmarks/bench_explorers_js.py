"""Redraw time per control move of every browser explorer, in Chromium.

    PYTHONPATH=$PWD python benchmarks/bench_explorers_js.py [--moves 600]

Puts every explorer on one page as the static site shows it (its ``text/html`` twin, which
runs the same ES module as the widget), moves seeded random controls to random values of
their range (value + input event, as a user's drag does) and prints, per explorer, p50 /
p95 / max of the time the input handler takes (compute, text and canvas redraw;
``performance.now()`` inside the page, ``data-ms`` on the root). One frame is 16 ms.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import convlib as cl  # noqa: E402
from convlib.widgets.browser import BrowserExplorer  # noqa: E402
from tests.browser.conftest import ARGS, CHROMIUM  # noqa: E402
from tests.browser.explorer_pages import served_page, static_twin  # noqa: E402

#: The course's explorers, by the name on their root element, built as the chapters build them.
EXPLORERS = {
    "conv_step": lambda: cl.widgets.conv_step_explorer(np.arange(25).reshape(5, 5) % 4,
                                                       np.ones((3, 3), dtype=int)),
    "feature_map": lambda: cl.widgets.feature_map_explorer(),
    "transposed": lambda: cl.widgets.transposed_explorer(),
    "overlap": lambda: cl.widgets.overlap_explorer(),
    "both_directions": lambda: cl.widgets.both_directions_explorer(),
    "dilated": lambda: cl.widgets.dilated_explorer(),
    "gridding": lambda: cl.widgets.gridding_explorer(),
    "groups": lambda: cl.widgets.groups_explorer(),
    "separable": lambda: cl.widgets.separable_explorer(),
    "receptive_field": lambda: cl.widgets.receptive_field_explorer(),
    "layer_cost": lambda: cl.widgets.layer_cost_explorer(),
    "unet": lambda: cl.widgets.unet_explorer(),
}

MOVES = """([name, moves, seed]) => {
  let state = seed;  // a small seeded generator (mulberry32)
  const rand = () => {
    state |= 0; state = (state + 0x6D2B79F5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const root = document.querySelector(`[data-explorer="${name}"]`);
  const inputs = [...root.querySelectorAll("[name]")];
  const ms = [];
  for (let n = 0; n < moves; n++) {
    const input = inputs[Math.floor(rand() * inputs.length)];
    if (input.disabled) continue;
    if (input.type === "checkbox") input.checked = !input.checked;
    else if (input.type === "range") {
      const lo = Number(input.min), hi = Number(input.max);
      input.value = String(lo + Math.floor(rand() * (hi - lo + 1)));
    } else input.selectedIndex = Math.floor(rand() * input.options.length);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    ms.push(Number(root.dataset.ms));
  }
  return ms;
}"""


def built() -> dict[str, BrowserExplorer]:
    """The explorers that are browser explorers already (skipping any that are not)."""
    out = {}
    for name, make in EXPLORERS.items():
        ex = make()
        if isinstance(ex, BrowserExplorer):
            out[name] = ex
        else:
            print(f"{name:16s} not a browser explorer yet: skipped")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=600)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    explorers = built()
    body = "\n".join(static_twin(ex) for ex in explorers.values())
    tmp = Path(tempfile.mkdtemp())
    try:
        with sync_playwright() as p, served_page(tmp, body) as url:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            print(f"{'explorer':16s} {'moves':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'max ms':>7s}")
            for seed, name in enumerate(explorers):
                page.wait_for_selector(f'[data-explorer="{name}"]')
                ms = np.array(page.evaluate(MOVES, [name, args.moves, seed + 1]))
                print(f"{name:16s} {len(ms):6d} {np.percentile(ms, 50):7.2f} "
                      f"{np.percentile(ms, 95):7.2f} {ms.max():7.2f}")
            browser.close()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
