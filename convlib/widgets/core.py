"""The widget pattern every chapter copies: controls + pure compute + figure.

An `Explorer` is an ``ipywidgets.VBox``: its controls beside the figure (they
wrap above it in a narrow cell), a one-line description (the formula with
numbers, or a short message when the combination is invalid), and the figure
as an ``ipywidgets.Image`` holding a PNG at twice its display size, whose
``width`` / ``height`` attributes are that display size (sharp, never
upscaled). While a combination is invalid the last picture is greyed out and
marked, never shown as if current. On every change it calls ``compute(**values)`` (pure convlib code that
raises ``ValueError`` for invalid input), then ``update(state)`` to change
the existing matplotlib artists, then re-renders the PNG. No ``interact`` and
no ``Output`` widget, so stored outputs stay deterministic for nbval, the
stored widget state shows the last picture without a kernel, and a test can
drive the sliders headlessly.
"""
from __future__ import annotations

import base64
import html
import re
from contextlib import contextmanager
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..draw.core import (DISPLAY_DPI, PIXEL_DENSITY, PALETTE, display_size, figure_png,
                         freeze_layout)

__all__ = ["Controlled", "Explorer", "int_slider", "choice_slider", "controls_row", "fit_index_slider",
           "animate", "CONTROLS_WIDTH"]

#: Width of the controls column beside the figure (CSS px).
CONTROLS_WIDTH = 300


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1) -> widgets.IntSlider:
    """A compact integer slider that only reports when released (or on keys)."""
    return widgets.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                             continuous_update=False, style={"description_width": "initial"},
                             layout=widgets.Layout(width="230px"))


def choice_slider(description: str, value, options) -> widgets.SelectionSlider:
    """A slider that steps only over `options` (e.g. the divisors of a channel count)."""
    return widgets.SelectionSlider(options=list(options), value=value, description=description,
                                   continuous_update=False,
                                   style={"description_width": "initial"},
                                   layout=widgets.Layout(width="230px"))


def fit_index_slider(slider: widgets.IntSlider, last: int) -> None:
    """Let an index slider (output cell, step) span ``0 .. last``; disabled at one position."""
    slider.value = min(slider.value, last)
    slider.max = max(last, 1)
    slider.disabled = last == 0


def controls_row(*items: widgets.Widget) -> widgets.HBox:
    return widgets.HBox(list(items), layout=widgets.Layout(flex_flow="row wrap"))


class Controlled:
    """Named controls whose every change calls ``self.refresh()`` once; `hold` sets
    several and refreshes once at the end. Mixed into the explorer widgets."""

    controls: dict[str, widgets.ValueWidget]
    _held: bool = False

    def watch_controls(self) -> None:
        """Refresh on every control change (call once the widget is built)."""
        for w in self.controls.values():
            w.observe(self._on_change, names="value")

    @property
    def values(self) -> dict[str, Any]:
        return {name: w.value for name, w in self.controls.items()}

    def _on_change(self, _change=None) -> None:
        if not self._held:
            self.refresh()

    @contextmanager
    def hold(self):
        """Set several controls, then recompute and redraw once.

        >>> # with ex.hold(): ex.controls["H"].value = 9; ex.controls["W"].value = 4
        """
        self._held = True
        try:
            yield self
        finally:
            self._held = False
            self.refresh()


