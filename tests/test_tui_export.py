"""The export key `e` under stress (issue 18): a failed export names its folder in the screen's
language; `q` during a long export quits at once and leaves no half-written history."""

from __future__ import annotations

import time

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
    import dltui.tui.app as app_module

    real_replay = app_module.replayed_records

    def slow_replay(scenario, rates, every=1):
        """A long run's replay: each real step takes 50 ms, 20,000 steps (over 15 minutes)."""
        for k in range(20_000):
            time.sleep(0.05)
            record = next(real_replay(scenario, rates[:1]))
            yield dict(record, step=k)

    monkeypatch.setattr(app_module, "replayed_records", slow_replay)
    monkeypatch.chdir(tmp_path)
    app = make_app()
    exports = tmp_path / "dltui-exports"
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: any(exports.glob("*/.history.*.tmp")), timeout=30)
        pressed = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - pressed < 5
    deadline = time.monotonic() + 10
    while any(exports.glob("*/.history.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)                        # the worker thread stops at its next step
    assert not any(exports.glob("**/*")), list(exports.glob("**/*"))
