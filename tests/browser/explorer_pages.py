"""The browser explorers against convlib, in Chromium: a test page holding explorers as
the static site shows them (their ``text/html`` twin), served from a temp dir on
localhost, and the two ways a test drives one.

- `DRIVER` moves its controls like a user (set value + input event) and reads what it
  shows: ``data-state`` / ``data-error`` on the root, the invalid message, the final
  control values and each move's redraw time;
- `COMPUTE` calls the explorer's pure ``compute`` directly (the same function the
  controls call), which is fast enough for a thousand configurations.

`check_explorer` runs both and compares everything with what convlib computes."""
from __future__ import annotations

import contextlib
import functools
import http.server
import random
import threading
from collections.abc import Callable
from pathlib import Path

from .browser_util import free_port

#: Configurations per explorer: through the controls, and through `compute`.
N_THROUGH_CONTROLS, N_DIRECT = 150, 900

DRIVER = """([name, configs]) => {
  const root = document.querySelector(`[data-explorer="${name}"]`);
  const out = [];
  for (const config of configs) {
    const ms = [];
    for (const [key, value] of config) {
      const input = root.querySelector(`[name="${key}"]`);
      if (input.disabled) continue;
      if (input.type === "checkbox") input.checked = value; else input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      ms.push(Number(root.dataset.ms));
    }
    const values = {};
    root.querySelectorAll("[name]").forEach((el) => {
      values[el.name] = el.type === "checkbox" ? el.checked
        : el.type === "range" || el.dataset.numeric ? Number(el.value) : el.value;
    });
    out.push({values, ms, state: root.dataset.state ? JSON.parse(root.dataset.state) : null,
              error: root.dataset.error || null,
              text: root.querySelector(".convlib-text").textContent,
              message: root.querySelector(".convlib-message").textContent});
  }
  return out;
}"""

COMPUTE = """([name, configs]) => {
  const {compute, Invalid} = window.convlibExplorers[name];
  return configs.map((v) => {
    try { return {state: compute(v).shown, error: null}; }
    catch (e) { if (!(e instanceof Invalid)) throw e; return {state: null, error: e.message}; }
  });
}"""


#: Moves one slider of every explorer on a page by one step; says whether each redrew (its
#: state or its text line changed). For the decks and the site, where explorers run from
#: their stored values.
MOVE_EVERY_EXPLORER = """() => {
  // every explorer of the page is alive: a slider moved redraws it
  const roots = [...document.querySelectorAll('[data-explorer]')];
  return roots.map(root => {
    const input = [...root.querySelectorAll('input[type=range]')]
      .find(i => !i.disabled && Number(i.value) < Number(i.max));
    const shown = () => (root.dataset.state || root.dataset.error) +
      root.querySelector('.convlib-text').textContent;
    const before = shown();
    input.value = String(Number(input.value) + 1);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    return {name: root.dataset.explorer, moved: shown() !== before};
  });
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def served_page(tmp: Path, body: str):
    """Write a page holding `body` to `tmp` and serve it on 127.0.0.1; yield its URL."""
    page = ("<!doctype html><html><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
            f"</head><body>{body}</body></html>")
    (tmp / "explorers.html").write_text(page, encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(tmp))
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/explorers.html"
    finally:
        server.shutdown()
        server.server_close()


def static_twin(explorer) -> str:
    """The ``text/html`` an explorer widget is displayed with (what the site shows)."""
    return explorer._repr_mimebundle_()[0]["text/html"]


def check_explorer(page, tmp_path: Path, explorer, make_config: Callable, expected: Callable,
                   n_controls: int = N_THROUGH_CONTROLS, n_direct: int = N_DIRECT,
                   expected_text: Callable | None = None) -> None:
    """`explorer` (a widget) on a page: `n_controls` seeded random configurations set through
    its controls and `n_direct` given to its ``compute``; each must show exactly what
    ``expected(values) -> (shown, error message or None)`` gives (convlib). Both valid and
    invalid configurations must occur. With `expected_text(values)`, the text line under a
    valid picture must also be convlib's."""
    name = explorer.explorer_name
    rng = random.Random(f"explorers-{name}")
    through = [make_config(rng) for _ in range(n_controls)]
    direct = [dict(make_config(rng)) for _ in range(n_direct)]
    with served_page(tmp_path, static_twin(explorer)) as url:
        page.goto(url)
        page.wait_for_selector(f'[data-explorer="{name}"]')
        shown = page.evaluate(DRIVER, [name, through])
        computed = page.evaluate(COMPUTE, [name, direct])
    assert not page.log.errors and not page.log.external
    invalid = 0
    for config, got in zip(through, shown):
        state, error = expected(got["values"])
        assert (got["state"], got["error"]) == (state, error), (config, got["values"])
        if error:
            invalid += 1
            assert got["message"] == f"⚠ Not a valid configuration: {error}"
        else:
            assert got["message"] == ""
            if expected_text:
                assert got["text"] == expected_text(got["values"]), got["values"]
    for values, got in zip(direct, computed):
        state, error = expected(values)
        assert (got["state"], got["error"]) == (state, error), values
        invalid += bool(error)
    assert 0 < invalid < n_controls + n_direct  # both kinds were met


def python_error(compute: Callable, values: dict) -> tuple[object, str | None]:
    """convlib's (result, None) for `values`, or (None, its ValueError's text)."""
    try:
        return compute(**values), None
    except ValueError as err:
        return None, " ".join([str(err), *getattr(err, "__notes__", [])])
