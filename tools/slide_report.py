"""Which slides of an exported deck do not fit 1280x720, for chapter authors.

Usage: python tools/slide_report.py [build/slides/NN_name.slides.html ...] [--all]

Opens each deck (default: every deck in build/slides/) in Chromium at 1280x720,
visits every slide with all its fragments shown, and prints one line per slide
that is too tall or too wide, has a box cut at the right or scrolling sideways, shows code that is not tagged ``show-code``, or
has prose under 24 px (``--all``: every slide). Rebuild the decks first with
``python tools/export_slides.py``. The browser test tests/browser/test_decks.py
uses the same measurement.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

__all__ = ["WIDTH", "HEIGHT", "MIN_TEXT_PX", "MEASURE_JS", "measure_deck", "problems",
           "format_report", "open_browser"]

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "build" / "slides"
WIDTH, HEIGHT = 1280, 720
MIN_TEXT_PX = 24
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

# Runs in the deck: visits every slide (horizontal h, vertical v), shows all its
# fragments, and measures it. Heights are CSS px of the 1280x720 slide (scale 1).
MEASURE_JS = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  await Promise.all([...document.images].map(i => i.complete ? 0 :
      new Promise(r => { i.onload = i.onerror = r; })));
  const visible = e => { const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const rows = [];
  const tops = [...document.querySelectorAll('.reveal .slides > section')];
  for (let h = 0; h < tops.length; h++) {
    const stack = tops[h].classList.contains('stack');
    const slides = stack ? [...tops[h].querySelectorAll(':scope > section')] : [tops[h]];
    for (let v = 0; v < slides.length; v++) {
      Reveal.slide(h, v, 999);                       // last fragment: all shown
      const s = slides[v];
      s.querySelectorAll('.fragment').forEach(f => f.classList.add('visible'));
      await frame();
      const head = s.querySelector('h1, h2, h3, h4');
      const headText = head ? [...head.childNodes].filter(n => !(n.classList && n.classList.contains('anchor-link'))).map(n => n.textContent).join('') : '';
      const code = [...s.querySelectorAll('.jp-CodeCell:not(.celltag_show-code) .jp-InputArea')]
          .filter(visible).length;
      let minText = null;
      for (const e of s.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li, '
                                         + '.jp-RenderedMarkdown td, .jp-RenderedMarkdown th')) {
        if (!visible(e) || !e.textContent.trim() || e.closest('aside.notes')) continue;
        const px = parseFloat(getComputedStyle(e).fontSize) * Reveal.getScale();
        minText = minText === null ? px : Math.min(minText, px);
      }
      // content cut at the right, or a box that scrolls sideways (code, output, tables)
      const right = s.getBoundingClientRect().left + 1280 + 1;
      const sideways = [...s.querySelectorAll('pre, table, img, svg, .jp-OutputArea-output, .jp-InputArea')]
          .filter(e => { if (!visible(e) || e.closest('aside.notes')) return false;
              const r = e.getBoundingClientRect(), wider = e.scrollWidth > e.clientWidth + 1;
              return r.left + Math.max(r.width, e.scrollWidth) > right     // drawn past the edge
                  || (wider && getComputedStyle(e).overflowX !== 'visible'); })  // or a sideways scroll
          .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40));
      rows.push({h, v, title: headText.replace(/\\s+/g, ' ').trim(), sideways,
                 height: Math.ceil(s.scrollHeight), width: Math.ceil(s.scrollWidth),
                 code, minText: minText === null ? null : Math.round(minText * 10) / 10,
                 notes: s.querySelectorAll('aside.notes').length,
                 scale: Reveal.getScale()});
    }
  }
  Reveal.slide(0, 0, 0);
  return rows;
}"""


def open_browser(playwright):
    """Debian's Chromium, headless (Playwright cannot download browsers here)."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def measure_deck(page, deck: Path) -> list[dict]:
    """Every slide of `deck` measured at 1280x720 with all fragments shown.

    Each row: h, v (slide indices, as in the deck's URL ``#/h/v``), title, height,
    width, code (visible code inputs not tagged ``show-code``), minText (smallest
    prose px), notes (speaker-note blocks), scale (reveal's zoom), sideways (boxes
    cut at the slide's right edge or scrolling sideways: tag and first words).
    """
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(deck.resolve().as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()",
                           timeout=30_000)
    rows = page.evaluate(MEASURE_JS)
    for row in rows:
        row["deck"] = deck.name.split(".")[0]
    return rows


def problems(row: dict) -> list[str]:
    """What is wrong with one measured slide (empty when it is fine for a room).

    >>> problems({"height": 800, "width": 1280, "code": 0, "minText": 26})
    ['80 px too tall']
    >>> problems({"height": 700, "width": 1280, "code": 2, "minText": 20})
    ['2 code inputs shown', 'prose 20 px < 24']
    >>> problems({"height": 700, "width": 1280, "code": 0, "minText": 26,
    ...           "sideways": ["pre: print(conv(x))"]})
    ['cut at the right: pre: print(conv(x))']
    """
    found = []
    if row["height"] > HEIGHT:
        found.append(f"{row['height'] - HEIGHT} px too tall")
    if row["width"] > WIDTH:
        found.append(f"{row['width'] - WIDTH} px too wide")
    if row["code"]:
        found.append(f"{row['code']} code inputs shown")
    if row["minText"] is not None and row["minText"] < MIN_TEXT_PX:
        found.append(f"prose {row['minText']:g} px < {MIN_TEXT_PX}")
    if row.get("sideways"):
        found.append(f"cut at the right: {'; '.join(row['sideways'][:2])}")
    return found


def format_report(rows: list[dict], everything: bool = False) -> str:
    """One line per slide: deck, #/h/v, height, problems, title."""
    lines = []
    for r in rows:
        issue = problems(r)
        if issue or everything:
            lines.append(f"{r['deck']:28} #/{r['h']}/{r['v']:<3} {r['height']:5d} px  "
                         f"{'; '.join(issue) or 'ok':32}  {r['title'][:60]}")
    bad = sum(bool(problems(r)) for r in rows)
    lines.append(f"{bad} of {len(rows)} slides need work")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    everything = "--all" in argv
    decks = [Path(a) for a in argv if a != "--all"] or sorted(DECKS.glob("*.slides.html"))
    if not decks:
        raise SystemExit("no decks: run `python tools/export_slides.py` first")
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = open_browser(p)
        page = browser.new_page()
        for deck in decks:
            rows += measure_deck(page, deck)
        browser.close()
    print(format_report(rows, everything))
    return 1 if any(problems(r) for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
