"""Time a bare ``import convlib`` in fresh interpreters and list what it loads.

    PYTHONPATH=$PWD python benchmarks/bench_import.py

Prints the median and worst wall time over several fresh processes, and the
time to the first use of the pure functions, `draw` and `widgets`.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "import convlib": "import convlib as cl",
    "+ cl.conv_output_size": "import convlib as cl; cl.conv_output_size(5, 3)",
    "+ cl.conv2d (ops)": "import convlib as cl; cl.conv2d",
    "+ cl.draw": "import convlib as cl; cl.draw",
    "+ cl.widgets": "import convlib as cl; cl.widgets",
}


def timed(code: str) -> float:
    probe = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env=env).stdout
    return float(out.split()[-1])


def main(repeats: int = 7) -> None:
    for label, code in CASES.items():
        times = [timed(code) for _ in range(repeats)]
        print(f"{label:24s} median {1000 * statistics.median(times):7.1f} ms   "
              f"worst {1000 * max(times):7.1f} ms")


if __name__ == "__main__":
    main()
