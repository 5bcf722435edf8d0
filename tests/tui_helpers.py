"""Shared bits of the TUI tests: open the app on a scenario and wait until torch is ready."""

from __future__ import annotations

import asyncio
from pathlib import Path

from dltui.engine import open_scenario
from dltui.tui.app import DltuiApp
from dltui.tui.panels import ExplanationPanel, ParametersPanel, RowsTable, StatusLine


def make_app(name: str = "house_prices", lang: str = "en") -> DltuiApp:
    return DltuiApp(open_scenario(name), lang=lang)


async def wait_ready(pilot, timeout: float = 60.0) -> None:
    """Until the background worker has built the trainer and the screen shows it.

    Waits on the app's workers (the trainer is built in one), then lets messages be processed."""
    app = pilot.app
    deadline = asyncio.get_running_loop().time() + timeout
    while app.session is None or app.snapshot is None:
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the trainer never became ready")
        await asyncio.wait_for(app.workers.wait_for_complete(), timeout)
        await pilot.pause()
    await pilot.pause()


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    """Until `condition()` holds, checked after each round of message processing (a poll with a
    deadline, for states reached by a running worker such as play)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition never held")
        await pilot.pause(0.01)


def text_of(widget) -> str:
    content = widget.content
    return content.plain if hasattr(content, "plain") else str(content)


def status_text(app) -> str:
    return text_of(app.main.query_one(StatusLine))


def explanation_text(app) -> str:
    return _render_plain(app, app.main.query_one(ExplanationPanel))


def parameters_text(app) -> str:
    return _render_plain(app, app.main.query_one(ParametersPanel))


def table_rows(app) -> list[list[str]]:
    table = app.main.query_one(RowsTable)
    return [[getattr(c, "plain", str(c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _render_plain(app, widget) -> str:
    """A widget's Rich content rendered to plain text at its width."""
    from rich.console import Console

    console = Console(width=400, color_system=None)  # no wrapping: assert on whole lines
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path

