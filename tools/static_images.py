"""Smaller pictures for the exported decks and the static site.

The notebooks store figures as 2x-density PNGs written for speed (zlib level 1,
24-bit colour). A page without a kernel only shows them, so `shrink_images`
re-encodes every stored PNG (``image/png`` outputs and ``data:image/png`` inside
HTML outputs, such as animation frames) as a palette PNG of at most 256 colours,
compressed hard, and keeps whichever is smaller. Figures are flat colour plus
anti-aliasing, so the picture is unchanged to the eye at a fraction of the bytes;
its pixel size, hence its sharpness, stays the same.

>>> import numpy as np
>>> from PIL import Image
>>> buf = io.BytesIO(); Image.fromarray(np.zeros((40, 40, 3), np.uint8)).save(buf, "PNG", compress_level=0)
>>> raw = base64.b64encode(buf.getvalue()).decode()
>>> len(smaller_png(raw)) < len(raw)
True
"""
from __future__ import annotations

import base64
import copy
import io
import re

__all__ = ["shrink_images", "smaller_png"]

# base64 in HTML may be wrapped, in JavaScript strings with "\" line continuations
DATA_URL = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s\\]+)")


def smaller_png(b64: str) -> str:
    """`b64` (a base64 PNG) as a 256-colour palette PNG when that is smaller."""
    from PIL import Image

    raw = base64.b64decode(re.sub(r"[\s\\]", "", b64))
    try:
        image = Image.open(io.BytesIO(raw))
        image.load()
    except OSError:  # not a whole PNG: leave it as it was
        return b64
    if image.mode not in ("RGB", "RGBA"):
        return b64
    quantized = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    buf = io.BytesIO()
    quantized.save(buf, "PNG", optimize=True)
    out = buf.getvalue()
    return base64.b64encode(out).decode() if len(out) < len(raw) else b64


def _shrink_html(text: str) -> str:
    return DATA_URL.sub(lambda m: "data:image/png;base64," + smaller_png(m.group(1)), text)


def shrink_images(nb):
    """A copy of `nb` whose stored PNGs are palette PNGs (same pixels count, fewer bytes)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                data["image/png"] = smaller_png("".join(data["image/png"]))
            if "text/html" in data:
                data["text/html"] = _shrink_html("".join(data["text/html"]))
    return nb
