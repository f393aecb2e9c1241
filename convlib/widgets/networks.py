"""U-Net explorer (in the browser): the input size (and valid or 'same' convs) drive every
level's size, every skip's crop, the output size and the cost; a strip shows which input
sizes of the slider work and which give every pool an even size."""
from __future__ import annotations

from ..networks.plans import UNetPlan, unet_input_sizes
from .browser import BrowserExplorer, browser_explorer

__all__ = ["unet_explorer", "unet_text", "SIZES"]

#: The input sizes of the explorer's slider.
SIZES = range(16, 701)


def unet_explorer(input_size: int = 572, padding: int = 0) -> BrowserExplorer:
    """A precise slider over the input size of the original U-Net (64 base channels, 1
    input channel, 2 classes; arrow keys step by 1) and a choice of valid (``padding=0``)
    or 'same' (``padding=1``) 3x3 convs, in the browser
    (``convlib/web/explorers/unet.js``; its arithmetic is
    `convlib.networks.plans.unet_plan`'s).

    The picture's title gives the output size and the cost; the U shows every level's
    sizes and every skip's crop (an odd pool input or an uneven crop in the error colour);
    a strip marks every size of the slider: too small, a pool input odd, or every pool
    even. The text lines are `unet_text`'s; too small an input shows a message.

    >>> ex = unet_explorer()
    >>> ex.input_size, ex.padding
    (572, 0)
    >>> ex.padding = 1
    >>> ex.values
    {'input_size': 572, 'padding': 1}
    """
    return browser_explorer("unet", input_size=input_size, padding=padding)


def unet_text(plan: UNetPlan) -> str:
    """The explorer's text lines: whether every 2x2 pool sees an even size (so every crop
    is centred) or which levels do not, and the nearest sizes of the slider that do.

    >>> from convlib.networks.plans import unet_plan
    >>> print(unet_text(unet_plan(570)))
    odd pool input at level 1, 2, 3: a floor drops a row, a crop is off centre
    nearest sizes with every pool even: 556 below, 572 above
    """
    if plan.even_pools:
        first = "every 2×2 pool sees an even size: every crop centred"
    else:
        odd = [lv for lv, (_, o) in enumerate(plan.down[:-1]) if o % 2]
        first = (f"odd pool input at level {', '.join(map(str, odd))}: a floor drops a row, "
                 "a crop is off centre")
    below, above = unet_nearest_even(plan.input_size, plan.padding)
    return (f"{first}\nnearest sizes with every pool even: "
            f"{'none' if below is None else below} below, "
            f"{'none' if above is None else above} above")


def unet_nearest_even(input_size: int, padding: int = 0) -> tuple[int | None, int | None]:
    """The sizes of the slider (`SIZES`) nearest below and above ``input_size`` whose every
    pool input is even (None where there is none).

    >>> unet_nearest_even(572), unet_nearest_even(20), unet_nearest_even(700, padding=1)
    ((556, 588), (None, 188), (688, None))
    """
    good = _even_sizes(padding)
    below = [i for i in good if i < input_size]
    above = [i for i in good if i > input_size]
    return (below[-1] if below else None), (above[0] if above else None)


_EVEN: dict[int, list[int]] = {}


def _even_sizes(padding: int) -> list[int]:
    if padding not in _EVEN:
        _EVEN[padding] = unet_input_sizes(SIZES, padding=padding)
    return _EVEN[padding]
