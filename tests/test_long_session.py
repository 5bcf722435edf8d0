"""A long session with real keys: 10,000 steps of play with resizes, back past the start,
switching scenarios and loading a broken file while playing, and a run diverging mid-play.
After each action the state is the one expected; nothing raises."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from dltui.engine.frame import Needs
from dltui.engine.intents import Show
from dltui.tui.app import PLAY_SPEEDS
from dltui.tui.screens import OpenScreen
from tui_helpers import make_app, status_text, wait_ready, wait_until, write

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


async def test_long_session(tmp_path):
    broken = write(tmp_path / "broken.toml", "title = 'x'\n[train]\nloss = 'mse'\n")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["plus"] * len(PLAY_SPEEDS))
        assert PLAY_SPEEDS[app.speed_index] == PLAY_SPEEDS[-1]

        # 10,000 steps of play, resizing the terminal as it goes.
        await pilot.press("p")
        for size in [(80, 24), (40, 12), (20, 8), (150, 50), (120, 36)] * 20:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            if app.snapshot.step >= 10_000:
                break
        await wait_until(pilot, lambda: app.snapshot.step >= 10_000, timeout=120)
        await pilot.resize_terminal(120, 36)
        await pilot.press("p")
        assert not app.playing
        steps = app.snapshot.step
        assert f"step {steps}" in status_text(app)
        assert app.session.handle(Show(), Needs(loss_points=2)).loss[1][-1] == pytest.approx(app.snapshot.loss)

        # Back past the start: it stops at step 0 with the lecture's numbers.
        await pilot.press("r", "space", "space")
        await pilot.press(*["b"] * 5)
        assert app.snapshot.step == 0
        assert app.snapshot.predictions[:, 0].tolist() == pytest.approx([5.8, 6.7, 7.3], abs=1e-12)

        # A broken file while playing: the message shows, the scenario and play go on.
        await pilot.press("p")
        await pilot.press("o")
        app.screen.query_one(Input).value = str(broken)
        app.screen.query_one(Input).focus()
        await pilot.press("enter")
        assert "broken.toml" in str(app.screen.query_one("#open-error").content)
        before = app.snapshot.step
        await wait_until(pilot, lambda: app.snapshot.step > before + 100)
        await pilot.press("escape")
        assert app.scenario.name == "house_prices" and app.playing

        # Switch scenarios while playing: play stops, the new one starts at step 0.
        await pilot.press("o")
        assert isinstance(app.screen, OpenScreen)
        options = app.screen.query_one(OptionList)
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = names.index("house_prices_mse")
        options.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.scenario.name == "house_prices_mse" and app.session is not None,
                         timeout=60)
        await wait_ready(pilot)
        assert not app.playing and app.snapshot.step == 0

        # Diverge mid-play: raise the learning rate while playing until the loss is not finite.
        await pilot.press(*["minus"] * 6)                # slower, so the doubling happens mid-play
        await pilot.press("p")
        await pilot.press(*["right_square_bracket"] * 14)
        await wait_until(pilot, lambda: app.frame.diverged and not app.playing, timeout=60)
        snapshot = app.snapshot
        assert f"DIVERGED at step {snapshot.diverged_at}" in status_text(app)
        await pilot.press("b")
        assert app.snapshot.step == snapshot.diverged_at - 1 and not app.frame.diverged
        await pilot.press("space")
        assert app.snapshot.step == snapshot.diverged_at      # the same numbers again
