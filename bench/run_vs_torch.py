"""`dltui run house_prices --steps 20000 --format csv` against a bare PyTorch loop writing the same
CSV (whole process, output to /dev/null).

Runs alternate (dltui, bare, dltui, bare, …) so that drift on a noisy machine hits both alike.
"""

from __future__ import annotations

import subprocess
import sys
import time

from ._util import BENCH, DLTUI, PYTHON, ROOT, Row, median, print_rows, secs

STEPS = 20_000


def _wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def measure(repeats: int = 5) -> list[Row]:
    dltui_argv = [DLTUI, "run", "house_prices", "--steps", str(STEPS), "--format", "csv"]
    bare_argv = [PYTHON, str(BENCH / "bare_loop.py"), str(STEPS), "csv"]
    ours, bare = [], []
    for _ in range(repeats):
        ours.append(_wall(dltui_argv))
        bare.append(_wall(bare_argv))
    a, b = median(ours), median(bare)
    ratio = a / b
    return [Row(f"dltui run vs bare torch loop ({STEPS:,} steps, csv, whole process)",
                f"{secs(a)} (min {secs(min(ours))})", f"{secs(b)} bare loop (min {secs(min(bare))})",
                f"{ratio:.2f}×", _verdict(ratio <= 1.15, "≤ 1.15×"))]


def _verdict(ok: bool, target: str) -> str:
    return f"{target} {'✓' if ok else '✗ over'}"


if __name__ == "__main__":
    print_rows(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
