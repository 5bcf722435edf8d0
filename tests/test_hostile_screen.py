"""Hostile names and files on the screen, through real keys: names that look like Rich markup
are shown as the text they are, and a pipe typed into `o` is refused at once (no frozen screen)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from textual.widgets import Input, Static

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tui_helpers import status_text, text_of, wait_ready, write  # noqa: E402

from dltui.engine import load_scenario  # noqa: E402
from dltui.tui.app import DltuiApp  # noqa: E402
from dltui.tui.panels import RowsTable  # noqa: E402

NAMES = ["size [/m2]", "[/]", "size [m2]"]


def marked_up(tmp_path: Path, name: str = "markup.toml", csv: str | None = None) -> Path:
    data = (f'csv = "{csv}"' if csv else
            "rows = [[32, 3, 0.3, 6.0], [33, 3, 0.5, 7.0], [36, 4, 0.5, 8.5]]")
    return write(tmp_path / name, f'''title = "houses [/] [bold]x[/bold]"
[data]
features = ["size [/m2]", "[/]", "size [m2]"]
target = "price [b]"
{data}
[[model.layers]]
units = 1
activation = "identity"
[train]
loss = "mse"
optimizer = "sgd"
learning_rate = 0.0001
''')


async def type_path(pilot, path: Path) -> None:
    """The open dialog's path box, focused, filled and submitted with enter."""
    box = pilot.app.screen.query_one("#open-path", Input)
    box.focus()
    box.value = str(path)
    await pilot.pause()
    await asyncio.wait_for(pilot.press("enter"), 10)   # a blocking read would never return
    await pilot.pause()


async def test_names_that_look_like_markup_are_shown_as_text(tmp_path):
    app = DltuiApp(load_scenario(marked_up(tmp_path)), lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        table = app.main.query_one(RowsTable)
        labels = [column.label.plain for column in table.columns.values()]
        assert labels[-3:] == NAMES
        assert "houses [/] [bold]x[/bold]" in status_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert app.is_running and app.snapshot.step == 1


async def test_open_shows_a_markup_named_error_and_a_markup_named_file(tmp_path):
    (tmp_path / "table.csv").write_text("a,b\n1,2\n", "utf-8")
    broken = marked_up(tmp_path, "broken.toml", csv="table.csv")   # its columns are not in the CSV
    good = marked_up(tmp_path, "good.toml")
    app = DltuiApp(load_scenario(good), lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("o")
        await pilot.pause()
        await type_path(pilot, broken)
        error = text_of(app.screen.query_one("#open-error", Static))
        assert "column 'size [/m2]' is not in table.csv" in error, error
        await type_path(pilot, good)
        await wait_ready(pilot)
        assert app.is_running and "houses [/]" in status_text(app)


async def test_a_fifo_typed_into_open_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    os.mkfifo(tmp_path / "pipe.csv")
    via_csv = marked_up(tmp_path, "via_csv.toml", csv="pipe.csv")
    app = DltuiApp(load_scenario(marked_up(tmp_path)), lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        for path in (tmp_path / "pipe.toml", via_csv):
            await pilot.press("o")
            await pilot.pause()
            await type_path(pilot, path)
            assert "not a regular file" in text_of(app.screen.query_one("#open-error", Static))
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
