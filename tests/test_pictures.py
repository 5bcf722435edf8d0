"""Pictures that read at a glance (issue 12): the lit forward row, chart frames in Korean,
legends that list only what is drawn."""

from __future__ import annotations

import pytest

from dltui.tui.panels import RowsTable
from tui_helpers import make_app, wait_ready


def _lit_rows(table: RowsTable) -> list[int]:
    """Data rows (1-based) whose rendered line carries the reverse attribute somewhere."""
    lit = []
    for index in range(table.row_count):
        strip = table.render_line(1 + index)   # line 0 is the header
        if any(seg.style is not None and seg.style.reverse for seg in strip):
            lit.append(index + 1)
    return lit


@pytest.mark.asyncio
async def test_the_forward_pass_lights_the_row_it_computes_and_only_it():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        table = app.main.query_one(RowsTable)
        assert _lit_rows(table) == []                   # no cursor bar parked on row 1
        await pilot.press("full_stop")
        await pilot.pause()
        assert _lit_rows(table) == [1]
        await pilot.press("full_stop")                  # style-only change: must still be written
        await pilot.pause()
        assert _lit_rows(table) == [2]
        await pilot.press("full_stop", "full_stop")     # row 3, then the loss: nothing lit
        await pilot.pause()
        assert _lit_rows(table) == []
