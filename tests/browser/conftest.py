"""Real-browser fixtures: Debian's Chromium driven by Playwright, pages on localhost
or file:// only. Outside CI, the tests skip when Chromium is not installed; with
CI=true a missing browser fails (`make test` installs it first)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from .browser_util import PageLog, free_port

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
    port, token = free_port(), "browser-test-token"
    workspaces = tmp_path_factory.mktemp("lab-workspaces")
    served = tmp_path_factory.mktemp("lab-root") / "notebooks"
    shutil.copytree(ROOT / "notebooks", served)
    # as `make lab` does: a trusted notebook renders its stored widgets (the explorers)
    subprocess.run([sys.executable, "-m", "jupyter", "trust", "-y",
                    *map(str, served.glob("*.ipynb"))], check=True, capture_output=True)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
           f"--LabApp.workspaces_dir={workspaces}", "--LabApp.expose_app_in_browser=True",
           # the course's server settings, as `make lab` and Binder use them
           f"--config={ROOT / 'binder' / 'jupyter_server_config.json'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp_path_factory.mktemp("lab-log") / "lab.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("JupyterLab did not answer on localhost within 60 s")
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:  # a busy machine can be slow to stop kernels
        proc.kill()
        proc.wait(timeout=20)
