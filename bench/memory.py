"""Memory of a long run: 100,000 steps with full history, in a fresh subprocess per scenario.

Reported: peak RSS (VmHWM: this process's own; ru_maxrss would carry the parent's peak across
exec) minus the RSS right after the trainer was built, the absolute
peak, and the bytes the History itself holds (loss / test loss / learning-rate arrays plus
saved states).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from ._util import PYTHON, ROOT, Row, print_rows

STEPS = 100_000
BUDGET_MB = 100


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, from /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(name: str) -> dict:
    from dltui.engine import open_scenario
    from dltui.engine.train.trainer import Trainer

    trainer = Trainer(open_scenario(name))
    base = _status_mb("VmRSS")
    started = time.perf_counter()
    done = trainer.run(STEPS)
    elapsed = time.perf_counter() - started
    peak = _status_mb("VmHWM")
    history = trainer.history
    arrays = sum(a.itemsize * len(a) for a in (history.losses, history.test_losses, history.learning_rates))
    return {"scenario": name, "steps": done, "base_mb": base, "peak_mb": peak,
            "history_mb": (arrays + history._bytes) / 2**20, "states": len(history._steps),
            "seconds": elapsed}


def start_child(name: str) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "-m", "bench.memory", "--child", name], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)


def finish_child(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    if process.returncode:
        raise RuntimeError(f"memory child failed with status {process.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def measure() -> list[Row]:
    """Both scenarios at once (RSS is per process; this halves the wall time on 2 cores)."""
    rows = []
    children = [start_child(name) for name in ("house_prices", "xor")]
    for process in children:
        r = finish_child(process)
        delta = r["peak_mb"] - r["base_mb"]
        ok = delta <= BUDGET_MB
        rows.append(Row(f"memory: {r['steps']:,} steps of {r['scenario']}, full history",
                        f"+{delta:.1f} MB peak RSS (History holds {r['history_mb']:.1f} MB, "
                        f"{r['states']:,} saved states)",
                        f"{r['base_mb']:.0f} MB RSS after building the trainer",
                        f"{delta / BUDGET_MB:.2f}× budget",
                        f"≤ {BUDGET_MB} MB {'✓' if ok else '✗ over'}"))
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
    else:
        print_rows(measure())
