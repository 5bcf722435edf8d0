"""With minibatches the data table lights the row the forward pass is computing, not the row at
that position of the batch: checked against the batch order drawn by hand from (seed, epoch)."""

from __future__ import annotations

import numpy as np
import pytest

from dltui.engine import open_scenario, symbols
from dltui.engine.load.overrides import with_overrides
from dltui.tui.app import DltuiApp
from dltui.tui.panels import RowsTable
from tui_helpers import table_rows, wait_ready

BATCH = 2


def hand_batch(seed: int, rows: int, step: int) -> list[int]:
    """The rows of step `step`'s update: epoch e's order is a permutation drawn from [seed, e]."""
    per_epoch = -(-rows // BATCH)
    epoch, index = divmod(step, per_epoch)
    order = np.random.default_rng([seed, epoch]).permutation(rows)
    return order[index * BATCH:(index + 1) * BATCH].tolist()


def lit_rows(app) -> list[int]:
    return [i for i, cells in enumerate(table_rows(app)) if cells[0].startswith(symbols.POINTER)]


@pytest.mark.asyncio
async def test_the_table_lights_the_row_being_computed_in_a_minibatch():
    scenario = with_overrides(open_scenario("xor"), {"train.batch_size": BATCH})
    seed, rows = scenario.train.seed, scenario.data.n_train
    app = DltuiApp(scenario, lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        seen = []
        for _ in range(4 * 5):        # four steps (two epochs), five phases each
            await pilot.press("full_stop")
            await pilot.pause()
            snap = app.snapshot
            if snap.phase.name != "FORWARD":
                assert lit_rows(app) == [], snap.phase          # no row is being computed
                continue
            batch = hand_batch(seed, rows, snap.step)
            assert lit_rows(app) == [batch[snap.row]], (snap.step, snap.row, batch)
            table = app.main.query_one(RowsTable)      # the lit row is in view (below the header)
            assert table.scroll_y <= batch[snap.row] < table.scroll_y + table.scrollable_content_region.height - 1
            seen.append((snap.step, snap.row, batch[snap.row]))
    assert len(seen) == 8
    assert any(lit != position for _, position, lit in seen)     # the batch is not the table's order
