"""The export key `e` under stress (issue 18): a failed export names its folder in the screen's
language; `q` during a long export quits at once and leaves no half-written history."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui_helpers import make_app, wait_ready, wait_until

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("lang, words", [("ko", "에 내보내지 못했습니다"), ("en", "export to")])
async def test_failed_export_names_its_folder(tmp_path, monkeypatch, lang, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dltui-exports").write_text("a file where the folder should be")
    app = make_app(lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        message = next(str(n.message) for n in app._notifications if n.severity == "error")
    assert words in message and str(tmp_path / "dltui-exports" / "house_prices-step0-") in message


async def test_quit_during_a_long_export_quits_at_once_and_leaves_no_history(tmp_path, monkeypatch):
    import dltui.engine.export as export_module

    real_replay = export_module.journal_records

    def slow_replay(journal, every=1):
        """A long run's replay: each step takes 50 ms, 20,000 steps (over 15 minutes)."""
        record = next(real_replay(journal))
        for k in range(20_000):
            time.sleep(0.05)
            yield dict(record, step=k)

    monkeypatch.setattr(export_module, "journal_records", slow_replay)
    monkeypatch.chdir(tmp_path)
    app = make_app()
    exports = tmp_path / "dltui-exports"
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: any(exports.glob(".*.partial/.history.*.tmp")), timeout=30)
        pressed = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - pressed < 5
    deadline = time.monotonic() + 10
    while any(exports.glob(".*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)                        # the worker thread stops at its next step
    assert not any(exports.glob("**/*")), list(exports.glob("**/*"))


async def test_an_export_appears_whole_or_not_at_all_and_cleans_a_killed_ones_staging(tmp_path, monkeypatch):
    """Issue 27 item 11: a TUI export killed midway left screen.svg and scenario.toml without a history.
    Now nothing is under the export's name until every file is written; a staging folder of a
    process that is gone (kill -9) is removed by the next export."""
    import subprocess

    import dltui.engine.export as export_module

    real_replay = export_module.journal_records
    release = []

    def held_replay(journal, every=1):   # the history waits until the test has looked (30 s at most)
        deadline = time.monotonic() + 30
        for record in real_replay(journal, every):
            while not release and time.monotonic() < deadline:
                time.sleep(0.02)
            yield record

    monkeypatch.setattr(export_module, "journal_records", held_replay)
    monkeypatch.chdir(tmp_path)
    exports = tmp_path / "dltui-exports"
    gone = subprocess.Popen(["true"])
    gone.wait()                                         # a pid that no longer runs
    stale = exports / f".house_prices-step0-19990101-000000.dltui-{gone.pid}.partial"
    stale.mkdir(parents=True)
    (stale / "screen.svg").write_text("<svg>half", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: any(exports.glob(".*.partial/screen.svg")) and not stale.exists())
        assert [p.name for p in exports.iterdir() if not p.name.startswith(".")] == []   # nothing visible yet
        release.append(True)
        await wait_until(pilot, lambda: any(p.name.startswith("house_prices") for p in exports.iterdir()),
                         timeout=30)
    (folder,) = exports.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["history.csv", "history.json", "notebook.ipynb",
                                                        "scenario.toml", "screen.svg"]
    assert '"step": 0' in (folder / "history.json").read_text(encoding="utf-8")


async def test_open_dialog_says_what_is_wrong_with_hostile_files_in_korean(tmp_path):
    """The open dialog goes through open_scenario: every hostile file is a message, not a crash."""
    from textual.widgets import Input

    from dltui.tui.screens import OpenScreen

    house = (Path(__file__).resolve().parent.parent / "scenarios" / "house_prices.toml").read_text(encoding="utf-8")
    files = {
        "big_number.toml": (house.replace("learning_rate = 0.0001", "learning_rate = " + "9" * 400),
                            ("train.learning_rate", "400자리")),
        "too_long.toml": (house.replace("learning_rate = 0.0001", "learning_rate = " + "9" * 5000),
                          ("5000자리", "번째 줄")),
        "deep.toml": (house + "\n[display]\nx = " + "[" * 1000 + "]" * 1000 + "\n", ("번째 줄", "깊이")),
        "cp949.toml": ('title = "c"\n[data]\ncsv = "k.csv"\ntarget = "집값"\n[[model.layers]]\nunits = 1\n'
                       '[train]\nloss = "mse"\nlearning_rate = 0.01\n', ("k.csv", "CSV UTF-8 (쉼표로 분리)로 다시 저장하세요")),
    }
    (tmp_path / "k.csv").write_bytes("평수,집값\n32,6\n".encode("cp949"))
    for name, (text, _) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    app = make_app(lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("o")
        for name, (_, expected) in files.items():
            assert isinstance(app.screen, OpenScreen)
            app.screen.query_one(Input).value = str(tmp_path / name)
            app.screen.query_one(Input).focus()
            await pilot.press("enter")
            message = str(app.screen.query_one("#open-error").content)
            assert name in message, message
            for part in expected:
                assert part in message, (part, message)
        await pilot.press("escape")
        assert app.scenario.name == "house_prices" and app.is_running


async def test_a_bad_file_on_the_command_line_is_said_in_the_screens_language(tmp_path):
    """`dltui bad.toml`: the app opens on the default scenario and says what is wrong, in Korean."""
    from dltui.cli import main as cli_main
    from dltui.engine import ScenarioError, open_scenario
    from dltui.tui.app import DltuiApp
    from dltui.tui.startup_error import StartupErrorScreen

    (tmp_path / "k.csv").write_text("평수,집값\n32,6\n\n33,NA\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "b"\n[data]\ncsv = "k.csv"\ntarget = "집값"\n[[model.layers]]\nunits = 1\n'
                   '[train]\nloss = "mse"\nlearning_rate = 0.01\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        open_scenario(str(bad))
    app = DltuiApp(open_scenario(cli_main.DEFAULT_SCENARIO), lang="ko", startup_error=info.value)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        assert isinstance(app.screen, StartupErrorScreen)
        message = app.screen.error
    assert "bad.toml" in message and "k.csv 4번째 줄, '집값' 열: 'NA' (결측치)" in message


async def test_the_screen_says_how_many_rows_were_dropped(tmp_path):
    from dltui.engine import load_scenario
    from dltui.tui.app import DltuiApp

    (tmp_path / "k.csv").write_text("평수,집값\n32,6\n33,\n36,8.5\nNA,9\n", encoding="utf-8")
    path = tmp_path / "drop.toml"
    path.write_text('title = "d"\n[data]\ncsv = "k.csv"\ntarget = "집값"\nmissing = "drop"\n'
                    '[[model.layers]]\nunits = 1\n[train]\nloss = "mse"\nlearning_rate = 0.01\n', encoding="utf-8")
    app = DltuiApp(load_scenario(path), lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        notes = [str(n.message) for n in app._notifications]
    assert any("k.csv: 결측치가 있는 행 2개를 뺐습니다" in n for n in notes), notes
