"""Korean monospace fonts draw East Asian Ambiguous-width symbols (× ∂ ● ▲ …) two cells wide in a
one-cell slot, so each covers the character after it ("∂L/∂w1" read "ƌ/ƌ1"). Every Korean screen
is walked through the Pilot and every line read: no such symbol may stand right before another
character. The source's string literals and the lessons are checked the same way."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest

from screen_walk import HELP, NOTES, PHASES, crowded, is_maybe_wide, views, walk

ROOT = Path(__file__).resolve().parent.parent


def report(screens: dict[str, list[str]]) -> list[str]:
    return [f"{label}: {ch!r} in {context!r}" for label, lines in screens.items()
            for ch, context in crowded(lines)]


def test_the_check_sees_what_a_korean_font_covers():
    """The check itself, on lines the issue quoted from the old screen and on their fixes."""
    assert [c for c, _ in crowded(["∂L/∂w1 = 1", "평수×w1", "▲0.003367", "│ ▶1  6", "학습률÷2"])] == \
        ["∂", "∂", "×", "▲", "▶", "÷"]
    assert crowded(["𝜕L/𝜕w1 = 1", "평수⋅w1", "▴0.003367", "│ ▸1  6", "학습률/2", "순전파 → 손실", "╭─ ▀▄█ ⣿"]) == []
    assert is_maybe_wide("Ａ") and not is_maybe_wide("한") and not is_maybe_wide("⋯")


@pytest.mark.asyncio
async def test_house_prices_korean_screens_every_phase_and_note_and_the_help():
    screens = await walk("house_prices", PHASES + NOTES[:2] + HELP)
    assert len(screens) == 1 + len(PHASES) + 2 + len(HELP)
    assert any("𝜕L/𝜕w1" in line for line in screens["phase 5"])      # the backward phase's gradients
    assert report(screens) == []


SLOW_WALKS = {
    "house_prices": [("step", ["space"])] + views(4),
    "xor": PHASES + NOTES + views(6),
    "momentum": PHASES[:3] + views(3),
    "iris": PHASES[:3] + NOTES[:2] + views(5),
    "perceptron_and": PHASES + views(5),
    "learning_rate": [("steps", ["space"] * 10)] + views(3),
}


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("scenario", list(SLOW_WALKS))
async def test_korean_screens_of_other_lessons(scenario):
    screens = await walk(scenario, SLOW_WALKS[scenario])
    assert report(screens) == []


def literals(path: Path) -> list[str]:
    """The string constants of a Python file but its docstrings (what it can put on a screen),
    or a whole TOML file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        return [text]
    tree = ast.parse(text)
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


SHOWN = [p for folder in ("tui", "words", "engine", "cli") for p in sorted((ROOT / folder).rglob("*.py"))] + \
        sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SHOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_literal_puts_an_ambiguous_symbol_before_another_character(path):
    """Also what no walk reaches (errors, the CLI, other lessons): an ambiguous-width symbol in a
    string is followed by a space or ends the string."""
    bad = []
    for literal in literals(path):
        for i, ch in enumerate(literal[:-1]):
            if unicodedata.east_asian_width(ch) == "A" and not 0x2500 <= ord(ch) <= 0x28FF \
                    and not literal[i + 1].isspace():
                bad.append(f"{ch!r} in {literal[max(0, i - 12):i + 12]!r}")
    assert bad == []


async def test_a_title_too_long_for_its_pane_is_cut_by_us_with_a_narrow_mark():
    """Textual would end it in … (two cells in Korean fonts, over the border): we cut it first."""
    from rich.cells import cell_len

    from tui_helpers import make_app, wait_ready

    app = make_app("house_prices", "ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        data = app.main.query_one("#data")
        narrow = str(data.border_title)
        assert narrow.endswith("⋯") and cell_len(narrow) <= data.size.width - 6
        assert narrow.startswith("데이터 (입력 ⋅ 타겟 ⋅ 예측)")
        await pilot.resize_terminal(160, 40)
        await pilot.pause(0.5)
        whole = str(app.main.query_one("#data").border_title)
        assert not whole.endswith("⋯") and whole.startswith(narrow[:-1]) and len(whole) > len(narrow)
