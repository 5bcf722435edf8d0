"""Spare sessions under a class arriving at once: a tab that comes while a spare is still starting
waits for that spare instead of starting one more process (issue 23). The server's own logic, in
process, with a spawner whose processes start only when the test lets them (a real fork is too
quick to land a tab inside its start-up reliably; tests/test_serve_limits.py covers real spares).
"""

from __future__ import annotations

import asyncio
import itertools

from dltui.cli.serve.server import PARK_SIZE, ClassServer, Limits
from dltui.cli.serve.session import SessionConfig
from dltui.cli.serve.spawn import Spawner

PIDS = itertools.count(1000)


class HeldProcess:
    """A session process speaking textual-serve's packets: it sets the terminal's modes, then
    draws a first frame when `draw()` is called (its app has started), and takes any input."""

    def __init__(self, size):
        self.pid, self.size = next(PIDS), size
        self.stdout, self.stderr = asyncio.StreamReader(), asyncio.StreamReader()
        self.stdin = self
        self.sent: list[bytes] = []
        self.stdout.feed_data(b"__GANGLION__\n" + self.packet(b"\x1b[?1049h"))

    @staticmethod
    def packet(data: bytes) -> bytes:
        return b"D" + len(data).to_bytes(4, "big") + data

    def draw(self) -> None:
        self.stdout.feed_data(self.packet(b"\x1b[1;1Hstep 0"))

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    async def drain(self) -> None:
        pass

    async def wait(self) -> int:
        return 0

    def kill(self) -> None:
        self.stdout.feed_eof()
        self.stderr.feed_eof()

    def close(self) -> None:
        pass


class HeldSpawner(Spawner):
    """Each spawn waits until the test releases it; `failures` of them then fail. Each process
    draws at once, or (`held`) once the test lets it."""

    def __init__(self):
        super().__init__(SessionConfig(scenario="house_prices"))
        self.asked: list[tuple[int, int]] = []
        self.started: list[HeldProcess] = []
        self.release = asyncio.Event()
        self.failures = 0          # how many of the next spawns fail
        self.held = False

    async def spawn(self, width, height):
        self.asked.append((width, height))
        await self.release.wait()
        if self.failures:
            self.failures -= 1
            raise RuntimeError("no process")
        process = HeldProcess((width, height))
        self.started.append(process)
        if not self.held:
            process.draw()
        return process


class Socket:
    async def send_bytes(self, data):
        pass

    async def send_str(self, data):
        pass

    async def close(self):
        pass


def server_with(spawner, spares: int) -> ClassServer:
    return ClassServer(spawner, host="127.0.0.1", port=0, limits=Limits(spares=spares))


async def settle():
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_tab_arriving_while_the_spare_starts_waits_for_it_and_starts_no_process():
    spawner = HeldSpawner()
    server = server_with(spawner, spares=1)
    server._refill()
    await settle()
    assert spawner.asked == [PARK_SIZE]                  # the spare is starting
    tab = asyncio.create_task(server._session_for(Socket(), 120, 36))
    await settle()
    assert not tab.done() and spawner.asked == [PARK_SIZE]   # the tab waits; no second process
    spawner.release.set()
    session = await asyncio.wait_for(tab, 5)
    assert session.pid == spawner.started[0].pid          # the tab runs in the spare
    assert b'"width": 120' in b"".join(spawner.started[0].sent)   # and it is told the tab's size
    server._refill()
    await settle()
    assert spawner.asked == [PARK_SIZE, PARK_SIZE]       # then the next spare starts
    assert server.spares[0].pid == spawner.started[1].pid


async def test_a_spare_whose_app_has_not_drawn_yet_is_waited_for_not_resized_too_early():
    """A resize sent before the spare's app runs would be lost (the tab would stay at 10×5)."""
    spawner = HeldSpawner()
    spawner.held = True
    spawner.release.set()
    server = server_with(spawner, spares=1)
    server._refill()
    await settle()
    assert len(spawner.started) == 1 and not server.spares      # forked, still starting
    tab = asyncio.create_task(server._session_for(Socket(), 120, 36))
    await settle()
    assert not tab.done() and len(spawner.asked) == 1
    assert not any(b"resize" in sent for sent in spawner.started[0].sent)
    spawner.started[0].draw()
    session = await asyncio.wait_for(tab, 5)
    assert session.pid == spawner.started[0].pid
    assert b'"width": 120' in b"".join(spawner.started[0].sent)


async def test_two_tabs_and_one_starting_spare_the_second_tab_starts_its_own():
    spawner = HeldSpawner()
    server = server_with(spawner, spares=1)
    server._refill()
    await settle()
    first = asyncio.create_task(server._session_for(Socket(), 120, 36))
    second = asyncio.create_task(server._session_for(Socket(), 100, 30))
    await settle()
    assert spawner.asked == [PARK_SIZE, (100, 30)]        # one spare is promised to one tab
    spawner.release.set()
    one, two = await asyncio.wait_for(asyncio.gather(first, second), 5)
    by_size = {p.size: p.pid for p in spawner.started[1:]}   # the spare's, then the refill's and the tab's
    assert one.pid == spawner.started[0].pid and two.pid == by_size[(100, 30)]


async def test_a_spare_that_fails_to_start_leaves_its_waiting_tab_to_start_its_own():
    spawner = HeldSpawner()
    server = server_with(spawner, spares=1)
    server._refill()
    await settle()
    tab = asyncio.create_task(server._session_for(Socket(), 120, 36))
    await settle()
    spawner.failures = 1
    spawner.release.set()
    session = await asyncio.wait_for(tab, 5)
    assert spawner.asked == [PARK_SIZE, (120, 36)] and session.pid == spawner.started[0].pid


async def test_without_spares_a_tab_starts_its_own_at_its_size():
    spawner = HeldSpawner()
    spawner.release.set()
    server = server_with(spawner, spares=0)
    server._refill()
    session = await asyncio.wait_for(server._session_for(Socket(), 120, 36), 5)
    assert spawner.asked == [(120, 36)] and session.pid == spawner.started[0].pid
