"""In quiz mode the charts keep the answer too: while the table shows `?` for a row's prediction
(or the status line for the loss), the target/predict chart has no prediction for that row and the
loss chart no point for that loss."""

from __future__ import annotations

import pytest

from dltui.engine import symbols
from dltui.tui.charts import LossChart, PredictionChart
from tui_helpers import make_app, status_text, table_rows, wait_ready


def predictions_drawn(app) -> int:
    return app.main.query_one(PredictionChart).drawn.plain.count(symbols.PREDICT)


def loss_drawn(app) -> bool:
    """Step 0's one loss point (a single point is drawn as a marker, not braille)."""
    return symbols.TARGET in app.main.query_one(LossChart).drawn.plain


@pytest.mark.asyncio
async def test_charts_hide_what_the_table_hides_until_it_is_answered():
    app = make_app("house_prices", lang="en")
    app._quiz_at_start = True
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert [row[2] for row in table_rows(app)] == ["?", "?", "?"]
        assert predictions_drawn(app) == 0                    # 5.8, 6.7 and 7.3 are the questions
        assert "loss (mae) ?" in status_text(app) and not loss_drawn(app)
        await pilot.press("full_stop")                        # row 1: predict = ?
        await pilot.pause()
        assert predictions_drawn(app) == 0
        await pilot.press(*"5.8", "enter")
        await pilot.pause()
        assert [row[2] for row in table_rows(app)] == ["5.8", "?", "?"]
        assert predictions_drawn(app) == 1
        await pilot.press("k")                                # quiz off: every number is back
        await pilot.pause()
        assert predictions_drawn(app) == 3 and loss_drawn(app)
