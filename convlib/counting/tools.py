"""Run the popular PyTorch counters on a model, quietly, and read their numbers.

Each ``run_<tool>(model, x, names)`` runs one tool on ``model(x)`` and returns a
`ToolCount`: the total as the tool reports it, its parameter count, and its
count for each leaf module (by the module's name in the model), read from the
tool's own per-layer result. ptflops gives no per-layer numbers back, so it is
run once more on each leaf module alone, on that module's recorded input.

The tools (imported lazily, so convlib does not need them to import):
torchinfo (``summary(...).total_mult_adds``), ptflops
(``get_model_complexity_info``, pytorch backend), thop (``profile``), fvcore
(``FlopCountAnalysis``) and ``torch.utils.flop_counter.FlopCounterMode``.
Their printing, warnings and log messages are silenced.
"""
from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

__all__ = ["ToolCount", "TOOLS", "quiet", "unit_factor"]


class ToolCount(NamedTuple):
    """One tool's numbers: total as reported, parameters, per-leaf counts (or None)."""

    total: float
    params: int | None
    per_leaf: dict[str, float] | None
    again: dict[str, float] | None = None   # per leaf: counted a second time (ptflops)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """No stdout, stderr, warnings or log records (below CRITICAL) inside."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous)


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def run_torchinfo(model: Any, x: Any, names: dict[int, str], leaves: dict[str, Any]) -> ToolCount:
    with quiet():
        import torchinfo
        result = torchinfo.summary(model, input_data=[x], verbose=0, device=x.device)
    per: dict[str, float] = defaultdict(float)
    for layer in result.summary_list:
        name = names.get(id(layer.module))
        if name in leaves:
            per[name] += layer.macs
    return ToolCount(result.total_mult_adds, result.total_params, dict(per))


def _ptflops(module: Any, x: Any, functional: bool = True) -> tuple[float | None, int | None]:
    with quiet():
        from ptflops import get_model_complexity_info
        macs, params = get_model_complexity_info(
            module, tuple(x.shape[1:]), as_strings=False, print_per_layer_stat=False,
            input_constructor=lambda _: x, backend="pytorch", ost=io.StringIO(),
            backend_specific_config={"count_functional": functional})
    return macs, params


def run_ptflops(model: Any, x: Any, names: dict[int, str], leaves: dict[str, Any],
                inputs: dict[str, list] | None = None) -> ToolCount:
    """Whole model once; per leaf by running the tool on the leaf alone.

    ``inputs`` maps a leaf's name to the input shape of each of its calls.
    Each leaf also runs with ptflops' patching of ``torch.nn.functional``
    switched off: what that removes was counted twice (the module's hook, then
    the ``F.relu`` / ``F.max_pool2d`` it calls), and is returned as ``again``.
    Leaves of the same kind on the same shape are run once.
    """
    import torch

    total, params = _ptflops(model, x)
    if total is None:
        raise RuntimeError("ptflops did not finish (it returned None)")
    per: dict[str, float] = {}
    again: dict[str, float] = {}
    cache: dict[tuple, tuple] = {}
    for name, m in leaves.items():
        shapes = (inputs or {}).get(name) or []
        counts = []
        for shape in shapes:
            key = (repr(m), shape)
            if key not in cache and shape is not None:
                x_leaf = torch.zeros(shape, dtype=x.dtype, device=x.device)
                try:
                    cache[key] = (_ptflops(m, x_leaf)[0], _ptflops(m, x_leaf, functional=False)[0])
                except Exception:   # a leaf that cannot run alone: difference unexplained
                    cache[key] = (None, None)
            counts.append(cache.get(key, (None, None)))
        if counts and all(c is not None and h is not None for c, h in counts):
            per[name] = sum(c for c, _ in counts)
            if any(c != h for c, h in counts):
                again[name] = sum(c - h for c, h in counts)
    return ToolCount(total, params, per, again)


def run_thop(model: Any, x: Any, names: dict[int, str], leaves: dict[str, Any]) -> ToolCount:
    """thop.profile; the ``total_ops`` / ``total_params`` buffers it adds are removed
    afterwards (thop 0.1.1 leaves them on modules it has no rule for, e.g. Flatten)."""
    before = {m: set(m._buffers) for m in model.modules()}
    try:
        with quiet():
            import thop
            total, params, tree = thop.profile(model, inputs=(x,), verbose=False,
                                               ret_layer_info=True)
    finally:
        for m, keys in before.items():
            for key in set(m._buffers) - keys:
                del m._buffers[key]
    per: dict[str, float] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, (ops, _, children) in node.items():
            name = f"{prefix}{key}"
            if name in leaves:
                per[name] = ops
            walk(children, name + ".")
    walk(tree, "")
    if "" in leaves:   # the model is a single layer
        per[""] = total
    return ToolCount(total, int(params), per)


def run_fvcore(model: Any, x: Any, names: dict[int, str], leaves: dict[str, Any]) -> ToolCount:
    with quiet():
        from fvcore.nn import FlopCountAnalysis, parameter_count
        analysis = FlopCountAnalysis(model, (x,))
        analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
        analysis.tracer_warnings("none")
        total, by_module = analysis.total(), analysis.by_module()
    per = {name: by_module.get(name, 0) for name in leaves}
    return ToolCount(total, parameter_count(model)[""], per)


def run_flop_counter_mode(model: Any, x: Any, names: dict[int, str],
                          leaves: dict[str, Any]) -> ToolCount:
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    with quiet(), torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    counts = counter.get_flop_counts()
    root = type(model).__name__
    per = {name: sum(counts.get(f"{root}.{name}" if name else root, {}).values())
           for name in leaves}
    return ToolCount(counter.get_total_flops(), None, per)


#: name -> (distribution for the version, runner)
TOOLS: dict[str, tuple[str | None, Callable[..., ToolCount]]] = {
    "torchinfo": ("torchinfo", run_torchinfo),
    "ptflops": ("ptflops", run_ptflops),
    "thop": ("thop", run_thop),
    "fvcore": ("fvcore", run_fvcore),
    "FlopCounterMode": ("torch", run_flop_counter_mode),
}


def tool_version(tool: str) -> str:
    dist = TOOLS[tool][0]
    return _version(dist) if dist else ""


def unit_factor(tool: str) -> float:
    """What the tool reports for 12 MACs: ``nn.Linear(4, 3, bias=False)`` on one sample.

    1.0 means the tool counts multiply-accumulates, 2.0 FLOPs (a multiply and an add).
    """
    import torch
    from torch import nn

    probe = nn.Linear(4, 3, bias=False)
    x = torch.zeros(1, 4)
    count = TOOLS[tool][1](probe, x, {id(probe): ""}, {"": probe}).total
    return count / 12
