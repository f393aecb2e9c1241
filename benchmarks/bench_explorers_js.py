"""Redraw time per control move of the kernel-free explorers, in Chromium.

    PYTHONPATH=$PWD python benchmarks/bench_explorers_js.py [--configs 300]

Loads the test page of tests/browser (the three explorers as `cl.widgets.kernel_free`
renders them), sets seeded random configurations through the controls (value + input
event) and prints, per explorer, p50 / p95 / max of the time the input handler takes
(compute, text, canvas redraw; ``performance.now()`` inside the page). One frame is 16 ms.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import ARGS, CHROMIUM  # noqa: E402
from tests.browser.explorer_pages import DRIVER, served_page  # noqa: E402
from tests.browser.test_explorers_js import CASES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=300)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    try:
        with sync_playwright() as p, served_page(tmp) as url:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            print(f"{'explorer':16s} {'moves':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'max ms':>7s}")
            for name, (make, _) in CASES.items():
                rng = random.Random(f"bench-{name}")
                shown = page.evaluate(DRIVER, [name, [make(rng) for _ in range(args.configs)]])
                ms = np.array([m for s in shown for m in s["ms"]])
                print(f"{name:16s} {len(ms):6d} {np.percentile(ms, 50):7.2f} "
                      f"{np.percentile(ms, 95):7.2f} {ms.max():7.2f}")
            browser.close()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
