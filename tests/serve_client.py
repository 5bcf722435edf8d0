"""A textual-serve websocket client (what the page's JavaScript does), for tests and bench/."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

ANSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
KEYS = {"enter": "\r", "escape": "\x1b", "down": "\x1b[B", "up": "\x1b[A", "space": " "}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def private_mb(pid: int) -> float:
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1])
    except OSError:
        pass
    return total / 1024


class ServeProcess:
    """`dltui serve ...` on a free loopback port, stopped on exit."""

    def __init__(self, *args: str, host: str = "127.0.0.1", timeout: float = 120, cwd=None):
        self.port = free_port()
        dltui = Path(sys.executable).parent / "dltui"
        self.log = tempfile.TemporaryFile()   # not a pipe: a chatty server never blocks on it
        self.process = subprocess.Popen([str(dltui), "serve", *args, "--host", host, "--port", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd)
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status in (200, 503):
                        break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"dltui serve did not start: {self.stop()}")
                time.sleep(0.2)

    def session_pids(self) -> list[int]:
        """The tabs' processes: children of the warm parent, the server's child."""
        return [s for z in children(self.process.pid) for s in children(z)]

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Tab:
    """One browser tab speaking textual-serve's websocket protocol."""

    def __init__(self, session: aiohttp.ClientSession, websocket, opened: float):
        self.session, self.websocket, self.opened = session, websocket, opened
        self.raw = ""
        self.messages: list = []           # JSON text frames (deliver_file_start, …)
        self.first_frame: float | None = None
        self.closed = asyncio.Event()
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, base: str, width: int = 120, height: int = 36, language: str | None = None,
                   headers: dict | None = None) -> "Tab":
        """`language`: the browser's Accept-Language header, as a browser sends it on the upgrade."""
        session = aiohttp.ClientSession(headers=headers)
        opened = time.perf_counter()
        websocket = await session.ws_connect(f"{base.rstrip('/')}/ws?width={width}&height={height}".replace("http", "ws", 1),
                                             max_msg_size=0, headers={"Accept-Language": language} if language else None)
        # the page says its size as soon as the socket opens (a silent socket is closed)
        await websocket.send_str(json.dumps(["resize", {"width": width, "height": height}]))
        return cls(session, websocket, opened)

    async def _read(self) -> None:
        try:
            async for message in self.websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.raw += message.data.decode("utf-8", "replace")
                    if self.first_frame is None:
                        self.first_frame = time.perf_counter() - self.opened
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.messages.append(json.loads(message.data))
                self._changed.set()
        finally:
            self.closed.set()
            self._changed.set()

    @property
    def text(self) -> str:
        return ANSI.sub("", self.raw)

    def since(self, offset: int) -> str:
        """Screen text sent after raw offset `offset` (an earlier len(tab.raw))."""
        return ANSI.sub("", self.raw[offset:])

    async def wait_for(self, needle: str, timeout: float = 60, since: int = 0) -> float:
        """Seconds until `needle` is on screen (in output after offset `since`)."""
        started = time.perf_counter()
        deadline = started + timeout
        while needle not in ANSI.sub("", self.raw[since:]):
            if self.closed.is_set() and needle not in self.text[since:]:
                raise AssertionError(f"{needle!r} never came; the session closed. Screen:\n{self.text[-2000:]}")
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise AssertionError(f"{needle!r} never came. Screen:\n{self.text[-2000:]}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        return time.perf_counter() - started

    async def wait_output(self, since: int, timeout: float = 20) -> None:
        """Until anything new arrives after raw offset `since` (a repaint after a key)."""
        deadline = time.perf_counter() + timeout
        while len(self.raw) <= since:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self.closed.is_set():
                raise AssertionError("the screen did not change")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def wait_closed(self, timeout: float) -> None:
        await asyncio.wait_for(self.closed.wait(), timeout)

    async def send(self, *keys: str) -> None:
        for key in keys:
            await self.websocket.send_str(json.dumps(["stdin", KEYS.get(key, key)]))

    async def resize(self, width, height) -> None:
        await self.websocket.send_str(json.dumps(["resize", {"width": width, "height": height}]))

    async def close(self) -> None:
        await self.websocket.close()
        await self.session.close()
        self._reader.cancel()
