"""Small helpers shared by the browser tests."""
from __future__ import annotations

import socket
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"


def screenshot(page, name: str, **kwargs) -> Path:
    """Save what the page shows as build/screenshots/<name>.png (stable names, so a
    reviewer can compare runs)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


class PageLog:
    """Console errors and requests that left the machine, for one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}"))
        page.on("request", self._request)

    def _request(self, request) -> None:
        url = request.url
        if not url.startswith(("file:", "data:", "blob:", "http://127.0.0.1", "ws://127.0.0.1")):
            self.external.append(url)
