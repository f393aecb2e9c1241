"""Chapter 01's step-through explorer (convlib/web/explorers/conv_step.js) against
`convlib.convolution.stepping.conv_step`, in Chromium: the output map filled so far, the
step's cell, window, products, sum, bias and activation, the equation and size lines of
the text, and the invalid message (a kernel taller than the padded input)."""
from __future__ import annotations

import random

import numpy as np

import convlib as cl
from convlib.convolution.stepping import conv_step
from convlib.sizes.shapes import conv_output_size
from convlib.sizes.windows import axis_layout, formula_text

from ..explorer_pages import (COMPUTE, N_DIRECT, check_explorer, python_error, served_page,
                              static_twin)

RNG = np.random.default_rng(1)
X = RNG.integers(-2, 4, (4, 5)).astype(float)   # 4 rows: a 5-row kernel needs padding ≥ 1
W = RNG.integers(-1, 2, (5, 3)).astype(float)


def view(step, stride, padding, bias, activation):
    """The explorer's arithmetic in convlib: the step clamped to the output grid."""
    o_h, o_w = conv_output_size(X.shape, W.shape, stride, padding)
    return conv_step(X, W, bias, stride=stride, padding=padding, step=min(step, o_h * o_w - 1),
                     activation=activation)


def expected(v: dict):
    st, error = python_error(view, {k: v[k] for k in ("step", "stride", "padding", "bias",
                                                       "activation")})
    if error:
        return None, error
    (h, w), (kh, kw) = st.input_shape, st.kernel.shape[1:]
    sizes = [formula_text(axis_layout(h, kh, st.stride, st.padding), "H")]
    if (w, kw) != (h, kh):
        sizes.append(formula_text(axis_layout(w, kw, st.stride, st.padding), "W"))
    so_far = [[None if np.isnan(y) else float(y) for y in row] for row in st.output_so_far]
    return {"output_shape": list(st.output.shape), "n_steps": st.n_steps, "step": st.step,
            "cell": list(st.cell), "origin": list(st.origin), "window": st.window[0].tolist(),
            "products": st.products[0].tolist(), "total": st.total,
            "pre_activation": st.pre_activation, "value": st.value, "output_so_far": so_far,
            "equation": st.equation().split("\n"), "sizes": sizes}, None


def config(rng):
    return [("stride", rng.randint(1, 3)), ("padding", rng.randint(0, 2)),
            ("bias", rng.randint(-5, 5)), ("activation", rng.choice(["relu", "none"])),
            ("step", rng.randint(0, 30))]


def test_the_explorer_agrees_with_convlib(page, tmp_path):
    """150 configurations through the controls (check_explorer), then N_DIRECT through
    ``compute`` here: `check_explorer`'s direct configurations carry control values only,
    and this explorer's ``compute`` also reads its fixed data (x, weight)."""
    ex = cl.widgets.conv_step_explorer(X, W, bias=-2, padding=1)
    check_explorer(page, tmp_path, ex, config, expected, n_direct=0)
    rng = random.Random("explorers-conv_step-direct")
    data = {"x": ex.x, "weight": ex.weight, "max_stride": 3, "max_padding": 2}
    direct = [{**dict(config(rng)), **data} for _ in range(N_DIRECT)]
    with served_page(tmp_path, static_twin(ex)) as url:
        page.goto(url)
        page.wait_for_selector('[data-explorer="conv_step"]')
        computed = page.evaluate(COMPUTE, ["conv_step", direct])
    assert not page.log.errors and not page.log.external
    for values, got in zip(direct, computed):
        state, error = expected(values)
        assert (got["state"], got["error"]) == (state, error), values
    assert 0 < sum(bool(expected(v)[1]) for v in direct) < N_DIRECT


def test_the_step_and_torch_agree():
    """The convlib side of the comparison is torch's convolution, window by window."""
    import torch
    import torch.nn.functional as F
    xt, wt = torch.from_numpy(X)[None, None], torch.from_numpy(W)[None, None]
    for stride in (1, 2, 3):
        for padding in (1, 2):
            st = view(99, stride, padding, -2, "relu")
            out = F.relu(F.conv2d(xt, wt, torch.tensor([-2.0], dtype=torch.float64),
                                  stride=stride, padding=padding))[0, 0].numpy()
            np.testing.assert_array_equal(st.output, out)
