"""Play mode throughput: steps a second with the screen live, and repaints a second.

Headless (Textual's run_test, 120×36): wait for the session, press `+` up to the top speed,
`p`, run 3 s, `p`. Repaints are counted by wrapping the app's `_show` (every frame that reaches
the screen goes through it); steps are the session's step after the pause (the play process
hands its run back) less the step before. Play steps in a process of its own, so beside the
wall-clock rate the row gives the play process's steps per CPU-second of its own (from
/proc/PID/stat while it runs): on a loaded machine the two processes share what the others
leave, and the per-CPU-second figure is the one to hold against the floor's.
Floor in the same run: the bare engine (`Trainer.run(50)` in a loop, no screen, this process),
per wall second and per CPU-second.
Also, for house_prices, the same in a real pty: steps from the last `step N` shown, repaints
from how many `step N` status lines were written.
"""

from __future__ import annotations

import asyncio
import os
import time

from ._util import DLTUI, median, PtyChild, Row, STEP_RE, has_step, last_step, print_rows

PLAY_SECONDS = 3.0


def engine_rate(name: str, windows: int = 5, seconds: float = 0.3) -> tuple[float, float]:
    """Median over a few short windows of `Trainer.run(50)` in a loop: (per wall second, per
    CPU-second of this process)."""
    from dltui.engine import open_scenario
    from dltui.engine.train.trainer import Trainer

    trainer = Trainer(open_scenario(name))
    trainer.run(200)
    wall, cpu = [], []
    for _ in range(windows):
        started, used = time.perf_counter(), time.process_time()
        done = 0
        while time.perf_counter() - started < seconds:
            done += trainer.run(50)
        wall.append(done / (time.perf_counter() - started))
        cpu.append(done / (time.process_time() - used))
    return median(wall), median(cpu)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _headless(name: str) -> tuple[float, float, int]:
    from dltui.engine import open_scenario
    from dltui.tui.app import PLAY_SPEEDS, DltuiApp

    app = DltuiApp(open_scenario(name), lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(1200):
            if app.session is not None and app.snapshot is not None:
                break
            await pilot.pause(0.05)
        else:
            raise TimeoutError("session never ready")
        while app.speed_index < len(PLAY_SPEEDS) - 1:
            await pilot.press("plus")
        frames = 0
        show = app._show

        def counting(frame, *shown):
            nonlocal frames
            frames += 1
            show(frame, *shown)

        app._show = counting
        steps0 = app.snapshot.step
        started = time.perf_counter()
        await pilot.press("p")
        while app.session.play_pid is None:
            await asyncio.sleep(0.01)
        pid = app.session.play_pid
        await asyncio.sleep(PLAY_SECONDS)
        cpu = cpu_seconds(pid)
        await pilot.press("p")
        elapsed = time.perf_counter() - started
        steps = app.snapshot.step - steps0
        app._show = show
        top = PLAY_SPEEDS[-1]
    return steps / elapsed, frames / elapsed, top, steps / cpu


def headless(name: str) -> tuple[float, float, int, float]:
    return asyncio.run(_headless(name))


def in_pty(name: str) -> tuple[float, float]:
    child = PtyChild([DLTUI, name, "--lang", "en"])
    try:
        child.wait_for(has_step(0), timeout=60)
        child.drain(0.3)
        for _ in range(20):  # more than enough presses to reach the top speed
            child.send(b"+")
        child.drain(0.3)
        child.clear()
        started = child.send(b"p")
        while time.perf_counter() - started < PLAY_SECONDS:
            child.read_some(0.05)
        buffer = bytes(child.buffer)
        elapsed = child.last_read_at - started
        child.send(b"p")
        child.drain(0.2)
    finally:
        child.kill()
    steps = last_step(buffer) or 0
    frames = len(STEP_RE.findall(buffer))   # frames shown: one more than the intervals between them
    return steps / elapsed, max(0, frames - 1) / elapsed


def measure() -> list[Row]:
    rows = []
    for name in ("house_prices", "xor"):
        base, base_cpu = engine_rate(name)
        rate, fps, top, per_cpu = headless(name)
        ok = rate >= 5000 and 25 <= fps <= 30
        rows.append(Row(f"play throughput, {name} (headless run_test 120×36, top speed {top:,}/s)",
                        f"{rate:,.0f} steps/s at {fps:.1f} repaints/s; play process {per_cpu:,.0f} steps/CPU-s",
                        f"bare engine {base:,.0f} steps/s, {base_cpu:,.0f} steps/CPU-s",
                        f"{rate / base:.2f}× engine (wall), {per_cpu / base_cpu:.2f}× (per CPU-s)",
                        f"≥ 5,000 steps/s at 25‒30 fps {'✓' if ok else '✗ under'}"))
    rate, fps = in_pty("house_prices")
    ok = rate >= 5000 and 25 <= fps <= 30
    rows.append(Row("play throughput, house_prices (real pty 120×36)",
                    f"{rate:,.0f} steps/s at ~{fps:.1f} repaints/s",
                    "(headless row above)", f"{rate / 5000:.2f}× target",
                    f"≥ 5,000 steps/s at 25‒30 fps {'✓' if ok else '✗ under'}"))
    return rows


if __name__ == "__main__":
    print_rows(measure())
