"""Regenerate the README's screenshots (docs/screens/*.svg) from the real app, headless.

    .venv/bin/python docs/make_screenshots.py

Each picture is a scenario, training steps, key presses and a terminal size; nothing is drawn
by hand.
"""

from __future__ import annotations

from pathlib import Path

from dltui.engine import open_scenario
from dltui.tui.screenshot import save_screen

OUT = Path(__file__).parent / "screens"
SHOTS = [
    # name, scenario, steps, keys, size, language
    ("house_prices_start", "house_prices", 0, [], (120, 36), "en"),
    ("house_prices_forward_row", "house_prices", 0, ["full_stop", "full_stop"], (120, 36), "en"),
    ("house_prices_gradients", "house_prices", 0, ["full_stop"] * 5, (120, 36), "en"),
    ("house_prices_code", "house_prices", 0, ["full_stop"] * 4 + ["c"], (120, 36), "en"),
    ("house_prices_landscape", "house_prices", 20, ["v", "v"], (120, 36), "en"),
    ("house_prices_korean_80x24", "house_prices", 0, ["space"], (80, 24), "ko"),
    ("xor_boundary", "xor", 800, ["v", "v", "v"], (120, 36), "en"),
    ("xor_hidden_space", "xor", 800, ["v"] * 5, (120, 36), "en"),
    ("xor_autograd_graph", "xor", 0, ["full_stop"] * 6 + ["c", "c"], (120, 36), "en"),
    ("paint_mixing", "paint_mixing", 3, ["v"] * 5, (120, 36), "en"),
    ("iris_test_rows", "iris", 100, [], (120, 36), "en"),
]


def main() -> None:
    for name, scenario, steps, keys, size, lang in SHOTS:
        print(save_screen(open_scenario(scenario), steps, OUT / f"{name}.svg", lang, size, keys))


if __name__ == "__main__":
    main()
