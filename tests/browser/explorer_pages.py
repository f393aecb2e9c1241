"""A test page holding the three kernel-free explorers, served from a temp dir on localhost,
and the in-page driver that moves their controls like a user (set value + input event)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import convlib as cl

from .browser_util import free_port

NAMES = ("feature_map", "transposed", "receptive_field")

#: In the page: for each configuration, set every control (value or checked) and dispatch
#: "input", as a user's move does; return what is shown (data-state / data-error), the
#: final control values and the time of each move's redraw (performance.now() in the handler).
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
        : el.type === "range" ? Number(el.value) : el.value;
    });
    out.push({values, ms, state: root.dataset.state ? JSON.parse(root.dataset.state) : null,
              error: root.dataset.error || null,
              message: root.querySelector(".convlib-message").textContent});
  }
  return out;
}"""


def page_html() -> str:
    body = "\n".join(f"<h2>{name}</h2>\n{cl.widgets.kernel_free(name)._repr_html_()}"
                     for name in NAMES)
    return f"<!doctype html><html><head><meta charset='utf-8'><link rel='icon' href='data:,'></head><body>{body}</body></html>"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def served_page(tmp: Path):
    """Write the page to `tmp` and serve it on 127.0.0.1; yield its URL."""
    (tmp / "explorers.html").write_text(page_html(), encoding="utf-8")
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
