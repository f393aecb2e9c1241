"""The course's formula sheet: every rule once, in the syllabus notation, checked by torch.

Each `Entry` holds the rule's LaTeX, the rule transcribed as a Python ``formula``, the
convlib function that implements it (``library``), what real torch layers measure for the
same configuration (``measure``, in `convlib.reference.measure`) and ``draw(rng)``, a
random valid configuration. `evaluate` runs the three on one configuration; a rule is
right when all three agree. `sheet_html` renders a topic's rows as a table (MathJax in
JupyterLab, on the site and in the decks).
"""
from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from math import ceil, floor, prod
from typing import Any, NamedTuple

import numpy as np

from . import measure as m

__all__ = ["Entry", "SHEET", "TOPICS", "evaluate", "configurations", "sheet_html", "html_table"]


class Entry(NamedTuple):
    """One rule: name, LaTeX, the rule in Python, convlib's function, torch's measurement."""
    name: str
    topic: str
    chapter: str
    latex: str
    convlib: str
    formula: Callable[..., Any]
    library: Callable[..., Any]
    measure: Callable[..., Any]
    draw: Callable[[np.random.Generator], dict]


def _cl(name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        import convlib
        return getattr(convlib, name)(*args, **kwargs)
    return call


def _n(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi + 1))


def _conv_cfg(rng: np.random.Generator) -> dict:
    k, s, d, p = _n(rng, 1, 5), _n(rng, 1, 3), _n(rng, 1, 3), _n(rng, 0, 3)
    return dict(i=_n(rng, max(1, d * (k - 1) + 1 - 2 * p), d * (k - 1) + 12), k=k, s=s, p=p, d=d)


def _valid_cfg(rng: np.random.Generator) -> dict:
    c = _conv_cfg(rng)
    return {**c, "i": c["i"] + 2 * c["p"], "p": 0}


def _kd_cfg(rng: np.random.Generator) -> dict:
    k, d = _n(rng, 1, 6), _n(rng, 1, 4)
    return dict(i=_n(rng, d * (k - 1) + 1, d * (k - 1) + 10), k=k, d=d)


