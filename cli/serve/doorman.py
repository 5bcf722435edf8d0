"""Who gets a connection to `dltui serve`: at most `per_address` open connections from one client
address, refused quietly (one log line a minute per address, never a traceback); the process may
hold as many open files as the system allows, and the accept loop's "out of files" is one line a
minute too. Half-open requests are timed out by aiohttp's keep-alive timer (server.py).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections import Counter

log = logging.getLogger("textual-serve")

SAY_EVERY = 60.0    # seconds between two log lines about the same thing


class Doorman:
    def __init__(self, per_address: int):
        self.per_address = per_address          # 0: no cap (behind a proxy every tab has its address)
        self.open: Counter[str] = Counter()
        self._address: dict[object, str] = {}   # aiohttp handler → its client's address
        self._refused: Counter[str] = Counter()
        self._said: dict[str, float] = {}

    def watch(self, server) -> None:
        """Count at aiohttp's `web.Server`, which every connection's handler reports to."""
        made, lost = server.connection_made, server.connection_lost

        def connection_made(handler, transport) -> None:
            made(handler, transport)
            address = _host(transport.get_extra_info("peername"))
            if self.per_address and self.open[address] >= self.per_address:
                self._refused[address] += 1
                self.say(address, f"refused connections from {address}: {self.per_address} already open "
                                   f"({self._refused[address]} refused so far)")
                # after the handler's task has started (closing inside connection_made would end
                # the connection before aiohttp has set it up: a traceback per refusal)
                asyncio.get_running_loop().call_soon(transport.abort)
                return
            self.open[address] += 1
            self._address[handler] = address

        def connection_lost(handler, exc=None) -> None:
            address = self._address.pop(handler, None)
            if address is not None:
                self.open[address] -= 1
                if self.open[address] <= 0:
                    del self.open[address]
            lost(handler, exc)

        server.connection_made, server.connection_lost = connection_made, connection_lost

    def loop_errors(self, loop, context: dict) -> None:
        """The event loop's error handler: running out of open files while accepting is one line
        a minute; anything else goes to asyncio's default handler."""
        error = context.get("exception")
        if isinstance(error, OSError) and "accept" in str(context.get("message", "")):
            self.say("accept", f"cannot accept connections: {error.strerror or error}")
            return
        loop.default_exception_handler(context)

    def say(self, about: str, text: str) -> None:
        """A warning, at most once a minute about the same thing."""
        now = time.monotonic()
        if now - self._said.get(about, -SAY_EVERY) >= SAY_EVERY:
            self._said[about] = now
            log.warning(text)


def _host(peer) -> str:
    return str(peer[0]) if isinstance(peer, tuple) and peer else "?"


def raise_open_files_limit(wanted: int = 65536) -> int:
    """As many open files as the hard limit allows (up to `wanted`): each tab holds a few."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
        except (ValueError, OSError):
            pass
    return soft
