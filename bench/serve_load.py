"""Load test of `dltui serve`: N loopback tabs speaking textual-serve's websocket protocol, as a
class uses it (issue 23: 30 tabs, each pressing a key every 2 s).

For each N (1, then 30 by default; the 1-tab run is the floor) a fresh server is started with its
default spares; N tabs open at once, each waits for its first frame and for the trainer (the loss
on screen), then every tab presses Space every PERIOD seconds (each tab at its own phase within
the period, as a class does not press in step) KEYS times, each press timed to the frame that shows
the new step. Reported per N: key → screen p50 / p95, first bytes and first full screen
(p50 / max), PSS of the whole server tree (server, warm parent, every session) and per session.

    .venv/bin/python -m bench.serve_load            # N = 1, 30
    .venv/bin/python -m bench.serve_load 6          # N = 6 only
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from serve_client import ServeProcess, Tab  # noqa: E402

KEYS = 10
PERIOD = 2.0           # seconds between one tab's key presses
SCENARIO = "house_prices"
READY = "5.8"          # house_prices' first loss: the trainer is built and drawn


def rollup_kib(pid: int, *fields: str) -> int:
    """Sum of the named fields of /proc/PID/smaps_rollup, in KiB."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.split(":")[0] in fields:
                    total += int(line.split()[1])
    except OSError:
        pass
    return total


def pss_kib(pid: int) -> int:
    return rollup_kib(pid, "Pss")


def uss_kib(pid: int) -> int:
    return rollup_kib(pid, "Private_Clean", "Private_Dirty")


def tree(pid: int) -> list[int]:
    """`pid` and every process under it."""
    return [pid] + [d for c in children(pid) for d in tree(c)]


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (load-independent, unlike wall time)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return os.getloadavg()[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def one_tab(base: str, results: dict) -> Tab:
    tab = await Tab.open(base, 120, 36)
    await tab.wait_for("step 0", 120)
    results["full"].append(time.perf_counter() - tab.opened)
    await tab.wait_for(READY, 120)
    return tab


async def press_keys(tab: Tab, results: dict, phase: float) -> None:
    """A key every PERIOD seconds, starting `phase` seconds in (a key that takes longer than the
    period delays the next one: a student waits for the screen)."""
    await asyncio.sleep(phase)
    for k in range(1, KEYS + 1):
        since = len(tab.raw)
        started = time.perf_counter()
        await tab.send("space")
        await tab.wait_for(f"step {k}", 60, since=since)
        results["keys"].append(time.perf_counter() - started)
        await asyncio.sleep(max(0.0, started + PERIOD - time.perf_counter()))


async def measure(n: int, server: ServeProcess) -> dict:
    results = {"full": [], "keys": []}
    tabs = await asyncio.gather(*(one_tab(server.url, results) for _ in range(n)))
    results["first"] = [t.first_frame for t in tabs]
    results["cpu"] = [cpu_seconds(s) for z in children(server.process.pid) for s in children(z)]
    phases = random.Random(n).sample(range(1000), n)
    await asyncio.gather(*(press_keys(t, results, PERIOD * p / 1000) for t, p in zip(tabs, phases)))
    results["tree_pss"] = sum(pss_kib(p) for p in tree(server.process.pid)) / 1024
    zygote = [c for c in children(server.process.pid)]
    sessions = [s for z in zygote for s in children(z)]
    results["session_pss"] = [pss_kib(s) / 1024 for s in sessions]
    results["session_uss"] = [uss_kib(s) / 1024 for s in sessions]
    results["parent_pss"] = sum(pss_kib(z) for z in zygote) / 1024
    results["server_pss"] = pss_kib(server.process.pid) / 1024
    for tab in tabs:
        await tab.close()
    return results


def run(n: int) -> dict:
    # room for the tabs and the 2 spares
    with ServeProcess(SCENARIO, "--lang", "en", "--max-sessions", str(n + 2)) as server:
        load = load_average()
        results = asyncio.run(measure(n, server))
        results["load"] = load
        return results


def row(n: int, r: dict) -> str:
    pss = r["session_pss"]
    return (f"| {n} | {percentile(r['keys'], 0.5) * 1000:.0f} / {percentile(r['keys'], 0.95) * 1000:.0f} ms | "
            f"{r['tree_pss']:.0f} MB | {statistics.mean(pss):.0f} MB | {statistics.mean(r['session_uss']):.0f} MB | "
            f"{r['parent_pss']:.0f} MB | "
            f"{statistics.median(r['first']) * 1000:.0f} / {max(r['first']) * 1000:.0f} ms | "
            f"{statistics.median(r['full']):.2f} / {max(r['full']):.2f} s | "
            f"{statistics.mean(r['cpu']):.2f} s | {r['load']:.1f} |")


def main(argv: list[str]) -> None:
    counts = [int(a) for a in argv] or [1, 30]
    print(f"each tab: Space every {PERIOD:.0f} s, {KEYS} times; the 1-tab row is the floor; "
          "targets at 30 tabs: key → screen p50 ≤ 150 ms, p95 ≤ 400 ms")
    print("| tabs | key → screen p50 / p95 | PSS, whole server tree | PSS per session | private per session | "
          "warm parent PSS | first bytes p50 / max | first full screen p50 / max | "
          "CPU per session to full screen | load before |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in counts:
        print(row(n, run(n)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
