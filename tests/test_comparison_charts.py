"""A comparison's loss chart draws and names every run, at the first step and after ten: the
learning-rate lesson is about run 1 ("too small"), which a log axis stretched by run 3's
explosion used to hide under run 2 (and leave out of the legend); momentum's lost SGD."""

from __future__ import annotations

import pytest

from dltui.engine import symbols
from dltui.tui import palette
from dltui.tui.charts import LossChart
from dltui.tui.plotting import legend_drawn
from marks import slow_beyond
from tui_helpers import make_app, wait_ready


def numbers(legend) -> list[str]:
    return [entry.label.split()[0] for entry in legend]


@pytest.mark.asyncio
@pytest.mark.parametrize("scenario", slow_beyond(["learning_rate", "momentum"], ["learning_rate"]))
async def test_every_run_is_drawn_and_named_at_step_0_and_step_10(scenario):
    app = make_app(scenario, lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        chart = app.main.query_one(LossChart)
        # step 0: the runs start from one model, so one point: the first run's on top, the others say so
        assert numbers(chart.legend) == ["1", "2", "3"]
        assert legend_drawn(chart.drawn, chart.legend[0]) and chart.covered == chart.legend[1:]
        assert chart.caption().plain.count("(가려짐)") == 2

        await pilot.press(*["space"] * 10)
        await pilot.pause()
        assert app.snapshot.step == 10
        legend, caption = chart.legend, chart.caption().plain
        assert numbers(legend) == ["1", "2", "3"]
        assert all(legend_drawn(chart.drawn, entry) for entry in legend), caption
        assert chart.covered == [] and "(가려짐)" not in caption
        assert [entry.colour for entry in legend] == [palette.run_colour(i) for i in range(3)]
        assert len({entry.glyph for entry in legend}) == 3          # told apart by shape, not colour alone
        if scenario == "learning_rate":
            # run 3 (0.01) is past 1e26: the axis keeps runs 1 and 2's range, run 3 is marked where it left
            assert not chart.log_y and chart.y_top <= 1.0
            assert legend[2].glyph == symbols.UP and "3: ▴ 위로 벗어남" in caption
