"""Matplotlib's JavaScript animation player, made to work everywhere.

The case galleries of chapter 02 are animations (``FuncAnimation.to_jshtml``): frames
embedded as PNG with play and step buttons, which move on the static site, in the decks
and on GitHub-rendered pages. `animation_html` makes the player self-contained: its first
frame sits in the ``<img>`` itself (so it shows where scripts do not run), and its button
icons are plain characters instead of Font Awesome from a CDN.

The explorers are browser widgets (`convlib.widgets.browser`).
"""
from __future__ import annotations

import base64
import re

from matplotlib.animation import FuncAnimation

__all__ = ["animation_html"]

#: Matplotlib's player loads Font Awesome from a CDN for its button icons;
#: plain characters keep it working offline.
_ICONS = {"fa fa-minus": "−", "fa fa-fast-backward": "|◀", "fa fa-step-backward": "◀|",
          "fa fa-play fa-flip-horizontal": "◀", "fa fa-pause": "||", "fa fa-play": "▶",
          "fa fa-step-forward": "|▶", "fa fa-fast-forward": "▶|", "fa fa-plus": "+"}


def _first_frame_shown(html_text: str) -> str:
    """Put the first frame in the player's ``<img>`` itself, at its own size.

    Matplotlib's player fills its image from JavaScript; where scripts do not run
    (an untrusted notebook in JupyterLab, GitHub) the picture was 0 px wide until
    ▶ was pressed. With the frame inline it shows at once.
    """
    first = re.search(r'frames\[0\] = "(data:image/png;base64,[^"]*)"', html_text)
    if first is None:
        return html_text
    src = first.group(1).replace("\\\n", "")  # the JS string's line continuations
    png = base64.b64decode(src.split(",", 1)[1])
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return re.sub(r'<img id="(_anim_img\w+)">',
                  lambda m: (f'<img id="{m.group(1)}" src="{src}" width="{width}" '
                             f'height="{height}" style="max-width:100%;height:auto">'),
                  html_text, count=1)


def _offline_player(html_text: str) -> str:
    html_text = re.sub(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">', "",
                       html_text)
    for cls, glyph in _ICONS.items():
        html_text = html_text.replace(f'<i class="{cls}"></i>', glyph)
    return html_text


def animation_html(anim: FuncAnimation, mode: str = "loop") -> str:
    """The HTML of `anim`'s player: first frame inline, no CDN. Its element ids are
    random: tag the cell ``nbval-ignore-output``."""
    return _offline_player(_first_frame_shown(anim.to_jshtml(default_mode=mode)))
