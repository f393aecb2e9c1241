"""New numbers for chapter 01's exercises (``cl.Exercise(generate=...)``).

A generator takes a ``numpy.random.Generator`` and returns the arguments of one
`convlib.Exercise` (question, answer, explanation); it is deterministic given the
generator, as the page stores its first draws.
"""
from __future__ import annotations

import numpy as np

from .stepping import conv_step

__all__ = ["one_value_task"]


def _rows(a: np.ndarray) -> str:
    return " / ".join(" ".join(str(int(v)) for v in r) for r in a)


def one_value_task(rng: np.random.Generator, negative_share: float = 1 / 6) -> dict:
    """One output value of a 3x3 window: question, answer and the worked steps.

    y = max(b + sum_{i,j} x[i, j] w[i, j], 0)

    Window values 0..3, kernel -1..1, bias -3..3. A share ``negative_share`` of the
    draws has a negative pre-activation (answer 0: the ReLU step is what is tested);
    the others a positive one, so that 0 is rarely the answer and a guess of 0, or a
    forgotten bias, is caught. A pre-activation of exactly 0 is never drawn.

    >>> task = one_value_task(np.random.default_rng(0))
    >>> task["answer"] > 0, "ReLU" in task["explanation"]
    (True, True)
    """
    if not 0 <= negative_share <= 1:
        raise ValueError(f"`negative_share` must be in [0, 1], got {negative_share!r}")
    negative = bool(rng.random() < negative_share)
    while True:
        win, ker = rng.integers(0, 4, (3, 3)), rng.integers(-1, 2, (3, 3))
        bias = int(rng.integers(-3, 4))
        step = conv_step(win.astype(float), ker.astype(float), bias)
        if (step.pre_activation < 0) if negative else (step.pre_activation > 0):
            break
    return dict(question=f"Window rows {_rows(win)}; kernel rows {_rows(ker)}; bias {bias}. "
                         "The output value, ReLU included?",
                answer=int(step.value), explanation=step.equation().replace("\n", "; "))
