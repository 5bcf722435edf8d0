"""An SVG picture of the main screen at a given step, without a terminal (`dltui run --out`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..engine.scenario import Scenario


def save_screen(scenario: Scenario, steps: int, path: Path, lang: str | None = None,
                size: tuple[int, int] = (120, 36)) -> Path:
    return asyncio.run(_save(scenario, steps, path, lang, size))


async def _save(scenario: Scenario, steps: int, path: Path, lang: str | None,
                size: tuple[int, int]) -> Path:
    from .app import DltuiApp

    app = DltuiApp(scenario, lang=lang)
    async with app.run_test(size=size) as pilot:
        while app.trainer is None or app.snapshot is None:
            await pilot.pause(0.05)
        with app.lock:
            app.trainer.run(steps)
            snapshot = app.trainer.snapshot()
        app._apply(snapshot)
        await pilot.pause()
        app.save_screenshot(filename=path.name, path=str(path.parent))
    return path
