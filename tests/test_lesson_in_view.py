"""The lesson and its keys in view at every size: the lesson is on screen or one named key away,
each lesson opens at its top, and `?` explains this screen (the open view, the quiz, the runs)."""

from __future__ import annotations

import pytest
from textual.widgets import Markdown

from dltui.tui.layout import current_pane
from dltui.tui.screens import HelpScreen
from dltui.tui.view_area import VIEWS
from dltui.tui.notes import NOTES
from dltui.words.help import NOTE_NAMES, VIEW_NAMES
from tui_helpers import make_app, wait_ready, wait_until

SIZES = [(120, 36), (100, 30), (80, 24)]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def lesson_heading(app) -> str:
    """The lesson's first line (its `## ` heading) as the Markdown widget shows it."""
    source = app.main.query_one("#lesson", Markdown).source
    heading = next(line for line in source.splitlines() if line.startswith("## "))[3:]
    return heading.replace("**", "").replace("`", "").strip()


def on_screen(app, text: str) -> bool:
    return any(text[:12] in line for line in screen_lines(app))


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_the_lesson_is_on_screen_and_the_footer_names_its_keys(size):
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert " > " in f" {footer}" and " m " in f" {footer}", footer          # `>` next lesson, `m` the lesson
        assert on_screen(app, lesson_heading(app)), "\n".join(screen_lines(app))


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_each_lesson_opens_at_its_top(size):
    app = make_app("guess_19", lang="ko")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        box = app.main.query_one("#lesson-box")
        for _ in range(3):                       # read to the lesson's end
            await pilot.press("m")
            await pilot.pause()
        assert box.scroll_y > 0 or box.max_scroll_y == 0
        await pilot.press("greater_than_sign")
        await wait_until(pilot, lambda: app.scenario.name == "ml_process")
        await wait_until(pilot, lambda: "End2End" in app.main.query_one("#lesson", Markdown).source)
        await pilot.pause()
        assert box.scroll_y == 0
        assert on_screen(app, lesson_heading(app)), "\n".join(screen_lines(app))


@pytest.mark.asyncio
async def test_on_a_small_screen_the_steps_bring_the_arithmetic_and_m_the_lesson_back():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert current_pane(app.main) == "lesson"
        await pilot.press("full_stop")
        await pilot.pause()
        assert current_pane(app.main) == "notes"
        await pilot.press("m")
        await pilot.pause()
        assert current_pane(app.main) == "lesson" and on_screen(app, lesson_heading(app))


@pytest.mark.slow   # the whole help as Markdown: about 4 s a size
@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_help_explains_this_screen_and_names_the_quiz_and_run_keys(size):
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press("v")          # a small screen shows the picture; a large one the next view
        await pilot.pause()
        view = app.main.query_one("#views").choice.view.name
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.query_one("#help-text", Markdown).source
        here = text.split("## 키")[0]
        assert "## 지금 이 화면" in here and "`k`" in here
        assert {"loss": "손실 곡선", "landscape1d": "손실 지형 (1차원)", "landscape2d": "손실 지형 (2차원)"}[view] in here
        if size != (120, 36):
            assert "지금 그림이 보입니다" in here
        else:
            assert "이 숫자는 어디서 왔나" in here and "집값 예측" in here
        assert "| `k` |" in text and "| `tab` / `1`⋯`9` |" in text
        for word in ("순전파", "역전파", "은닉층", "배치", "손실 항"):
            assert f"**{word}**" in text


def test_the_help_reads_every_view_and_notes_pane():
    assert set(VIEWS) == set(VIEW_NAMES) and set(NOTES) == set(NOTE_NAMES)
