"""Time convlib's numpy operations against PyTorch on four float32 layers.

Run: ``.venv/bin/python benchmarks/bench_ops.py [--threads N] [--repeat R]``.

Each case prints the median of R runs for numpy (convlib) and torch, measured in
alternating blocks in one process, and the ratio numpy / torch (the course's
target is at most 2). By default both libraries keep their default thread counts
(numpy's BLAS, convlib's thread pool and torch all use every core); ``--threads
N`` sets all three to N: the BLAS variables, which convlib also reads, are set
before numpy is imported, and ``torch.set_num_threads(N)``. The machine's load
matters: run it on an idle machine, and compare both settings.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BLAS_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for both numpy's BLAS and torch (default: leave both)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per case")
    return parser.parse_args()


ARGS = parse_args()
if ARGS.threads is not None:  # must happen before numpy loads its BLAS
    for var in BLAS_VARS:
        os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import convlib as cl  # noqa: E402

if ARGS.threads is not None:
    torch.set_num_threads(ARGS.threads)

# name, input shape, weight shape, keyword arguments, transposed?
CASES = [
    ("conv 1x3x224x224, 64 3x3, p=1", (1, 3, 224, 224), (64, 3, 3, 3), dict(padding=1), False),
    ("conv 8x64x56x56, 64 3x3, p=1", (8, 64, 56, 56), (64, 64, 3, 3), dict(padding=1), False),
    ("depthwise 8x128x56x56, g=128, 3x3, p=1", (8, 128, 56, 56), (128, 1, 3, 3),
     dict(padding=1, groups=128), False),
    ("conv_transpose 8x64x28x28 -> 64, 3x3, s=2, p=1, op=1", (8, 64, 28, 28), (64, 64, 3, 3),
     dict(stride=2, padding=1, output_padding=1), True),
]


def blas_threads() -> str:
    """numpy's BLAS thread count, from the environment or its default (all cores)."""
    for var in BLAS_VARS:
        if os.environ.get(var):
            return f"{os.environ[var]} ({var})"
    return f"default (all {os.cpu_count()} cores)"


def time_pair(f_np, f_torch, repeat: int, rounds: int = 3) -> tuple[float, float]:
    """Median seconds of each over ``rounds`` alternating blocks of runs.

    Blocks, not single calls, alternate: after a call, the idle worker threads of
    OpenBLAS and of torch's OpenMP spin for a while, and would slow the other
    library's next call. Alternating blocks still lets both see the same load.
    """
    times: dict = {f_np: [], f_torch: []}
    per_round = max(1, repeat // rounds)
    for _ in range(rounds):
        for f, runs in times.items():
            f()  # warm-up: allocations, BLAS / oneDNN set-up, the other's spinning threads
            for _ in range(per_round):
                start = time.perf_counter()
                f()
                runs.append(time.perf_counter() - start)
    return float(np.median(times[f_np])), float(np.median(times[f_torch]))


def main() -> None:
    print(f"numpy {np.__version__}, torch {torch.__version__}, {os.cpu_count()} cores")
    print(f"numpy BLAS threads: {blas_threads()}; convlib threads: {cl.convolution.ops._THREADS}; "
          f"torch threads: {torch.get_num_threads()}; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"float32, median of {ARGS.repeat} runs\n")
    rng = np.random.default_rng(0)
    print(f"{'case':<52} {'numpy ms':>9} {'torch ms':>9} {'ratio':>6}")
    for name, x_shape, w_shape, kwargs, transposed in CASES:
        x = rng.standard_normal(x_shape, dtype=np.float32)
        w = rng.standard_normal(w_shape, dtype=np.float32)
        xt, wt = torch.from_numpy(x), torch.from_numpy(w)
        ours, theirs = ((cl.conv_transpose2d, F.conv_transpose2d) if transposed
                        else (cl.conv2d, F.conv2d))
        with torch.no_grad():
            expected = theirs(xt, wt, **kwargs).numpy()
            np.testing.assert_allclose(ours(x, w, **kwargs), expected, rtol=1e-4, atol=1e-3)
            t_np, t_torch = time_pair(lambda: ours(x, w, **kwargs),
                                      lambda: theirs(xt, wt, **kwargs), ARGS.repeat)
        print(f"{name:<52} {t_np * 1e3:9.2f} {t_torch * 1e3:9.2f} {t_np / t_torch:6.2f}")


if __name__ == "__main__":
    main()
