"""An SVG picture of the main screen after some training and keys, without a terminal.

Used by `dltui run --out` and by docs/make_screenshots.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Sequence

from dltui.engine import intents as do
from dltui.engine.load.scenario import Scenario


def save_screen(scenario: Scenario, steps: int, path: Path, lang: str | None = None,
                size: tuple[int, int] = (120, 36), keys: Sequence[str] = ()) -> Path:
    """Run `steps` training steps directly, then press `keys`, then save the screen to `path`."""
    return asyncio.run(_save(scenario, steps, path, lang, size, keys))


async def _save(scenario: Scenario, steps: int, path: Path, lang: str | None,
                size: tuple[int, int], keys: Sequence[str]) -> Path:
    from .app import DltuiApp

    app = DltuiApp(scenario, lang=lang)
    async with app.run_test(size=size) as pilot:
        while app.session is None or app.snapshot is None:
            await pilot.pause(0.05)
        if steps:
            await app.send(do.Play(steps, float("inf")))
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        path.parent.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(filename=path.name, path=str(path.parent))
    return path
