"""Each chapter opened in JupyterLab in Chromium. Freshly opened (no cell run), its browser
explorers are alive from the stored widget state: an arrow key on a focused slider moves
the slider and redraws the picture, not the notebook. Then all cells run with no error
output, and the explorers are still alive; in a chapter with a kernel-drawn explorer, a
slider moved with the keyboard changes the figure;
speaker notes are block quotes headed "Notes for presenters".
JupyterLab loads once; each chapter opens in it as a fresh document with a new kernel,
and the previous chapter's kernel is shut down first.
Screenshots: build/screenshots/lab-<chapter>.png (and -explorer.png after the move)."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from .browser_util import screenshot

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
STATIC_EXPLORER = 'data-explorer-static="'


def stored_explorers(name: str) -> int:
    """How many browser explorers the stored notebook `name` displays."""
    return (ROOT / "notebooks" / name).read_text(encoding="utf-8").count(STATIC_EXPLORER)


KEY_ON_SLIDER = """async () => {
  // the first explorer's first slider that is not at its end: focus it, press ArrowRight
  // (Playwright's keyboard, below), and report what moved
  const root = document.querySelector('.jp-OutputArea [data-explorer]');
  const input = [...root.querySelectorAll('input[type=range]')]
    .find(i => !i.disabled && Number(i.value) < Number(i.max));
  input.scrollIntoView({block: 'center'});
  input.focus();
  input.setAttribute('data-test', 'explorer-slider');
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return {value: Number(input.value), state: root.dataset.state || root.dataset.error,
          active: cells.findIndex(c => c.classList.contains('jp-mod-active'))};
}"""

AFTER_KEY = """() => {
  const input = document.querySelector('[data-test=explorer-slider]');
  const root = input.closest('[data-explorer]');
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return {value: Number(input.value), state: root.dataset.state || root.dataset.error,
          active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
          focused: document.activeElement === input};
}"""

RUN_STATE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.content.model || !w.sessionContext.session) return null;
  const cells = w.content.model.cells, errors = [];
  let code = 0, done = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    code++;
    if (c.executionCount) done++;
    for (let j = 0; j < c.outputs.length; j++) {
      const o = c.outputs.get(j).toJSON();
      if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
    }
  }
  return {code, done, errors, status: w.sessionContext.kernelDisplayStatus};
}"""

EXPLORER_IMAGE = """() => {
  // an explorer: a widget picture in the same widget box as a slider (the controls
  // may sit in a panel beside the picture, so look a few boxes up)
  for (const img of document.querySelectorAll('.jp-OutputArea .widget-image')) {
    let box = img.parentElement;
    for (let up = 0; box && up < 4; up++, box = box.parentElement) {
      const handle = box.querySelector('.widget-hslider .noUi-handle, .widget-slider .noUi-handle');
      if (handle) {
        img.setAttribute('data-test', 'explorer-image');
        handle.setAttribute('data-test', 'explorer-handle');
        return img.src.length;
      }
    }
  }
  return 0;
}"""


NOTES_STATE = """() => {
  // each speaker note: is its input collapsed, and what heads its rendered block quote?
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.filter(c => (c.model.getMetadata('slideshow') || {}).slide_type === 'notes')
    .map(c => { const q = c.node.querySelector('.jp-RenderedMarkdown > blockquote');
                return {hidden: c.inputHidden,
                        label: q ? (q.querySelector('strong') || {}).textContent : null}; });
}"""


OPEN_FRESH = """async (path) => {
  // shut down and drop the documents of earlier tests, then open `path` from the server
  const app = window.jupyterapp;
  for (const w of Array.from(app.shell.widgets('main'))) {
    if (w.sessionContext && w.sessionContext.session) await w.sessionContext.shutdown();
    w.dispose();
  }
  const widget = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await widget.context.ready;
  app.shell.activateById(widget.id);
  return widget.id;
}"""


@pytest.fixture(scope="module")
def lab_page(browser, lab_server):
    """One JupyterLab page for the whole module (the app takes about 6 s to load here)."""
    base, token = lab_server
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/lab?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    yield page
    context.close()


def open_fresh(page, name: str) -> None:
    page.evaluate(OPEN_FRESH, name)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext.session",
                           timeout=120_000)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext"
                           ".kernelDisplayStatus === 'idle'", timeout=120_000)


def run_all(page) -> dict:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(f"() => {{ const s = ({RUN_STATE})(); return s && s.done === s.code "
                           "&& s.status === 'idle'; }", timeout=300_000)
    return page.evaluate(f"({RUN_STATE})()")


