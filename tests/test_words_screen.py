"""What a Korean student reads on the screen: every character arrives, every word is Korean."""

from __future__ import annotations

import pytest

from textual.widgets._toast import Toast

from words_check import english_prose
from tui_helpers import explanation_text, make_app, wait_ready, wait_until

HANGUL = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허"


def screen_lines(app) -> list[str]:
    """The composed screen, as a terminal shows it (every layer, notifications on top)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def visible_text(app) -> str:
    return "\n".join(screen_lines(app))


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(120, 36), (100, 30), (80, 24)])
async def test_a_notification_keeps_every_hangul_character(size):
    """Toasts sit over the lesson pane and its scrollbar; a wide character straddling a widget
    edge beneath used to become two spaces ("PyTorch   불러오는 중")."""
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_ready(pilot)
        # Every offset parity: one to four ASCII letters before the Hangul shift the syllables
        # across whatever edges lie under the toast.
        messages = [f"{'x' * shift}{HANGUL[shift:shift + 12]}" for shift in range(4)]
        for message in messages:
            app.notify(message, timeout=30)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= len(messages))
        await pilot.pause()
        text = visible_text(app)
        assert all(strip.cell_length == size[0] for strip in app.screen._compositor.render_strips())
        for message in messages:
            assert message in text, f"{message!r} lost a character:\n{text}"
        app.notify("PyTorch를 불러오는 중입니다. 잠시만요…", timeout=30)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) > len(messages))
        await pilot.pause()
        assert "PyTorch를 불러오는 중입니다" in visible_text(app)


@pytest.mark.asyncio
async def test_rate_keys_after_a_step_keep_its_arithmetic_and_the_code_shows_the_rate_now():
    from dltui.tui.notes import CodePanel

    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        used = app.snapshot.learning_rate
        await pilot.press("space")
        before = explanation_text(app)
        assert f" − {used:g} × " in before
        await pilot.press("right_square_bracket")
        assert app.snapshot.learning_rate == used * 2
        assert explanation_text(app) == before            # that step's arithmetic, unchanged
        await pilot.press("c")
        await pilot.pause()
        code = app.main.query_one(CodePanel).content.code
        assert f"lr={used * 2:g}" in code and f"lr={used:g})" not in code


def footer_text(app) -> str:
    return screen_lines(app)[-1]


@pytest.mark.asyncio
async def test_footer_and_command_palette_speak_the_screens_language_and_l_switches_them():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(200, 36)) as pilot:
        await wait_ready(pilot)
        footer = footer_text(app)
        assert "한 걸음" in footer and "명령" in footer
        assert not english_prose(footer), footer
        commands = list(app.get_system_commands(app.screen))
        assert len(commands) > 15
        for command in commands:
            assert not english_prose(f"{command.title} {command.help}"), command
        await pilot.press("l")
        await pilot.pause()
        footer = footer_text(app)
        assert "Step" in footer and "palette" in footer and "한 걸음" not in footer, footer
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Step", "Theme", "Screenshot"} <= titles
        await pilot.press("l")
        await pilot.pause()
        assert "한 걸음" in footer_text(app)


@pytest.mark.asyncio
async def test_rate_limit_is_said_in_korean():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_ready(pilot)
        with app.lock:
            app.trainer.set_learning_rate(5e-324)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= 1)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("학습률" in m for m in messages) and not any(english_prose(m) for m in messages), messages