class Explorer(Controlled, widgets.VBox):
    """Sliders driving a figure; invalid combinations show a message, never a traceback.

    Parameters
    ----------
    controls : mapping of name -> value widget; ``compute`` is called with
        these names as keyword arguments.
    compute : pure function returning a state; raises ValueError when invalid.
    figure : ``(fig, update)`` with ``update(state)`` changing existing artists.
    describe : state -> short HTML/text line shown above the figure.
    layout_rows : optional list of lists of control names, one HBox per row.
    """

    def __init__(self, controls: Mapping[str, widgets.ValueWidget], compute: Callable[..., Any],
                 figure: tuple[Figure, Callable[[Any], None]],
                 describe: Callable[[Any], str] = str,
                 layout_rows: list[list[str]] | None = None, render: bool = True):
        self.controls = dict(controls)
        self._compute, self._describe = compute, describe
        self.fig, self._update = figure
        self.render = render
        self.state: Any = None
        self.error: str | None = None
        self.png = b""
        self._busy = self._held = False
        self.message = widgets.HTML()
        width, height = display_size(self.fig)
        self.image = widgets.Image(format="png", width=str(width), height=str(height),
                                   layout=widgets.Layout(width=f"{width}px", max_width="100%",
                                                         height="auto", object_fit="contain"))
        self.greyed = False  # True while an invalid state shows the last picture faded
        rows = layout_rows or [list(self.controls)]
        boxes = [controls_row(*(self.controls[n] for n in row)) for row in rows]
        self.panel = widgets.VBox(boxes, layout=widgets.Layout(
            width=f"{CONTROLS_WIDTH}px", min_width=f"{CONTROLS_WIDTH}px"))
        self.picture = widgets.VBox([self.message, self.image],
                                    layout=widgets.Layout(flex="1 1 auto", min_width="0"))
        super().__init__(children=[widgets.HBox([self.panel, self.picture],
                                                layout=widgets.Layout(flex_flow="row wrap",
                                                                      align_items="flex-start"))])
        self.watch_controls()
        self.refresh()

    def before_compute(self) -> None:
        """Hook for subclasses: narrow a control's options to the values valid for the
        others (e.g. ``groups`` to the divisors of both channel counts)."""

    def after_compute(self, state: Any) -> None:
        """Hook for subclasses: adjust dependent controls (e.g. a slider's max)."""

    def refresh(self) -> None:
        """Recompute from the current control values and redraw in place."""
        if self._busy:  # a hook moved a control: one redraw is enough
            return
        self._busy = True
        try:
            self._refresh()
        finally:
            self._busy = self._held = False

    def _refresh(self) -> None:
        self.before_compute()
        values = self.values
        try:
            state = self._compute(**values)
        except ValueError as err:
            notes = getattr(err, "__notes__", [])  # e.g. which layer of a stack
            self.state, self.error = None, " ".join([str(err), *notes])
            self.message.value = (f"<span style='color:{PALETTE['error']}'>⚠ Not a valid "
                                  f"configuration: {html.escape(self.error)}</span>")
            if self.render and self.png and not self.greyed:
                self.image.value = figure_png(self.fig, faded=True)
            self.greyed = True
            return
        self.greyed = False
        self.after_compute(state)
        if self.values != values:  # the hook clamped a dependent control
            state = self._compute(**self.values)
        self.state, self.error = state, None
        self._update(state)
        self.message.value = f"<pre style='margin:0'>{html.escape(self._describe(state))}</pre>"
        if self.render:
            freeze_layout(self.fig)  # lay out once (first state); later moves skip the solver
            self.png = figure_png(self.fig)
            self.image.value = self.png

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({shown})"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """Widget view when a kernel or stored state is there; a PNG everywhere else."""
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        if self.png:
            data["image/png"] = base64.b64encode(self.png).decode("ascii")
        return data


def animate(explorer: Explorer, control: str, values=None, interval: int = 800):
    """A kernel-free animation of `explorer` as `control` runs through `values`.

    Returns an ``IPython.display.HTML`` holding matplotlib's JavaScript player
    (frames embedded as PNG, play/step buttons): it moves in exported slides,
    on GitHub-rendered pages and in the static site, where sliders cannot.
    Invalid frames are skipped. The explorer's picture is restored afterwards.
    Its HTML carries a random element id: tag the cell ``nbval-ignore-output``.
    """
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    widget = explorer.controls[control]
    values = list(range(widget.min, widget.max + 1) if values is None else values)
    states = []
    for v in values:
        try:
            states.append(explorer._compute(**{**explorer.values, control: v}))
        except ValueError:
            continue
    if not states:
        raise ValueError(f"`values` gives no valid frame for `{control}`")
    anim = FuncAnimation(explorer.fig, explorer._update, frames=states, interval=interval,
                         blit=False, repeat=True)
    explorer.fig.set_dpi(DISPLAY_DPI * PIXEL_DENSITY)  # 2x frames, shown at display size
    html_text = _offline_player(anim.to_jshtml(default_mode="loop"))
    html_text = _first_frame_shown(html_text, *display_size(explorer.fig))
    if explorer.state is not None:
        explorer._update(explorer.state)
    return HTML(html_text)


def _first_frame_shown(html_text: str, width: int, height: int) -> str:
    """Put the first frame in the player's ``<img>`` itself, at the display size.

    Matplotlib's player fills its image from JavaScript; where scripts do not run
    (an untrusted notebook in JupyterLab, GitHub) the picture was 0 px wide until
    ▶ was pressed. With the frame inline it shows at once, sharp (2x pixels).
    """
    first = re.search(r'frames\[0\] = "(data:image/png;base64,[^"]*)"', html_text)
    if first is None:
        return html_text
    src = first.group(1).replace("\\\n", "")  # the JS string's line continuations
    return re.sub(r'<img id="(_anim_img\w+)">',
                  lambda m: (f'<img id="{m.group(1)}" src="{src}" width="{width}" '
                             f'height="{height}" style="max-width:100%;height:auto">'),
                  html_text, count=1)


#: Matplotlib's player loads Font Awesome from a CDN for its button icons;
#: plain characters keep it working offline.
_ICONS = {"fa fa-minus": "−", "fa fa-fast-backward": "|◀", "fa fa-step-backward": "◀|",
          "fa fa-play fa-flip-horizontal": "◀", "fa fa-pause": "||", "fa fa-play": "▶",
          "fa fa-step-forward": "|▶", "fa fa-fast-forward": "▶|", "fa fa-plus": "+"}


def _offline_player(html_text: str) -> str:
    html_text = re.sub(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">', "", html_text)
    for cls, glyph in _ICONS.items():
        html_text = html_text.replace(f'<i class="{cls}"></i>', glyph)
    return html_text