def assert_explorer_answers_the_keyboard(page) -> None:
    """ArrowRight on a focused explorer slider moves it by one and redraws; the notebook's
    active cell stays where it was."""
    before = page.evaluate(KEY_ON_SLIDER)
    page.keyboard.press("ArrowRight")
    after = page.evaluate(AFTER_KEY)
    assert after["focused"] and after["value"] == before["value"] + 1, (before, after)
    assert after["state"] != before["state"], (before, after)
    assert after["active"] == before["active"], (before, after)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_runs_in_jupyterlab(lab_page, name):
    page = lab_page
    open_fresh(page, name)
    n = stored_explorers(name)
    if n:  # alive from the stored widget state, before any cell runs
        page.wait_for_function(f"() => document.querySelectorAll('.jp-OutputArea "
                               f"[data-explorer]').length >= {n}", timeout=60_000)
        assert_explorer_answers_the_keyboard(page)
        screenshot(page, f"lab-{Path(name).stem}-fresh-explorer")
    state = run_all(page)
    assert state["code"] > 0 and state["done"] == state["code"]
    assert state["errors"] == []
    notes = page.evaluate(NOTES_STATE)
    assert notes and not any(n["hidden"] for n in notes), notes
    assert {n["label"] for n in notes} == {"Notes for presenters"}, notes
    screenshot(page, f"lab-{Path(name).stem}")
    if n:  # the widgets the run displayed are live too
        page.wait_for_function(f"() => document.querySelectorAll('.jp-OutputArea "
                               f"[data-explorer]').length >= {n}", timeout=60_000)
        assert_explorer_answers_the_keyboard(page)
    if not page.evaluate(f"({EXPLORER_IMAGE})"):
        return
    image = page.locator("[data-test=explorer-image]")
    before = image.get_attribute("src")
    handle = page.locator("[data-test=explorer-handle]")
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(old) => document.querySelector('[data-test=explorer-image]').src !== old",
                           arg=before, timeout=30_000)
    assert image.get_attribute("src") != before
    screenshot(page, f"lab-{Path(name).stem}-explorer")


EDIT_AND_SAVE = """async (text) => {
  const w = window.jupyterapp.shell.currentWidget;
  const cell = w.content.model.cells.get(0);
  cell.sharedModel.setSource(cell.sharedModel.getSource() + text);
  const save = window.jupyterapp.commands.execute('docmanager:save').then(() => 'saved');
  const late = new Promise(done => setTimeout(() => done('no answer'), 60000));
  const outcome = await Promise.race([save, late]);
  const dialog = document.querySelector('.jp-Dialog');
  return dialog ? outcome + '; dialog: ' + dialog.innerText : outcome;
}"""


def read_text(base: str, token: str, name: str) -> str:
    """A file as the server stores it (the contents API, as JupyterLab reads it)."""
    url = f"{base}/api/contents/{name}?type=file&format=text&content=1&token={token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())["content"]


def test_a_markdown_edit_saved_in_jupyterlab_reaches_the_text_twin(lab_page, lab_server):
    """A lecturer edits the notebook in JupyterLab and saves: jupytext writes the
    same change into the paired MyST file, so `make execute` keeps it."""
    base, token = lab_server
    page = lab_page
    page.evaluate(OPEN_FRESH, "00_index.ipynb")
    # Save refuses (a "Cannot Save: read-only" dialog) until the document's context has
    # loaded the file from the server, so wait for that, not only for the cells.
    page.wait_for_function("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget; "
                           "return !!(w && w.context && w.context.isReady && w.context.contentsModel "
                           "&& w.context.contentsModel.writable && w.content && w.content.model); }",
                           timeout=120_000)
    marker = "Edited in JupyterLab by the browser test."
    assert marker not in read_text(base, token, "00_index.md")
    outcome = page.evaluate(EDIT_AND_SAVE, "\n\n" + marker)
    screenshot(page, "lab-edit-saved")
    assert outcome == "saved", outcome
    twin = read_text(base, token, "00_index.md")
    assert marker in twin
    assert twin.index(marker) < twin.index("## Chapters")


def test_file_browser_lists_each_chapter_once(lab_page, lab_server):
    """A learner sees each chapter once, as its notebook: the server settings `make lab` and
    Binder use (binder/jupyter_server_config.json) keep the .md twins out of the listing.
    (The lecturer's path, a save that rewrites the twin, is the test above.)"""
    base, token = lab_server
    page = lab_page
    page.goto(f"{base}/lab?token={token}")
    page.locator(".jp-DirListing-item").first.wait_for(timeout=120_000)
    names = page.locator(".jp-DirListing-item .jp-DirListing-itemText").all_inner_texts()
    chapters = sorted(n.strip() for n in names if n.strip()[:2].isdigit())
    screenshot(page, "lab-file-browser")
    assert not [n for n in names if n.strip().endswith(".md")], names
    assert len(chapters) == len(CHAPTERS), chapters
