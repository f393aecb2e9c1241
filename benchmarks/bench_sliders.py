"""Kernel-side time of one slider move in every explorer of the course.

    PYTHONPATH=$PWD python benchmarks/bench_sliders.py [--moves 200] [--seed 0] [--profile NAME]

Each explorer is built as its chapter builds it. Then, with a seeded random
generator, one control at a time gets a new random legal value (invalid
combinations included, as a learner would meet them), and the time from
setting the value to the end of the redraw (compute, update the artists,
encode the PNG) is recorded. Prints p50 / p95 / max per explorer, the share of
invalid states, and the worst explorer. ``--profile NAME`` runs cProfile over
the moves of one explorer and prints the top functions.
"""
from __future__ import annotations

import argparse
import random
import time

import numpy as np

import convlib as cl

#: Kernel-side p95 per slider move that every explorer must stay under, and the aim.
TARGET_MS, AIM_MS = 100, 50


def chapter_explorers() -> dict:
    """name -> builder, with the arguments of the chapters (tools/nbsrc/*.py)."""
    rng = np.random.default_rng(10)  # 01: the worked example
    x = rng.integers(0, 4, size=(5, 5)).astype(float)
    w = rng.integers(-1, 2, size=(3, 3)).astype(float)
    W = cl.widgets
    return {
        "01 conv step": lambda: W.conv_step_explorer(x, w, bias=-2),
        "02 feature map": lambda: W.feature_map_explorer(H=7, W=6, kH=3, kW=2, stride=2, padding=1),
        "03 transposed": lambda: W.transposed_explorer(input_size=3, kernel_size=3, stride=2,
                                                       padding=1, output_padding=1),
        "03 overlap": lambda: W.overlap_explorer(kernel_size=3, stride=2, input_size=4),
        "04 dilated": lambda: W.dilated_explorer(input_size=9, kernel_size=3, dilation=2,
                                                 stride=1, padding=1),
        "04 gridding": lambda: W.gridding_explorer(dilations=(2, 2, 2), kernel_size=3),
        "05 groups": lambda: W.groups_explorer(in_channels=12, out_channels=8, groups=4),
        "05 separable": lambda: W.separable_explorer(in_channels=32, out_channels=64,
                                                     kernel_size=3, output_size=56),
        "06 stack builder": lambda: W.receptive_field_explorer(),
    }


def legal_values(w) -> list:
    """Every value a control can take (options, a bool, or min..max)."""
    if hasattr(w, "options"):
        return [o[1] if isinstance(o, tuple) else o for o in w.options]
    if isinstance(w.value, bool):
        return [False, True]
    return list(range(w.min, w.max + 1))


def moves(ex, n: int, rng: random.Random) -> tuple[list[float], list[float], int]:
    """Time `n` single-control moves; return the wall times and the CPU times of this
    thread (s; the CPU time does not count waiting for a busy machine's cores) and how
    many moves ended in an invalid state."""
    times, cpu, invalid = [], [], 0
    names = [name for name, w in ex.controls.items() if not w.disabled]
    for _ in range(n):
        names = [name for name, w in ex.controls.items() if not w.disabled]
        w = ex.controls[rng.choice(names)]
        choices = [v for v in legal_values(w) if v != w.value]
        if not choices:
            continue
        value = rng.choice(choices)
        t0, c0 = time.perf_counter(), time.thread_time()
        w.value = value
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        invalid += ex.error is not None
    return times, cpu, invalid


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=None, help="substring of the explorers to run")
    parser.add_argument("--profile", default=None, help="profile this explorer (substring)")
    args = parser.parse_args()
    builders = chapter_explorers()
    if args.profile:
        import cProfile
        import pstats
        name = next(n for n in builders if args.profile in n)
        ex = builders[name]()
        prof = cProfile.Profile()
        prof.enable()
        moves(ex, args.moves, random.Random(args.seed))
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        return
    print(f"{'explorer':18s} {'moves':>5s} {'invalid':>7s} {'p50 ms':>7s} {'p95 ms':>7s} "
          f"{'max ms':>7s} {'cpu p50':>7s} {'cpu p95':>7s} {'PNG px':>9s}")
    worst = ("", 0.0)
    for name, build in builders.items():
        if args.only and args.only not in name:
            continue
        ex = build()
        for _ in range(3):  # warm-up: first draw, caches
            moves(ex, 1, random.Random(-1))
        times, cpu, invalid = moves(ex, args.moves, random.Random(args.seed))
        p50, p95 = 1000 * percentile(times, 50), 1000 * percentile(times, 95)
        size = "x".join(map(str, _png_size(ex.png)))
        print(f"{name:18s} {len(times):5d} {invalid:7d} {p50:7.1f} {p95:7.1f} "
              f"{1000 * max(times):7.1f} {1000 * percentile(cpu, 50):7.1f} "
              f"{1000 * percentile(cpu, 95):7.1f} {size:>9s}", flush=True)
        worst = max(worst, (name, p95), key=lambda t: t[1])
    print(f"worst p95: {worst[0]} {worst[1]:.1f} ms "
          f"({'under' if worst[1] < TARGET_MS else 'OVER'} the {TARGET_MS} ms target; aim {AIM_MS} ms)")


def _png_size(png: bytes) -> tuple[int, int]:
    if len(png) < 24:
        return (0, 0)
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


if __name__ == "__main__":
    main()
