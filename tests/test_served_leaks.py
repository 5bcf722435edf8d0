"""What a served tab may see and fetch (issue 27, item 5): a settings (`t`) error without the
lesson's server path; a download fetched twice gives the same file twice; a closed tab's download
answers 410, not 200 empty; /static/ lists no folder."""

from __future__ import annotations

import io
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_client import ServeProcess, Tab  # noqa: E402
from tui_helpers import make_app, text_of, wait_ready  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.mark.asyncio
async def test_a_settings_error_in_a_tab_names_no_server_path():
    from dltui.tui.served import Served

    app = make_app("xor_linear", "en")
    app.served = Served(SCENARIOS)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-act-1").value = "relu"
        await pilot.press("enter")
        await pilot.pause()
        error = text_of(screen.query_one("#settings-error"))
    assert "loss 'bce' needs a sigmoid output layer" in error
    assert str(SCENARIOS) not in error and "xor_linear.toml" not in error and "/" not in error.split("\n", 1)[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
async def test_downloads_are_whole_twice_and_gone_with_their_tab(tmp_path):
    import asyncio

    with ServeProcess("house_prices", "--lang", "en", "--spares", "0", cwd=tmp_path) as server:
        status, listing = fetch(f"{server.url}static/")
        assert status in (403, 404) and b"Index of" not in listing
        assert fetch(f"{server.url}static/js/textual.js")[0] == 200
        tab = await Tab.open(server.url)
        try:
            await tab.wait_for("5.8", 60)
            await tab.send("space", "e")
            await tab.wait_for("Download started", 30)
            key = next(m[1] for m in tab.messages if m[0] == "deliver_file_start")
            url = f"{server.url}download/{key}"
            # two fetches at once (a browser that retries), then a third after both
            both = await asyncio.gather(asyncio.to_thread(fetch, url), asyncio.to_thread(fetch, url))
            again = fetch(url)
        finally:
            await tab.close()
        for status, body in list(both) + [again]:
            assert status == 200
            assert sorted(zipfile.ZipFile(io.BytesIO(body)).namelist()) == [
                "history.csv", "history.json", "notebook.ipynb", "scenario.toml", "screen.svg"]
        assert both[0][1] == both[1][1] == again[1]
        await asyncio.sleep(3)                       # the tab's session has stopped
        assert fetch(url)[0] in (404, 410)
        assert fetch(f"{server.url}download/no-such-key")[0] == 404
        log = server.stop()
    assert "Traceback" not in log and "task_done" not in log
