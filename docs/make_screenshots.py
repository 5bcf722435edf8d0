"""Regenerate the README's screenshots (docs/screens/*.svg) from the real app, headless.

    .venv/bin/python docs/make_screenshots.py

Each picture is a scenario, a list of key presses and a terminal size; nothing is drawn by hand.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from dltui.engine import open_scenario
from dltui.tui.app import DltuiApp

OUT = Path(__file__).parent / "screens"
SHOTS = [
    # name, scenario, keys, size, language
    ("house_prices_start", "house_prices", [], (120, 36), "en"),
    ("house_prices_forward_row", "house_prices", ["full_stop", "full_stop"], (120, 36), "en"),
    ("house_prices_gradients", "house_prices", ["full_stop"] * 5, (120, 36), "en"),
    ("house_prices_code", "house_prices", ["full_stop"] * 4 + ["c"], (120, 36), "en"),
    ("house_prices_landscape", "house_prices", ["space"] * 20 + ["v", "v"], (120, 36), "en"),
    ("house_prices_korean_80x24", "house_prices", ["space"], (80, 24), "ko"),
    ("xor_boundary", "xor", ["space"] * 800 + ["v", "v", "v"], (120, 36), "en"),
    ("xor_hidden_space", "xor", ["space"] * 800 + ["v"] * 5, (120, 36), "en"),
    ("xor_autograd_graph", "xor", ["full_stop"] * 6 + ["c", "c"], (120, 36), "en"),
    ("paint_mixing", "paint_mixing", ["space"] * 3 + ["v"] * 5, (120, 36), "en"),
    ("iris_test_rows", "iris", ["space"] * 100, (120, 36), "en"),
]


async def shoot(name: str, scenario: str, keys: list[str], size: tuple[int, int], lang: str) -> Path:
    app = DltuiApp(open_scenario(scenario), lang=lang)
    async with app.run_test(size=size) as pilot:
        while app.trainer is None or app.snapshot is None:
            await pilot.pause(0.05)
        steps = sum(1 for k in keys if k == "space")
        if steps > 20:                      # many steps: run them directly, then the other keys
            with app.lock:
                app.trainer.run(steps)
            app._apply(app.trainer.snapshot())
            keys = [k for k in keys if k != "space"]
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
    return OUT / f"{name}.svg"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        print(asyncio.run(shoot(*shot)))


if __name__ == "__main__":
    main()
