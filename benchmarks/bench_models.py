"""Time convlib's model tools on the zoo: `summary` on ResNet-50 at 224 (target: under
3 s) and `compare_counters` on ResNet-18.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_models.py [--threads N] [--repeat R]``.

Prints the first call in the process (it pays for lazy imports: the dispatch
machinery, the counting tools) and the median of R further calls. By default
torch keeps its thread count; on a loaded machine ``--threads 1`` is often
faster (OpenMP threads wait for busy cores).
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(first call, median of `repeat` further calls), in seconds."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return first, statistics.median(runs) if runs else first


def bench_summary(repeat: int = 3) -> tuple[float, float]:
    """`convlib.summary(resnet50(), (3, 224, 224))`: per-layer table, memory, op tallies."""
    import convlib as cl

    model = cl.zoo.resnet50()
    return timed(lambda: cl.summary(model, (3, 224, 224)), repeat)


def bench_compare_counters(repeat: int = 3, size: int = 224) -> tuple[float, float]:
    """`convlib.compare_counters(resnet18(), (3, size, size))`: five tools plus convlib."""
    import convlib as cl

    model = cl.zoo.resnet18()
    return timed(lambda: cl.compare_counters(model, (3, size, size)), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls after the first")
    args = parser.parse_args()
    import torch

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    first, median = bench_summary(args.repeat)
    print(f"summary(resnet50, 3x224x224):           first {first:6.2f} s   "
          f"median {median:6.2f} s   target < 3 s: {'ok' if median < 3 else 'SLOW'}")
    first, median = bench_compare_counters(args.repeat)
    print(f"compare_counters(resnet18, 3x224x224):  first {first:6.2f} s   median {median:6.2f} s")


if __name__ == "__main__":
    main()
