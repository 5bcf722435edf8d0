"""Whole-screen snapshots (pytest-textual-snapshot): the main screen at 120x36 and 80x24 for
house prices and XOR, mid-step, and the help screen. Update with `pytest --snapshot-update`
after a deliberate change, and look at the report before committing."""

from __future__ import annotations

import pytest
from marks import slow_beyond

from tui_helpers import make_app, wait_ready


async def _ready(pilot):
    await wait_ready(pilot)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize("scenario", ["house_prices", "xor"])
def test_main_screen(snap_compare, scenario, size):
    assert snap_compare(make_app(scenario), terminal_size=size, run_before=_ready)


def test_house_prices_after_a_step_and_two_phases(snap_compare):
    assert snap_compare(make_app(), press=["space", "full_stop", "full_stop"], terminal_size=(120, 36),
                        run_before=_ready)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(120, 36), run_before=_ready)


def test_korean_main_screen(snap_compare):
    assert snap_compare(make_app(lang="ko"), terminal_size=(120, 36), run_before=_ready)


VIEW_PRESSES = {
    "house_prices": {"landscape1d": 1, "landscape2d": 2, "activation": 3, "network": 4},
    # xor opens on its decision boundary, paint_mixing on its swatches ([display] view)
    "xor": {"landscape2d": 6, "boundary": 0, "activation": 1, "hidden": 2, "network": 3},
    "paint_mixing": {"paint": 0},
}


@pytest.mark.parametrize("scenario,view", slow_beyond([(s, v) for s, views in VIEW_PRESSES.items() for v in views],
                                                     fast=[("house_prices", "landscape2d"), ("xor", "boundary"),
                                                           ("paint_mixing", "paint")]))
def test_views(snap_compare, scenario, view):
    presses = ["space", "space", "space"] + ["v"] * VIEW_PRESSES[scenario][view]
    app = make_app(scenario)
    area = {}

    async def press_and_wait_for_the_picture(pilot):
        await wait_ready(pilot)
        await pilot.press(*presses)
        await pilot.pause()
        await app.workers.wait_for_complete()      # the picture worker (landscapes, grids, hidden)
        await pilot.pause()
        area["widget"] = app.main.query_one("#views")

    assert snap_compare(app, press=["_"], terminal_size=(120, 36), run_before=press_and_wait_for_the_picture)
    assert area["widget"].choice.view.name == view
