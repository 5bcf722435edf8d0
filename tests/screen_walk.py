"""Walk a scenario's screens through the Pilot and collect every line a terminal would show."""

from __future__ import annotations

import unicodedata

from tui_helpers import make_app, wait_ready

PHASES = [(f"phase {n}", ["full_stop"]) for n in range(1, 7)]        # forward rows, loss, backward, update
NOTES = [("code", ["c"]), ("autograd graph", ["c"]), ("arithmetic", ["c"])]
HELP = [("help", ["question_mark"])] + [(f"help page {n}", ["pagedown"]) for n in range(1, 3)]   # all of it


def views(count: int) -> list[tuple[str, list[str]]]:
    return [(f"view {n}", ["v"]) for n in range(1, count + 1)]


def screen_lines(app) -> list[str]:
    """The composed screen, as a terminal shows it (every layer, dialogs on top)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def is_maybe_wide(ch: str) -> bool:
    """A character a Korean font may draw two cells wide in a one-cell slot: East Asian width
    Ambiguous, or Wide/Fullwidth that is not Hangul or CJK (which the terminal gives two cells).
    Box drawing, block elements and braille are drawn narrow by those fonts."""
    code = ord(ch)
    if code < 0x80 or 0x2500 <= code <= 0x259F or 0x2800 <= code <= 0x28FF:
        return False
    width = unicodedata.east_asian_width(ch)
    if width == "A":
        return True
    if width in "WF":
        name = unicodedata.name(ch, "")
        return not ("HANGUL" in name or "CJK" in name or "IDEOGRAPH" in name)
    return False


def crowded(lines: list[str]) -> list[tuple[str, str]]:
    """(symbol, the text around it) for every maybe-wide symbol right before another character."""
    found = []
    for line in lines:
        for i, ch in enumerate(line[:-1]):
            if is_maybe_wide(ch) and line[i + 1] != " ":
                found.append((ch, line[max(0, i - 10):i + 10]))
    return found


async def walk(scenario: str, plan, size=(120, 36), lang="ko") -> dict[str, list[str]]:
    """`plan`: (label, keys) pairs; each label's screen is collected after its keys and the
    picture worker they started."""
    app = make_app(scenario, lang=lang)
    screens = {}
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        screens["start"] = screen_lines(app)
        for label, keys in plan:
            await pilot.press(*keys)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screens[label] = screen_lines(app)
    return screens
