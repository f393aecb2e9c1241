"""Real-browser fixtures: Debian's Chromium driven by Playwright, pages on localhost
or file:// only. Outside CI, the tests skip when Chromium is not installed; with
CI=true a missing browser fails (`make test` installs it first)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from .browser_util import PageLog, jupyterlab

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.log = PageLog(page)
    yield page
    context.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab on localhost with a token, serving a copy of notebooks/ (so
    autosave never writes into the repository)."""
    served = tmp_path_factory.mktemp("lab-root") / "notebooks"
    shutil.copytree(ROOT / "notebooks", served)
    # as `make lab` does: a trusted notebook renders its stored widgets (the explorers)
    subprocess.run([sys.executable, "-m", "jupyter", "trust", "-y",
                    *map(str, served.glob("*.ipynb"))], check=True, capture_output=True)
    with jupyterlab(served, tmp_path_factory) as server:
        yield server
