"""`dltui serve` against slowloris (issue 27, item 2), with raw sockets on loopback: hundreds of idle
and half-open connections do not stop a new tab, a half-open request is closed after the header
timeout, one address holds at most --per-address connections, a websocket that says nothing gives
its seat back within seconds (not after --idle), and the log stays a few quiet lines."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_client import ServeProcess, Tab  # noqa: E402

pytestmark = pytest.mark.slow
READY = "5.8"       # house_prices' first prediction: the trainer is built
HEADER_TIMEOUT = 10


def connect_from(source: str, port: int, send: bytes = b"") -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))              # every 127.x.y.z is this machine: another client address
    sock.connect(("127.0.0.1", port))
    if send:
        sock.sendall(send)
    return sock


def still_open(sock: socket.socket) -> bool:
    """True while the server has not closed its end (nothing to read, no EOF)."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


async def silent_websocket(port: int, source: str):
    """A websocket client that completes the handshake and then says nothing (it answers pings)."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source, 0)))
    websocket = await session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24")
    return session, websocket


async def closed_by_server(websocket, deadline: float) -> None:
    """Read (the session's frames) until the server closes the socket; fail at `deadline`."""
    ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR)
    while (await websocket.receive(timeout=max(0.1, deadline - time.monotonic()))).type not in ends:
        pass


async def test_idle_and_half_open_sockets_do_not_stop_a_new_tab(tmp_path):
    with ServeProcess("house_prices", "--lang", "en", "--max-sessions", "3", "--spares", "0",
                      "--idle", "30m", cwd=tmp_path) as server:    # --per-address 32 (the default)
        half = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: "
        crowd = [connect_from("127.0.0.2", server.port) for _ in range(200)]
        crowd += [connect_from("127.0.0.3", server.port, half) for _ in range(200)]
        time.sleep(1)
        kept = [s for s in crowd if still_open(s)]
        assert len(kept) <= 2 * 32, len(kept)           # the rest refused at once, per address
        tab = await Tab.open(server.url)                # a student, from another address
        try:
            assert await tab.wait_for(READY, 60) < 30
            # the half-open requests are closed after the header timeout, the idle ones too
            lone = connect_from("127.0.0.4", server.port, half)
            opened = time.monotonic()
            while still_open(lone) and time.monotonic() - opened < HEADER_TIMEOUT + 10:
                time.sleep(0.2)
            assert not still_open(lone) and time.monotonic() - opened < HEADER_TIMEOUT + 5
            assert not any(still_open(s) for s in kept)
            assert not tab.closed.is_set()               # a tab's websocket is not a half-open request
            since = len(tab.raw)
            await tab.send(".")
            await tab.wait_output(since)
        finally:
            await tab.close()
            for sock in crowd + [lone]:
                sock.close()
        log = server.stop()
    assert "Traceback" not in log and len(log.splitlines()) < 20, log
    assert "refused connections from 127.0.0.2" in log


async def test_silent_websockets_give_their_seats_back_long_before_idle(tmp_path):
    """The issue: 3 silent sockets filled a --max-sessions 3 class until --idle (30 min)."""
    with ServeProcess("house_prices", "--lang", "en", "--max-sessions", "3", "--spares", "0",
                      "--idle", "30m", cwd=tmp_path) as server:
        silent = [await silent_websocket(server.port, f"127.0.0.{5 + k}") for k in range(3)]
        try:
            await asyncio.sleep(1)
            refused = await Tab.open(server.url)
            await refused.wait_closed(20)
            assert "The class server is full" in refused.text
            await refused.close()
            started = time.monotonic()
            for _, websocket in silent:                 # closed by the server, not by us
                await closed_by_server(websocket, started + HEADER_TIMEOUT + 10)
            assert time.monotonic() - started < HEADER_TIMEOUT + 10
            tab = await Tab.open(server.url)
            try:
                await tab.wait_for(READY, 60)
            finally:
                await tab.close()
        finally:
            for session, websocket in silent:
                await websocket.close()
                await session.close()
        log = server.stop()
    assert "Traceback" not in log and "closed tabs that said nothing" in log
