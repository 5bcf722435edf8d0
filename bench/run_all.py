"""Run every benchmark and print one Markdown table, with the machine it ran on.

Usage (from the project root): .venv/bin/python -m bench.run_all [--quick]
--quick: fewer repeats (2 process runs, 50 keys) for a smoke run.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time

from . import first_frame, key_to_screen, memory, play_throughput, run_vs_torch
from ._util import PYTHON, Row


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = subprocess.run(
        [PYTHON, "-c", "import platform, torch, textual; "
                       "print(platform.python_version(), torch.__version__, textual.__version__)"],
        capture_output=True, text=True).stdout.split()
    py, torch, textual = (versions + ["?", "?", "?"])[:3]
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}; "
            f"Python {py}, torch {torch}, textual {textual}; {platform.system()} {platform.release()}; "
            f"load average at start {load}")


def table(rows: list[Row]) -> str:
    lines = ["| benchmark | measured | floor/baseline | ratio | target |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        cells = (r.benchmark, r.measured, r.floor, r.ratio, r.target)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    quick = "--quick" in sys.argv
    header = f"{datetime.date.today().isoformat()} — {machine()}"
    print(header, flush=True)
    started = time.perf_counter()
    steps = [
        ("run_vs_torch", lambda: run_vs_torch.measure(2 if quick else 5)),
        ("first_frame", lambda: first_frame.measure(2 if quick else 5)),
        ("key_to_screen", lambda: key_to_screen.measure(50 if quick else 200)),
        ("play_throughput", play_throughput.measure),
        ("memory", memory.measure),
    ]
    rows: list[Row] = []
    for name, run in steps:
        t = time.perf_counter()
        try:
            got = run()
        except Exception as exc:  # a broken benchmark is reported, the others still run
            message = f"{type(exc).__name__}: {exc}"
            got = [Row(name, f"FAILED: {message[:300]}", "", "", "")]
        rows += got
        print(f"  {name}: done in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(flush=True)
    print(table(rows))
    print()
    print(f"(all benchmarks: {time.perf_counter() - started:.0f} s; load average at end {load}; "
          f"medians, floors measured in the same run)", flush=True)


if __name__ == "__main__":
    main()
