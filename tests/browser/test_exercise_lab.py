"""Multiple-choice exercises in JupyterLab (Chromium, 1280x720, file browser open, a
notebook column of about 850 px): long options wrap, no two options overlap, no text
spills out of its option, and every radio dot is visible, clickable and at the left of its option.

A tiny notebook generated in a temporary folder (the options of chapters 01 and 03 and
one longer still) runs in a JupyterLab of its own. Screenshots:
build/screenshots/exercises/lab-long-options*.png."""
from __future__ import annotations

import nbformat
import pytest

from .browser_util import SCREENSHOTS, jupyterlab

SOURCE = '''import convlib as cl
GROUPS = ["the number of kernels (filters)", "the number of channel groups: every kernel sees all C_in channels",
          "one kernel per input channel", "the number of output channels per input channel"]
MEANINGS = ["It inverts the encoder's convolution (a 'deconvolution'), recovering its input",
            "It multiplies by Cᵀ with its own learned weights: the gradient of a convolution w.r.t. its input",
            "It runs the same kernel, unflipped, over the input with zeros inserted",
            "It reuses the encoder's weights and runs them backwards, which is what a widely read tutorial "
            "means when it calls the layer a deconvolution that undoes the encoder step by step"]
display(cl.Exercise("In nn.Conv2d(3, 6, kernel_size=3, groups=1), what does groups=1 mean?",
                    choices=GROUPS, answer=GROUPS[1]))
display(cl.Exercise("What does ConvTranspose2d compute?", choices=MEANINGS, answer=MEANINGS[1]))
'''

MEASURE = """() => {
  const boxes = [...document.querySelectorAll('.jp-OutputArea .cl-exercise-widget .widget-radio-box')];
  return boxes.map(box => {
    box.scrollIntoView({block: 'start'});
    const labels = [...box.querySelectorAll('label')].map(l => {
      const r = l.getBoundingClientRect(), input = l.querySelector('input');
      const d = input.getBoundingClientRect();
      const hit = document.elementFromPoint(d.left + d.width / 2, d.top + d.height / 2);
      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
              scroll: l.scrollHeight, client: l.clientHeight,
              dot: {left: d.left, right: d.right, top: d.top, bottom: d.bottom,
                    width: d.width, height: d.height, hit: hit === input}};
    });
    return {width: box.getBoundingClientRect().width, labels};
  });
}"""


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """A JupyterLab serving one generated notebook; yields (page, base url, token)."""
    root = tmp_path_factory.mktemp("exercise-lab")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "long_options.ipynb")
    with jupyterlab(root, tmp_path_factory, token="exercise-lab-token") as (base, token):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        yield context.new_page(), base, token
        context.close()


def test_long_options_wrap_without_overlap(lab):
    page, base, token = lab
    page.goto(f"{base}/lab/tree/long_options.ipynb?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget; return w "
                           "&& w.sessionContext && w.sessionContext.session && w.sessionContext"
                           ".kernelDisplayStatus === 'idle'; }", timeout=120_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("() => document.querySelectorAll('.jp-OutputArea .cl-exercise-widget "
                           ".widget-radio-box label').length === 8", timeout=120_000)
    page.wait_for_timeout(500)
    widths = page.evaluate("() => ({browser: document.querySelector('.jp-FileBrowser')"
                           ".getBoundingClientRect().width, output: document.querySelector("
                           "'.jp-OutputArea-output').getBoundingClientRect().width})")
    assert widths["browser"] > 150 and 700 < widths["output"] < 900, widths
    (SCREENSHOTS / "exercises").mkdir(parents=True, exist_ok=True)
    boxes = page.evaluate(MEASURE)
    page.screenshot(path=str(SCREENSHOTS / "exercises" / "lab-long-options.png"))
    first = page.locator(".jp-OutputArea .cl-exercise-widget").nth(0)
    first.scroll_into_view_if_needed()
    first.screenshot(path=str(SCREENSHOTS / "exercises" / "lab-long-options-groups.png"))
    assert len(boxes) == 2
    wrapped = 0
    for box in boxes:
        labels = box["labels"]
        for above, below in zip(labels, labels[1:]):
            assert below["top"] >= above["bottom"] - 0.5, (above, below)
        for lab_ in labels:
            assert lab_["scroll"] <= lab_["client"] + 1, lab_          # no text spills out
            dot = lab_["dot"]
            assert dot["width"] >= 8 and dot["height"] >= 8, dot
            assert lab_["left"] - 0.5 <= dot["left"] <= lab_["left"] + 8, (lab_, dot)   # at the left
            assert lab_["top"] - 0.5 <= dot["top"] and dot["bottom"] <= lab_["bottom"] + 0.5
            assert dot["hit"], dot                                      # not covered
            wrapped += lab_["height"] > 30
    assert wrapped >= 1                 # a long option did wrap: the case is exercised
    last = page.locator(".jp-OutputArea .cl-exercise-widget").nth(1)
    last.scroll_into_view_if_needed()
    last.locator(".widget-radio-box label").nth(3).locator("input").click()
    page.wait_for_timeout(500)
    assert "Not quite" in last.inner_text()
    last.screenshot(path=str(SCREENSHOTS / "exercises" / "lab-long-options-answered.png"))