def _pool_cfg(rng: np.random.Generator) -> dict:
    k, s, d = _n(rng, 1, 5), _n(rng, 1, 4), _n(rng, 1, 2)
    p = _n(rng, 0, k // 2)
    return dict(i=_n(rng, max(1, d * (k - 1) + 1 - 2 * p), d * (k - 1) + 10), k=k, s=s, p=p, d=d)


def _tf_cfg(rng: np.random.Generator) -> dict:
    c = _kd_cfg(rng)
    return {**c, "s": _n(rng, 1, 4)}


def _transposed_cfg(rng: np.random.Generator) -> dict:
    while True:
        k, s, d, p, i = _n(rng, 1, 5), _n(rng, 1, 3), _n(rng, 1, 3), _n(rng, 0, 3), _n(rng, 1, 9)
        op = _n(rng, 0, max(s, d) - 1)
        if (i - 1) * s - 2 * p + d * (k - 1) + op + 1 >= 1:
            return dict(i=i, k=k, s=s, p=p, op=op, d=d)


def _stack_cfg(rng: np.random.Generator) -> dict:
    n = _n(rng, 1, 4)
    return dict(layers=tuple((_n(rng, 1, 4), _n(rng, 1, 2), _n(rng, 1, 3)) for _ in range(n)))


def _channels_cfg(rng: np.random.Generator) -> dict:
    g = _n(rng, 1, 4)
    return dict(c_in=g * _n(rng, 1, 4), c_out=g * _n(rng, 1, 4), g=g, k_h=_n(rng, 1, 5),
                k_w=_n(rng, 1, 5), bias=bool(rng.integers(2)))


def _macs_cfg(rng: np.random.Generator) -> dict:
    c = _channels_cfg(rng)
    del c["bias"]
    return {**c, "h_out": _n(rng, 1, 9), "w_out": _n(rng, 1, 9)}


def _transposed_macs_cfg(rng: np.random.Generator) -> dict:
    c = _macs_cfg(rng)
    return {**{k: v for k, v in c.items() if k not in ("h_out", "w_out")},
            "h_in": c["h_out"], "w_in": c["w_out"]}


def _bottleneck_cfg(rng: np.random.Generator, kind: str) -> dict:
    g = _n(rng, 1, 4)
    c = g * _n(rng, 1, 6)
    return dict(c=c, m_=g * _n(rng, 1, 4), g=g, h=_n(rng, 1, 6), w=_n(rng, 1, 6))


def _pool_formula(i: int, k: int, s: int, p: int, d: int) -> int:
    o = ceil((i + 2 * p - d * (k - 1) - 1) / s) + 1
    return o - 1 if (o - 1) * s >= i + p else o


def _tf_same_formula(i: int, k: int, s: int, d: int) -> tuple[int, int]:
    o = ceil(i / s)
    return o, max((o - 1) * s + d * (k - 1) + 1 - i, 0)


def _recurrence(layers: tuple) -> tuple[int, int]:
    r, j = 1, 1
    for k, s, d in layers:
        r, j = r + d * (k - 1) * j, j * s
    return r, j


def _closed_form(layers: tuple) -> int:
    return 1 + sum(d * (k - 1) * prod(s for _, s, _ in layers[:l]) for l, (k, _, d) in enumerate(layers))


def _top_down(layers: tuple) -> int:
    rf = 1
    for k, s, d in reversed(layers):
        rf = (rf - 1) * s + d * (k - 1) + 1
    return rf


def _field(layers: tuple) -> tuple[int, int]:
    t = _cl("receptive_field")([(k, s, 0, d) for k, s, d in layers])
    return t.size, t.jump


def _tf_lib(i: int, k: int, s: int, d: int, mode: str) -> Any:
    o, before, after = _cl("tf_padding")(i, k, stride=s, dilation=d, mode=mode)
    return o if mode == "VALID" else (o, before + after)


_I = r"\left\lfloor \dfrac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1"
SHEET: tuple[Entry, ...] = (
    Entry("convolution, per axis", "sizes", "02", "o = " + _I, "conv_output_size",
          lambda i, k, s, p, d: floor((i + 2 * p - d * (k - 1) - 1) / s) + 1,
          lambda i, k, s, p, d: _cl("conv_output_size")(i, k, stride=s, padding=p, dilation=d),
          m.conv_length, _conv_cfg),
    Entry("valid (p = 0)", "sizes", "02",
          r"o = \left\lfloor \dfrac{i - d(k-1) - 1}{s} \right\rfloor + 1", "conv_output_size",
          lambda i, k, s, p, d: floor((i - d * (k - 1) - 1) / s) + 1,
          lambda i, k, s, p, d: _cl("conv_output_size")(i, k, stride=s, padding="valid", dilation=d),
          lambda i, k, s, p, d: m.conv_length(i, k, s, "valid", d), _valid_cfg),
    Entry("same (s = 1; PyTorch puts the odd pixel after)", "sizes", "02",
          r"o = i,\quad p_{\text{before}} = \lfloor d(k-1)/2 \rfloor,\quad "
          r"p_{\text{after}} = d(k-1) - p_{\text{before}}", "same_padding",
          lambda i, k, d: (i, d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2),
          lambda i, k, d: (_cl("conv_output_size")(i, k, padding="same", dilation=d),
                           *_cl("same_padding")(k, d)),
          m.same_split, _kd_cfg),
    Entry("full (s = 1, p = d(k-1))", "sizes", "02", r"o = i + d(k-1)", "conv_output_size",
          lambda i, k, d: i + d * (k - 1),
          lambda i, k, d: _cl("conv_output_size")(i, k, padding=d * (k - 1), dilation=d),
          lambda i, k, d: m.conv_length(i, k, 1, d * (k - 1), d), _kd_cfg),
    Entry("effective kernel size", "sizes", "04", r"k_{\text{eff}} = d(k-1) + 1",
          "effective_kernel_size", lambda i, k, d: d * (k - 1) + 1,
          lambda i, k, d: _cl("effective_kernel_size")(k, d),
          lambda i, k, d: m.k_eff_span(k, d), _kd_cfg),
    Entry("pooling, ceil_mode=True (the last window starts inside the input or left padding)",
          "pooling", "02", r"o' = \left\lceil \dfrac{i + 2p - d(k-1) - 1}{s} \right\rceil + 1,\quad "
          r"o = o' - [(o'-1)s \ge i + p]", "pool_output_size", _pool_formula,
          lambda i, k, s, p, d: _cl("pool_output_size")(i, k, s, p, d, ceil_mode=True),
          m.pool_length, _pool_cfg),
    Entry("TensorFlow VALID", "pooling", "02",
          r"o = \left\lceil \dfrac{i - k_{\text{eff}} + 1}{s} \right\rceil", "tf_padding",
          lambda i, k, s, d: ceil((i - d * (k - 1)) / s),
          lambda i, k, s, d: _tf_lib(i, k, s, d, "VALID"),
          lambda i, k, s, d: m.conv_length(i, k, s, 0, d), _tf_cfg),
    Entry("TensorFlow SAME (total split with the smaller half first)", "pooling", "02",
          r"o = \lceil i/s \rceil,\quad p_{\text{total}} = \max((o-1)s + k_{\text{eff}} - i, 0)",
          "tf_padding", _tf_same_formula, lambda i, k, s, d: _tf_lib(i, k, s, d, "SAME"),
          m.tf_same, _tf_cfg),
    Entry("transposed convolution", "transposed", "03",
          r"o = (i-1)s - 2p + d(k-1) + op + 1", "conv_transpose_output_size",
          lambda i, k, s, p, op, d: (i - 1) * s - 2 * p + d * (k - 1) + op + 1,
          lambda i, k, s, p, op, d: _cl("conv_transpose_output_size")(
              i, k, stride=s, padding=p, output_padding=op, dilation=d),
          m.transposed_length, _transposed_cfg),
    Entry("output padding that restores i", "transposed", "03",
          r"op = (i + 2p - d(k-1) - 1) \bmod s", "output_padding_for",
          lambda i, k, s, p, d: (i + 2 * p - d * (k - 1) - 1) % s,
          lambda i, k, s, p, d: _cl("output_padding_for")(i, k, stride=s, padding=p, dilation=d),
          m.restoring_output_padding, _conv_cfg),
    Entry("uneven overlap (checkerboard) in a transposed conv", "transposed", "03",
          r"\text{uneven} \iff s \nmid k", "overlap_counts",
          lambda k, s: k % s != 0,
          lambda k, s: bool(np.ptp(_cl("overlap_counts")(k, s, 16)[k:-k]) > 0),
          m.uneven_overlap, lambda rng: dict(k=_n(rng, 1, 6), s=_n(rng, 1, 4))),
    Entry("receptive field, bottom-up", "fields", "06",
          r"j_l = j_{l-1} s_l,\quad r_l = r_{l-1} + d_l (k_l - 1) j_{l-1},\quad r_0 = j_0 = 1",
          "receptive_field", _recurrence, _field, m.field, _stack_cfg),
    Entry("receptive field, closed form", "fields", "06",
          r"r_L = 1 + \sum_{l=1}^{L} d_l (k_l - 1) \prod_{m<l} s_m", "receptive_field",
          _closed_form, lambda layers: _field(layers)[0],
          lambda layers: m.field(layers)[0], _stack_cfg),
    Entry("receptive field, top-down", "fields", "06",
          r"RF_l = (RF_{l+1} - 1) s_l + k_{\text{eff},l},\quad RF_{L+1} = 1",
          "receptive_field_top_down", _top_down,
          lambda layers: _cl("receptive_field_top_down")(*map(list, zip(*layers))),
          lambda layers: m.field(layers)[0], _stack_cfg),
    Entry("Conv2d parameters", "params", "07",
          r"C_{out} \dfrac{C_{in}}{g} k_H k_W + C_{out}\ \text{(bias)}", "conv2d_params",
          lambda c_in, c_out, g, k_h, k_w, bias: c_out * (c_in // g) * k_h * k_w + c_out * bias,
          lambda c_in, c_out, g, k_h, k_w, bias: _cl("conv2d_params")(
              c_in, c_out, (k_h, k_w), groups=g, bias=bias),
          m.conv_params, _channels_cfg),
    Entry("ConvTranspose2d parameters (weight (C_in, C_out/g, k_H, k_W))", "params", "03",
          r"C_{in} \dfrac{C_{out}}{g} k_H k_W + C_{out}\ \text{(bias)}", "conv_transpose2d_params",
          lambda c_in, c_out, g, k_h, k_w, bias: c_in * (c_out // g) * k_h * k_w + c_out * bias,
          lambda c_in, c_out, g, k_h, k_w, bias: _cl("conv_transpose2d_params")(
              c_in, c_out, (k_h, k_w), groups=g, bias=bias),
          m.transposed_params, _channels_cfg),
    Entry("Linear parameters", "params", "07", r"n_{in} n_{out} + n_{out}", "linear_params",
          lambda n_in, n_out: n_in * n_out + n_out, lambda n_in, n_out: _cl("linear_params")(n_in, n_out),
          m.linear_params, lambda rng: dict(n_in=_n(rng, 1, 64), n_out=_n(rng, 1, 64))),
    Entry("BatchNorm2d: trainable parameters, running statistics (buffers, besides the 1-element "
          "num_batches_tracked)", "params", "07",
          r"2C \text{ trainable},\quad 2C \text{ running statistics}", "batchnorm_params",
          lambda c: (2 * c, 2 * c),
          lambda c: tuple(_cl("batchnorm_params")(c)), m.batchnorm_counts,
          lambda rng: dict(c=_n(rng, 1, 256))),
    Entry("LSTM parameters, PyTorch (two bias vectors per gate; Keras has one: + 4h)", "params", "07",
          r"4(n_{in} + h)h + 8h", "lstm_params", lambda n_in, h: 4 * (n_in + h) * h + 8 * h,
          lambda n_in, h: _cl("lstm_params")(n_in, h), m.lstm_params,
          lambda rng: dict(n_in=_n(rng, 1, 32), h=_n(rng, 1, 32))),
    Entry("Embedding parameters (a lookup table, no bias)", "params", "07", r"n_{num}\, n_{dim}",
          "embedding_params", lambda num, dim: num * dim,
          lambda num, dim: _cl("embedding_params")(num, dim), m.embedding_params,
          lambda rng: dict(num=_n(rng, 1, 100), dim=_n(rng, 1, 32))),
    Entry("Conv2d MACs (output size, not input size)", "macs", "07",
          r"C_{out} H_{out} W_{out} \dfrac{C_{in}}{g} k_H k_W", "conv2d_macs",
          lambda c_in, c_out, g, k_h, k_w, h_out, w_out: c_out * h_out * w_out * (c_in // g) * k_h * k_w,
          lambda c_in, c_out, g, k_h, k_w, h_out, w_out: _cl("conv2d_macs")(
              c_in, c_out, (k_h, k_w), (h_out, w_out), groups=g),
          m.conv_macs, _macs_cfg),
    Entry("ConvTranspose2d MACs (input size)", "macs", "07",
          r"k_H k_W C_{in} \dfrac{C_{out}}{g} H_{in} W_{in}", "conv_transpose2d_macs",
          lambda c_in, c_out, g, k_h, k_w, h_in, w_in: k_h * k_w * c_in * (c_out // g) * h_in * w_in,
          lambda c_in, c_out, g, k_h, k_w, h_in, w_in: _cl("conv_transpose2d_macs")(
              c_in, c_out, (k_h, k_w), (h_in, w_in), groups=g),
          m.transposed_macs, _transposed_macs_cfg),
    Entry("depthwise-separable over standard, MACs", "macs", "05",
          r"\dfrac{1}{C_{out}} + \dfrac{1}{k^2}", "separable_macs_ratio",
          lambda c_in, c_out, k, size: float(Fraction(1, c_out) + Fraction(1, k * k)),
          lambda c_in, c_out, k, size: _cl("separable_macs_ratio")(c_out, k),
          m.separable_ratio,
          lambda rng: dict(c_in=_n(rng, 1, 8), c_out=_n(rng, 1, 16), k=int(rng.choice([1, 3, 5])),
                           size=_n(rng, 3, 8))),
    Entry("ResNeXt bottleneck, stride 1 (g = 1: ResNet)", "macs", "05",
          r"HW\left(2Cm + \dfrac{9m^2}{g}\right)", "bottleneck_macs",
          lambda c, m_, g, h, w: h * w * (2 * c * m_ + 9 * m_ * m_ // g),
          lambda c, m_, g, h, w: _cl("bottleneck_macs")("resnext", c, m_, g, size=(h, w)),
          lambda c, m_, g, h, w: m.bottleneck_macs("resnext", c, m_, g, h, w),
          lambda rng: _bottleneck_cfg(rng, "resnext")),
    Entry("ShuffleNet unit, stride 1", "macs", "05",
          r"HW\left(\dfrac{2Cm}{g} + 9m\right)", "bottleneck_macs",
          lambda c, m_, g, h, w: h * w * (2 * c * m_ // g + 9 * m_),
          lambda c, m_, g, h, w: _cl("bottleneck_macs")("shufflenet", c, m_, g, size=(h, w)),
          lambda c, m_, g, h, w: m.bottleneck_macs("shufflenet", c, m_, g, h, w),
          lambda rng: _bottleneck_cfg(rng, "shufflenet")),
)

#: Topic -> the heading of its part of the sheet.
TOPICS = {"sizes": "Output sizes", "pooling": "Pooling and TensorFlow padding", "transposed": "Transposed convolution",
          "fields": "Receptive fields", "params": "Parameters", "macs": "Operations (MACs)"}


def evaluate(entry: Entry, config: dict) -> tuple[Any, Any, Any]:
    """(the sheet's formula, convlib, torch) on one configuration."""
    return entry.formula(**config), entry.library(**config), entry.measure(**config)


def configurations(entry: Entry, n: int, seed: int = 0) -> list[dict]:
    """`n` random valid configurations of `entry` (deterministic given `seed`)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"`n` must be a positive int, got {n!r}")
    rng = np.random.default_rng(seed)
    return [entry.draw(rng) for _ in range(n)]


def sheet_html(topics: Iterable[str]) -> str:
    """The rows of `topics` as an HTML table: number (through the whole sheet), the rule
    with its convlib function, the formula (one line per ``,\\quad``-separated part), the
    chapter. The formulas are ``\\( ... \\)`` math in a ``mathjax_process`` element, so
    MathJax typesets them in JupyterLab, on the site (which typesets only such elements in
    outputs) and in the decks."""
    topics = list(topics)
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise ValueError(f"`topics` must be among {sorted(TOPICS)}, got {unknown}")
    rows = [(str(n), f"{html.escape(e.name)}<br><code>{e.convlib}</code>",
             "<br>".join(rf"\({html.escape(part)}\)" for part in e.latex.split(r",\quad ")),
             e.chapter) for n, e in enumerate(SHEET, 1) if e.topic in topics]
    return html_table(("#", "rule, convlib function", "formula", "ch."), rows, raw=(1, 2))


def html_table(head: Sequence[str], rows: Iterable[Sequence[str]], raw: Sequence[int] = ()) -> str:
    """A left-aligned HTML table in a ``mathjax_process`` div; cells are escaped except the
    columns in `raw` (already HTML)."""
    def cell(tag: str, j: int, v: str) -> str:
        return (f'<{tag} style="text-align: left; vertical-align: middle">'
                f"{v if j in raw else html.escape(v)}</{tag}>")
    th = "".join(cell("th", -1, h) for h in head)
    body = "".join("<tr>" + "".join(cell("td", j, v) for j, v in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="mathjax_process"><table><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
