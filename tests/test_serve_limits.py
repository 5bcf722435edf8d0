"""`dltui serve` under a class's use: real servers on loopback, real websocket clients speaking
textual-serve's protocol (tests/serve_client.py does what the page's JavaScript does).

Each limit of issue 17: the open dialog (/dev/zero, a path outside the folder), an export
arriving as a download, a closed tab reaped (busy or wedged), a full server refusing politely,
the idle timeout, the memory cap, a huge resize, the page's URLs under --host 0.0.0.0.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_client import ServeProcess, Tab, private_mb  # noqa: E402

pytestmark = pytest.mark.slow
HOUSE = Path(__file__).resolve().parent.parent / "scenarios" / "house_prices.toml"
READY = "5.8"        # house_prices' first prediction: on screen once the trainer is built
DLTUI = str(Path(sys.executable).parent / "dltui")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid: int, timeout: float) -> float:
    started = time.monotonic()
    while alive(pid):
        if time.monotonic() - started > timeout:
            raise AssertionError(f"session {pid} still running after {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (a served session's play process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("classroom")
    folder = root / "class"
    folder.mkdir()
    (root / "private").mkdir()
    (root / "private" / "secret.csv").write_text("x,y\n1,2\n", "utf-8")
    (folder / "good.toml").write_text(HOUSE.read_text("utf-8").replace("집값 예측", "Teacher's houses"), "utf-8")
    (folder / "zero.toml").symlink_to("/dev/zero")
    (folder / "outside.toml").symlink_to(HOUSE)
    (folder / "zz_csv_outside.toml").write_text(
        'title = "Peeks outside"\n[data]\nfeatures = ["x"]\ntarget = "y"\ncsv = "../private/secret.csv"\n'
        '[[model.layers]]\nunits = 1\nactivation = "identity"\n'
        '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.1\n', "utf-8")
    return root


@pytest.fixture(scope="module")
def server(classroom):
    with ServeProcess("house_prices", "--lang", "en", "--scenarios", str(classroom / "class"), "--spares", "0",
                      cwd=classroom) as running:
        yield running


async def open_ready(server: ServeProcess, width: int = 120, height: int = 36) -> tuple[Tab, int]:
    before = set(server.session_pids())
    tab = await Tab.open(server.url, width, height)
    await tab.wait_for("step 0", 60)
    await tab.wait_for(READY, 60)
    (pid,) = set(server.session_pids()) - before
    return tab, pid


async def test_open_dialog_offers_the_folder_only_and_refuses_paths_outside(server):
    tab, pid = await open_ready(server)
    try:
        since = len(tab.raw)
        await tab.send("o")
        await tab.wait_for("Open a scenario", 20, since=since)
        assert ".toml file path" not in tab.since(since)          # no free path input
        # typing a device path goes nowhere: there is no box to type it in
        await tab.send(*"/dev/zero")
        # the end of the list: the teacher's files; the last one's CSV lies outside the folder
        await tab.send("\x1b[F")      # End
        await tab.wait_for("zz_csv_outside.toml", 20, since=since)
        await tab.wait_for("good.toml", 20, since=since)
        screen = tab.since(since)
        assert "Scenarios from your teacher" in screen
        assert not re.search(r"(?<!\w)zero\.toml", screen)          # a link to a device
        assert not re.search(r"(?<!\w)outside\.toml", screen)       # a link out of the folder
        since = len(tab.raw)
        await tab.send("enter")
        await tab.wait_for("This scenario cannot be opened.", 20, since=since)
        assert "secret" not in tab.text and "private" not in tab.text
        assert alive(pid) and private_mb(pid) < 200
        # the session still answers
        since = len(tab.raw)
        await tab.send("escape")                # the dialog closes: the lesson under it shows again
        await tab.wait_for("─ Lesson ─", 20, since=since)
        since = len(tab.raw)
        await tab.send("space")
        await tab.wait_for("step 1", 20, since=since)
    finally:
        await tab.close()


async def test_export_arrives_as_a_download_and_nothing_is_written_on_the_server(server, classroom):
    tab, _pid = await open_ready(server)
    try:
        for step in (1, 2):
            since = len(tab.raw)
            await tab.send("space")
            await tab.wait_for(f"step {step}", 20, since=since)
        await tab.send("e")
        await tab.wait_for("Download started", 30)
        key = next(m[1] for m in tab.messages if m[0] == "deliver_file_start")
        with urllib.request.urlopen(f"{server.url}download/{key}", timeout=20) as response:
            disposition = response.headers["Content-Disposition"]
            archive = zipfile.ZipFile(io.BytesIO(response.read()))
    finally:
        await tab.close()
    assert disposition.startswith("attachment") and "house_prices-step2.zip" in disposition
    assert sorted(archive.namelist()) == ["history.csv", "history.json", "notebook.ipynb", "scenario.toml", "screen.svg"]
    import nbformat
    notebook = nbformat.reads(archive.read("notebook.ipynb").decode("utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert "steps = 2" in "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    import tomllib
    assert tomllib.loads(archive.read("scenario.toml").decode("utf-8"))["data"]["target"] == "집 값"
    exported = json.loads(archive.read("history.json"))
    reference = json.loads(subprocess.run([DLTUI, "run", "house_prices", "--steps", "2", "--format", "json"],
                                          capture_output=True, text=True, check=True, timeout=120).stdout)
    assert [s["loss"] for s in exported["steps"]] == [s["loss"] for s in reference["steps"]]
    assert exported["steps"][0]["loss"] == pytest.approx(1.7 / 3)      # the lecture's 0.567
    assert archive.read("screen.svg").startswith(b"<svg")
    assert not (classroom / "dltui-exports").exists()


async def test_a_closed_tab_ends_within_5_seconds_busy_or_wedged(server):
    busy, busy_pid = await open_ready(server)
    wedged, wedged_pid = await open_ready(server)
    try:
        await busy.send("+", "+", "+", "+", "+", "+", "p")
        await busy.wait_for("playing", 20)
        deadline = time.monotonic() + 10            # play steps in one process of its own
        while not (players := children(busy_pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(players) == 1
        await busy.send("p", "p", "p")                # pause, play, pause, play: still one at most
        time.sleep(0.5)
        assert len(children(busy_pid)) <= 1
        os.kill(wedged_pid, signal.SIGSTOP)          # a session that answers nothing at all
    finally:
        await busy.close()
        await wedged.close()
    assert wait_gone(busy_pid, 5) < 5
    assert wait_gone(wedged_pid, 5) < 5
    assert all(wait_gone(pid, 5) < 5 for pid in players + children(busy_pid))


async def test_a_huge_resize_is_clamped(server):
    tab, pid = await open_ready(server)
    try:
        await tab.resize(10000, 10000)
        since = len(tab.raw)
        await tab.send("space")
        await tab.wait_for("step 1", 30, since=since)
        assert private_mb(pid) < 300            # 10000×10000 cells took a session to 1.4 GB
        await tab.resize("wide", None)          # nonsense is ignored, not a crash
        since = len(tab.raw)
        await tab.send("space")
        await tab.wait_for("step 2", 30, since=since)
    finally:
        await tab.close()


async def test_a_full_server_refuses_politely_and_an_idle_tab_frees_its_place(tmp_path):
    with ServeProcess("house_prices", "--lang", "en", "--max-sessions", "1", "--idle", "6s", "--spares", "0",
                      cwd=tmp_path) as server:
        first, pid = await open_ready(server)
        try:
            status, page = get(server.url)
            assert status == 503
            assert "The class server is full (1 sessions open)" in page and "수업 서버가 가득 찼습니다" in page
            refused = await Tab.open(server.url)
            await refused.wait_closed(20)
            assert "The class server is full" in refused.text
            assert server.session_pids() == [pid]       # no process was started for it
            await refused.close()
            # no key for 6 s: the first tab is told and closed, its process ends, the place is free
            await first.wait_for("Closed after 0.1 min without input", 30)
            await first.wait_closed(10)
            wait_gone(pid, 5)
            assert get(server.url)[0] == 200
        finally:
            await first.close()


async def test_host_0000_pages_point_back_at_the_server_and_memory_is_capped(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    # 240,000 rows in a CSV just under the served 2 MB (inline rows stop at 10,000, with a pointer to CSV)
    rows = "\n".join(f"{i % 10},{i % 7},{i % 3},{i % 9}" for i in range(240_000))
    (folder / "many_rows.csv").write_text(f"a,b,c,y\n{rows}\n", "utf-8")
    (folder / "many_rows.toml").write_text(
        'title = "Many rows"\n[data]\ncsv = "many_rows.csv"\nfeatures = ["a", "b", "c"]\ntarget = "y"\n'
        '[[model.layers]]\nunits = 1\nactivation = "identity"\n'
        '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.0001\n', "utf-8")
    assert (folder / "many_rows.csv").stat().st_size < 2_000_000
    with ServeProcess("house_prices", "--lang", "en", "--session-memory", "25", "--scenarios", str(folder), "--spares", "0",
                      host="0.0.0.0", cwd=tmp_path) as server:
        status, page = get(server.url, host=f"192.0.2.7:{server.port}")
        assert status == 200
        assert f'ws://192.0.2.7:{server.port}/ws' in page
        assert f'http://192.0.2.7:{server.port}/static/' in page
        assert "0.0.0.0" not in page
        assert get(server.url, host='evil"><script>')[1].count("<script>") == get(server.url)[1].count("<script>")
        # a session that allocates more than 25 MB (opening 240,000 rows) is ended, and says why
        tab, pid = await open_ready(server)
        await tab.send("o", "\x1b[F", "enter")            # Open, End (the teacher's file), Enter
        await tab.wait_for("over its memory limit (25 MB)", 60)
        await tab.wait_closed(10)
        wait_gone(pid, 5)
        await tab.close()
        output = server.stop()
    assert "anyone who can reach" in output
    assert "students open:" in output and f":{server.port}/" in output


async def test_public_url_is_what_the_page_uses(tmp_path):
    with ServeProcess("house_prices", "--public-url", "https://dltui.example.ac.kr/", cwd=tmp_path) as server:
        page = get(server.url)[1]
    assert "wss://dltui.example.ac.kr/ws" in page and "https://dltui.example.ac.kr/static/" in page


async def test_without_the_warm_parent_a_fresh_process_serves_the_tab_and_is_killed_on_stop():
    """The fallback when the warm parent cannot start: the same session over plain pipes."""
    import asyncio
    import json as json_

    from dltui.cli.serve.server import QUIT_GRACE
    from dltui.cli.serve.session import SessionConfig
    from dltui.cli.serve.spawn import ExecSpawner

    process = await ExecSpawner(SessionConfig(scenario=str(HOUSE), lang="en")).spawn(100, 30)
    try:
        assert await asyncio.wait_for(process.stdout.readline(), 60) == b"__GANGLION__\n"
        screen = b""
        while b"step 0" not in screen:
            kind = await asyncio.wait_for(process.stdout.readexactly(1), 60)
            size = int.from_bytes(await process.stdout.readexactly(4), "big")
            payload = await process.stdout.readexactly(size)
            screen += payload if kind == b"D" else b""
        os.kill(process.pid, signal.SIGSTOP)                 # wedged: "quit" cannot be heard
        quit_ = json_.dumps({"type": "quit"}).encode()
        process.stdin.write(b"M" + len(quit_).to_bytes(4, "big") + quit_)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), QUIT_GRACE)
    finally:
        process.kill()
    assert await asyncio.wait_for(process.wait(), 5) == -signal.SIGKILL


async def test_spare_sessions_serve_new_tabs_at_their_size_and_are_replaced(tmp_path):
    """With --spares 2 the first tabs get sessions started ahead: the terminal modes they set at
    start reach the tab, the screen is drawn at the tab's size, keys work, and spares come back."""
    import asyncio

    with ServeProcess("house_prices", "--lang", "en", "--spares", "2", cwd=tmp_path) as server:
        deadline = time.monotonic() + 120
        while len(server.session_pids()) < 2:          # the two spares, started after warm-up
            assert time.monotonic() < deadline, "the spares never started"
            await asyncio.sleep(0.2)
        spares = set(server.session_pids())
        tabs = await asyncio.gather(*(Tab.open(server.url, 100, 30) for _ in range(3)))
        try:
            for tab in tabs:
                await tab.wait_for(READY, 120)
                assert "\x1b[?1000h" in tab.raw and "\x1b[?1049h" in tab.raw   # mouse, alternate screen
                drawn = lambda: [int(r) for r in re.findall(r"\x1b\[(\d+);\d+H",   # noqa: E731
                                                            tab.raw[tab.raw.rfind("\x1b[?1049h"):])]
                deadline = time.monotonic() + 10              # READY can arrive before the footer's row
                while max(drawn()) < 30 and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                assert max(drawn()) == 30                                   # drawn at the tab's size
                since = len(tab.raw)
                await tab.send("space")
                await tab.wait_for("step 1", 30, since=since)
            assert spares <= set(server.session_pids())     # two tabs run in the spares
        finally:
            for tab in tabs:
                await tab.close()
        deadline = time.monotonic() + 120
        # the tabs' sessions are reaped and the server is back to two spares (the tabs may have been
        # served by the spares started ahead or, when those were still warming up, by new sessions)
        while len(server.session_pids()) != 2:
            assert time.monotonic() < deadline, f"sessions left: {server.session_pids()}"
            await asyncio.sleep(0.2)
