"""A key repaints what changed and nothing else (issue 23): no layout pass for a step whose
numbers change but not their sizes, a table row rendered again only when its cells changed and
it is in view; and what the table and the parameters show after real keys, against hand numbers."""

from __future__ import annotations

import numpy as np
import pytest
from textual.screen import Screen

from dltui.tui.line_table import LineTable
from dltui.tui.panels import RowsTable
from tui_helpers import make_app, parameters_text, table_rows, wait_ready

HOUSES = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]])
TARGETS = np.array([6.0, 7.0, 8.5])


def house_after(steps: int) -> tuple[np.ndarray, float, np.ndarray]:
    """The lecture's house table (w = 0.1, 0.3, 4; b = 0.5), MAE, plain SGD at 1e-4, by hand."""
    w, b = np.array([0.1, 0.3, 4.0]), 0.5
    for _ in range(steps):
        sign = np.sign(HOUSES @ w + b - TARGETS)       # d|p - y| / dp
        w, b = w - 1e-4 * (sign @ HOUSES) / 3, b - 1e-4 * sign.mean()
    return w, b, HOUSES @ w + b


@pytest.fixture
def counted(monkeypatch):
    """Layout passes of any screen and table rows rendered, while the test runs."""
    counts = {"layouts": 0, "rows": []}
    layout, line = Screen._refresh_layout, LineTable._line

    def counting_layout(self, *args, **kwargs):
        counts["layouts"] += 1
        return layout(self, *args, **kwargs)

    def counting_line(self, cells, style):
        counts["rows"].append(cells[0].plain)
        return line(self, cells, style)

    monkeypatch.setattr(Screen, "_refresh_layout", counting_layout)
    monkeypatch.setattr(LineTable, "_line", counting_line)
    return counts


async def test_steps_on_house_prices_show_the_hand_numbers_without_a_layout_pass(counted):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", "space")   # the columns take the width of 4 decimals
        await pilot.pause()
        counted["layouts"] = 0
        for step in (3, 4, 5):
            await pilot.press("space")
            await pilot.pause()
            w, b, predictions = house_after(step)
            rows = table_rows(app)
            assert [float(r[2]) for r in rows] == pytest.approx(predictions, abs=6e-5)
            assert [float(r[3]) for r in rows] == pytest.approx(abs(TARGETS - predictions), abs=6e-5)
            shown = parameters_text(app)
            for value in (*w, b):
                assert f"{value:.6f}".rstrip("0") in shown
        assert counted["layouts"] == 0


async def test_a_forward_phase_renders_only_the_rows_whose_cells_changed(counted):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", "full_stop")   # step 1, then forward row 1 (the lit numbers go out)
        await pilot.pause()
        counted["rows"].clear()
        await pilot.press("full_stop")            # row 2 lit, row 1 computed (bold): row 3 untouched
        await pilot.pause()
        assert sorted(counted["rows"]) == ["1", "▸2"]
        counted["rows"].clear()
        await pilot.press("full_stop")            # row 3 lit, row 2 computed: row 1 as it was
        await pilot.pause()
        assert sorted(counted["rows"]) == ["2", "▸3"]
        assert [r[2] for r in table_rows(app)] == [f"{p:.4f}" for p in house_after(1)[2]]


async def test_a_step_on_a_long_table_renders_only_the_rows_in_view(counted):
    """abalone: 3,341 rows, the first 100 and 30 test rows listed; a step changes every
    prediction, and only the lines on screen are drawn."""
    app = make_app("abalone")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        table = app.main.query_one(RowsTable)
        await pilot.press("space")
        await pilot.pause()
        counted["rows"].clear()
        await pilot.press("space")
        await pilot.pause()
        assert table.row_count == 131 and table_rows(app)[100][0].startswith("⋯")
        in_view = table.scrollable_content_region.height - 1
        assert 0 < len(counted["rows"]) <= in_view + 1   # (+1: the header, on a new column width)
        assert counted["rows"][0] in ("1", "#")


async def test_a_phase_that_leaves_the_predictions_alone_does_not_redraw_the_prediction_chart(monkeypatch):
    from dltui.tui.charts import PredictionChart

    drawn = []
    begin = PredictionChart.begin
    monkeypatch.setattr(PredictionChart, "begin", lambda self, *a: (drawn.append(1), begin(self, *a))[1])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["full_stop"] * 4)      # the forward pass, row by row, then the loss
        await pilot.pause()
        drawn.clear()
        await pilot.press("full_stop")              # the gradients: the same predictions
        await pilot.pause()
        assert drawn == []
        await pilot.press("full_stop")              # the update: the new weights' predictions
        await pilot.pause()
        assert drawn == [1]


async def test_a_chart_draws_its_body_once_until_its_data_changes(monkeypatch):
    from dltui.tui.charts import LossChart
    from dltui.tui.plotting import Chart

    bodies = []
    body = Chart._body
    monkeypatch.setattr(Chart, "_body", lambda self, *a: (bodies.append(type(self).__name__), body(self, *a))[1])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        chart = app.main.query_one(LossChart)
        first = chart.render_line(3)
        bodies.clear()
        assert chart.render_line(3) is first and bodies == []      # asked again: the same drawing
        await pilot.press("space")                                 # a new loss point
        await pilot.pause()
        assert "LossChart" in bodies and chart.render_line(3) is not first
