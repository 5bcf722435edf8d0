"""Shared bits of the TUI tests: open the app on a scenario and wait until torch is ready."""

from __future__ import annotations

from pathlib import Path

from dltui.engine import open_scenario
from dltui.tui.app import DltuiApp
from dltui.tui.panels import ExplanationPanel, ParametersPanel, RowsTable, StatusLine


def make_app(name: str = "house_prices", lang: str = "en") -> DltuiApp:
    return DltuiApp(open_scenario(name), lang=lang)


async def wait_ready(pilot, timeout: float = 60.0) -> None:
    """Until the background worker has built the trainer and the screen shows it."""
    app = pilot.app
    waited = 0.0
    while app.trainer is None or app.snapshot is None:
        await pilot.pause(0.05)
        waited += 0.05
        if waited > timeout:
            raise TimeoutError("the trainer never became ready")
    await pilot.pause()


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    waited = 0.0
    while not condition():
        await pilot.pause(0.02)
        waited += 0.02
        if waited > timeout:
            raise TimeoutError("condition never held")


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

