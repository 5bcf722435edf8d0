"""Every word on screen exists in Korean and English, and every screen renders in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dltui.tui.i18n import HELP, LANGS, MESSAGES, default_language, t
from tui_helpers import make_app, wait_ready

TUI = Path(__file__).parent.parent / "tui"
CLI = Path(__file__).parent.parent / "cli"


def test_every_message_has_both_languages():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGS), key
        for lang in LANGS:
            assert texts[lang].strip(), f"{key} is empty in {lang}"
        placeholders = {lang: set(re.findall(r"{(\w+)(?::[^}]*)?}", texts[lang])) for lang in LANGS}
        assert placeholders["ko"] == placeholders["en"], key


def test_every_key_the_code_asks_for_exists():
    used = set()
    for path in list(TUI.glob("*.py")) + list(CLI.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*f?["']([\w.]+)["']""", source))
        used |= {f"{prefix}.{name}" for prefix in ("view", "notes")
                 for name in re.findall(r'"(\w+)"', source) if f"{prefix}.{name}" in MESSAGES}
    missing = sorted(k for k in used if k not in MESSAGES and not k.endswith("."))
    assert not missing
    from dltui.tui.app import KEYS
    from dltui.tui.view_area import VIEWS
    from dltui.tui.notes import NOTES
    for _key, action, label, _show in KEYS:
        assert label in MESSAGES
        assert f"does.{action.split('(')[0]}" in MESSAGES, f"the command palette has no description for {action}"
    for view in VIEWS:
        assert f"view.{view}" in MESSAGES
    for note in NOTES:
        assert f"notes.{note}" in MESSAGES
    for phase in ("start", "loss", "backward", "update"):
        assert f"phase.{phase}" in MESSAGES


def test_help_is_written_in_both_languages_with_the_same_keys():
    keys = {lang: re.findall(r"^\| `([^`]+)`", HELP[lang], re.M) for lang in LANGS}
    assert keys["ko"] == keys["en"] and "space" in keys["en"]


@pytest.mark.parametrize("env,expected", [({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LANG": "en_US.UTF-8"}, "en"),
                                          ({"LC_ALL": "ko_KR.UTF-8", "LANG": "C"}, "ko"), ({}, "en")])
def test_default_language_follows_the_locale(monkeypatch, env, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_language() == expected


@pytest.mark.asyncio
@pytest.mark.slow   # the Korean screens are walked fast by test_narrow_symbols and test_words_screen
@pytest.mark.parametrize("scenario, lang", [(scenario, lang) for scenario in ("house_prices", "xor", "paint_mixing", "iris")
                                            for lang in LANGS])
async def test_every_screen_renders_in_both_languages(scenario, lang):
    """Walk every phase, view, notes pane and modal; a missing message would raise KeyError."""
    app = make_app(scenario, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        for _ in range(8):
            await pilot.press("full_stop")
        for _ in range(3):
            await pilot.press("c")
        for _ in range(9):
            await pilot.press("v", "x", "y", "n")
        await pilot.press("question_mark")
        await pilot.press("escape", "o")
        await pilot.press("escape", "l", "l")
        assert app.lang == lang
        status = app.main.query_one("#status").content.plain
        assert (t("step", lang) + " ") in status
