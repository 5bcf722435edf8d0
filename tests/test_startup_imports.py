"""What loads before the first frame: `dltui NAME` imports the CLI and the app module, and nothing
that only a later key needs (issue 23: first frame ≤ 0.4 s, each import there costs start-up).

Checked in a fresh interpreter's sys.modules, like tests/test_architecture.py's torch check.
"""

from __future__ import annotations

import pytest

from test_architecture import loaded_after

FIRST_FRAME = "import dltui.cli.main, dltui.tui.app"

# module → the key (or case) that loads it
LATER = {
    "torch": "the session, built after the first frame",
    "dltui.engine.train.trainer": "the session",
    "dltui.engine.export": "e (export)",
    "dltui.engine.explain.notebook": "e (export)",
    "dltui.engine.load.writer": "e (export), s (save)",
    "dltui.tui.screens": "? (help), o (open)",
    "dltui.tui.startup_error": "a scenario that could not be opened",
    "dltui.tui.served": "dltui serve",
    "dltui.cli.serve": "dltui serve",
    "aiohttp": "dltui serve",
    "textual_serve": "dltui serve",
}


@pytest.fixture(scope="module")
def first_frame_modules() -> set[str]:
    return loaded_after(FIRST_FRAME)


@pytest.mark.parametrize("module", sorted(LATER))
def test_the_first_frame_does_not_import(module, first_frame_modules):
    assert "dltui.tui.app" in first_frame_modules       # the import really ran
    assert module not in first_frame_modules, f"{module} is only needed for {LATER[module]}"


def test_the_lazy_modules_do_load_when_their_key_needs_them():
    """The check can fail: each module is seen once what needs it is imported."""
    ours = sorted(m for m in LATER if m.startswith("dltui.") and m != "dltui.engine.train.trainer")
    modules = loaded_after(f"{FIRST_FRAME}\nimport " + ", ".join(ours))
    assert set(ours) <= modules


def test_the_tui_starts_with_the_collector_off_and_leaves_it_on(monkeypatch):
    """cli/main holds collection off while the screen starts (55-78 ms of pauses before the first
    frame) and never leaves it off: not after the app, not after `--help` exits."""
    import gc

    from dltui.cli import main as cli

    seen = []
    monkeypatch.setattr("dltui.tui.app.run_app", lambda *args, **kwargs: seen.append(gc.isenabled()))
    assert cli.main(["house_prices"]) == 0 and seen == [False] and gc.isenabled()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert gc.isenabled()


async def test_the_app_turns_the_collector_on_once_its_first_frame_is_written():
    import gc

    from tui_helpers import make_app, wait_ready

    app = make_app()
    gc.disable()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_ready(pilot)
            assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()   # this test process's objects are not start-up's
