"""Frames without a screen: what the picture worker computes, within its work budget, frames
that coalesce, and frames that carry what the panes asked for."""

from __future__ import annotations

import pytest

from dltui.engine.frame import Needs, collect
from dltui.engine.pictures.registry import PictureRequest, compute_picture
from dltui.engine.views import VIEWS
from dltui.tui.frames import FrameReady


def test_one_dimensional_landscape_stays_within_the_work_budget():
    """abalone: 3,341 rows ⋅ 193 parameters. The full 1-D request (241 points + a 200-point path,
    each path point evaluated twice) is ~4⋅ the budget; it is shrunk, both parts together."""
    from dltui.engine import open_scenario
    from dltui.engine.pictures.landscape import GRID_WORK_BUDGET
    from dltui.engine.train.comparison import Single
    from dltui.engine.train.trainer import Trainer

    scenario = open_scenario("abalone")
    run = Single(scenario)
    run.run(5)
    frame = collect(run, Needs(path=True))
    snap = frame.snapshot
    per_point = snap.n_rows * sum(l.weight.size + (0 if l.bias is None else l.bias.size) for l in snap.layers)
    request = PictureRequest(("k",), VIEWS["landscape1d"], scenario, snap, frame.path, 241, 1)
    landscape = compute_picture(request)
    evaluations = len(landscape.xs) + 1 + 2 * len(landscape.path.xs)
    assert evaluations * per_point <= GRID_WORK_BUDGET * 1.05
    assert len(landscape.xs) >= 3 and len(landscape.xs) % 2 == 1       # the middle is the current value
    assert landscape.path.xs[0] == frame.path[0, 0] and landscape.path.xs[-1] == frame.path[-1, 0]
    small = compute_picture(PictureRequest(("k",), VIEWS["landscape1d"], open_scenario("house_prices"),
                                           Trainer(open_scenario("house_prices")).snapshot(), None, 241, 1))
    assert len(small.xs) == 241                                         # the lecture's data: untouched


def test_a_newer_frame_replaces_a_waiting_one_and_nothing_else():
    from dltui.engine import open_scenario
    from dltui.engine.intents import Show, Step
    from dltui.engine.session import Session
    from textual.message import Message

    session = Session(open_scenario("house_prices"))
    older = FrameReady(1, session.handle(Show()))
    newer = FrameReady(1, session.handle(Step()))
    assert older.can_replace(newer)
    assert not older.can_replace(Message())


def test_frames_carry_what_the_panes_asked_for():
    from dltui.engine import open_scenario
    from dltui.engine.train.comparison import Single

    run = Single(open_scenario("house_prices"))
    run.run(4)
    bare = collect(run, Needs())
    assert bare.loss is None and bare.path is None and bare.graph is None
    full = collect(run, Needs(loss_points=40, path=True, graph=True))
    steps, losses = full.loss
    assert list(steps) == [0, 1, 2, 3, 4]
    assert round(losses[0], 3) == 0.567 and losses[-1] == run.snapshot().loss
    assert full.path.shape == (5, 4)                      # five visited states of the 4 parameters
    assert full.graph is not None


@pytest.mark.slow
def test_the_first_screen_never_imports_torch():
    """The first frame shows the scenario before torch loads (a thread builds the trainer after).
    Once, choosing the scenario's opening view asked which views the model has ‒ importing the
    torch-backed picture modules on the UI thread and moving the first frame from ~0.5 s to ~3 s."""
    import subprocess
    import sys

    code = """
import asyncio, sys
from dltui.engine import open_scenario
from dltui.tui.app import DltuiApp
DltuiApp._build_session = lambda self, *args: None      # no session: only the first screen
async def main():
    for name in ("house_prices", "xor"):                # xor opens on its decision boundary
        app = DltuiApp(open_scenario(name), lang="en")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            print(name, app.main.query_one("#views").choice.view.name, "torch" in sys.modules)
asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["house_prices", "loss", "False", "xor", "boundary", "False"]
