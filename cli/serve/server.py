"""textual-serve's server with the limits a classroom needs.

- The page's URLs come from the request's own Host (or `--public-url`), so a student's browser
  connects back to the teacher's machine, not to `0.0.0.0` or to itself.
- At most `max_sessions` tabs at once; the next one gets a polite page (HTTP 503) or, on the
  websocket, a polite line in its terminal.
- Terminal sizes are clamped; an idle tab is closed after `idle` seconds without a key or resize.
- A session's memory is watched (what it allocated since it was forked); past its cap the session
  is ended, and says why.
- A closed tab's process gets "quit", then SIGKILL after QUIT_GRACE seconds: gone within 5 s even
  when it is busy or wedged.
- A download is fetched from its tab once and kept while the tab lives: fetching it again gives the
  same bytes; a closed tab's download answers 410. /static/ serves files, never a folder listing.
- Slowloris: a connection has HEADER_TIMEOUT seconds to finish a request (then it is closed), one
  address holds at most `per_address` connections (serve/doorman.py), and a websocket that says
  nothing for GREETING_TIMEOUT seconds (a page says its size at once) gives its seat back.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from dltui.words import t

from .language import LANGUAGE_META, browser_language
from .doorman import Doorman, raise_open_files_limit
from .spawn import ExecSpawner, Spawner

log = logging.getLogger("textual-serve")

QUIT_GRACE = 2.0          # seconds a closing session gets to quit by itself before SIGKILL
SEND_TIMEOUT = 2.0        # a session that does not read its input for this long is not waited for
WATCH_EVERY = 0.5         # seconds between memory checks
HEADER_TIMEOUT = 10.0     # seconds to send a whole request, from connecting or the last answer
GREETING_TIMEOUT = 10.0   # seconds for a tab's first message (the page sends its size at once)
MAX_COLS, MAX_ROWS = 300, 100
SPARE_WARM_TIMEOUT = 60.0  # seconds for a spare's app to draw its first frame
PARK_SIZE = (10, 5)       # a spare's size until its tab arrives (any tab's size differs: a repaint)
_HOST = re.compile(r"^(?:[A-Za-z0-9.\-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")



def _first(value: str | None) -> str:
    """The first of a forwarded header's comma-separated values (the client-side proxy's)."""
    return (value or "").split(",")[0].strip()


def both(key: str, **values: object) -> tuple[str, str]:
    """A server notice in Korean, then English (the server does not know the tab's language)."""
    return t(key, "ko", **values), t(key, "en", **values)


@dataclass(frozen=True)
class Limits:
    max_sessions: int = 60
    idle_seconds: float = 30 * 60        # 0: never
    memory_bytes: int = 600_000_000      # private memory of one session (0: unwatched)
    max_cols: int = MAX_COLS
    max_rows: int = MAX_ROWS
    spares: int = 2                      # sessions started ahead, waiting for the next tab
    per_address: int = 32                # open connections from one client address (0: no cap)


def clamp_size(width: Any, height: Any, limits: Limits) -> tuple[int, int]:
    """A terminal size a client asked for, made safe: whole numbers within 10..max."""
    def whole(value: Any, default: int) -> int:
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            return default
    return (max(10, min(limits.max_cols, whole(width, 80))),
            max(5, min(limits.max_rows, whole(height, 24))))


def terminal_notice(lines: tuple[str, ...]) -> bytes:
    """Bytes for a browser terminal: clear it and show `lines`, one per row."""
    body = "\r\n".join(f"  {line}" for line in lines)
    return ("\x1b[?1049l\x1b[2J\x1b[H\r\n" + body + "\r\n").encode("utf-8")


class Session(AppService):
    """One tab's process, started by a Spawner, ended for sure."""

    def __init__(self, command: str, *, spawner: Spawner, **kwargs):
        super().__init__(command, **kwargs)
        self.spawner = spawner
        self.last_input = time.monotonic()
        self.ended_because: str | None = None
        self.memory_at_start = 0
        self.preamble: list[bytes] = []
        self.parked_closed = False
        self.warm = asyncio.Event()

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await self.spawner.spawn(width, height)
        self.memory_at_start = anonymous_memory(process.pid)
        self._stdin = process.stdin
        return process

    def park(self) -> None:
        """Started before any tab: keep the terminal-mode switches it writes first (alternate
        screen, mouse, paste; short escape sequences), drop its frames, note if it ends. `warm` is
        set once it has drawn (its app runs and takes a resize) or ended."""
        self.preamble: list[bytes] = []

        async def keep(payload: bytes) -> None:
            if len(payload) < 64 and payload.startswith(b"\x1b[?") and len(self.preamble) < 32:
                self.preamble.append(payload)
            elif not payload.startswith(b"\x1b[?"):
                self.warm.set()

        async def ended() -> None:
            self.parked_closed = True
            self.warm.set()

        self.remote_write_bytes, self.remote_close = keep, ended

    async def run(self) -> None:
        """textual-serve's reader; when the process ends for any reason, the tab is told."""
        try:
            await super().run()
        finally:
            if self.ended_because is None and self._task is not None:
                self.ended_because = "exit"
            await self.remote_close()

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def send_meta(self, data: dict) -> bool:
        try:
            return await asyncio.wait_for(super().send_meta(data), SEND_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError, AssertionError):
            return False

    async def send_bytes(self, data: bytes) -> bool:
        try:
            return await asyncio.wait_for(super().send_bytes(data), SEND_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError, AssertionError):
            return False

    async def stop(self) -> None:
        """Ask the app to quit; kill it if it has not ended after QUIT_GRACE seconds."""
        task, self._task = self._task, None
        process = self._process
        if task is None or process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), QUIT_GRACE)
        except asyncio.TimeoutError:
            process.kill()
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), QUIT_GRACE)
        except asyncio.TimeoutError:
            log.error("session %s did not end after SIGKILL", process.pid)
        try:
            await asyncio.wait_for(task, QUIT_GRACE)
        except asyncio.TimeoutError:
            task.cancel()
        process.close()


class ClassServer(Server):
    """`dltui serve`: textual-serve's Server with a classroom's limits."""

    def __init__(self, spawner: Spawner, *, host: str, port: int, limits: Limits,
                 public_url: str | None = None, title: str = "dltui", announce=None, lang: str | None = None):
        super().__init__("dltui", host=host, port=port, title=title, public_url=public_url)
        self.spawner = spawner
        self.lang = lang                  # --lang: every tab in it; None: each tab in its browser's
        self.limits = limits
        self.fixed_public_url = public_url.rstrip("/") if public_url else None
        self.sessions: dict[int, Session] = {}      # id(websocket) → session
        self.reserved = 0                           # slots taken by tabs still starting
        self.spares: list[Session] = []             # started ahead of the tabs that will use them
        self.warming: list[asyncio.Future] = []     # spares still starting that no tab waits for yet
        self._refilling: asyncio.Task | None = None
        self._watch_task: asyncio.Task | None = None
        self.announce = announce          # called once sessions can start
        self.doorman = Doorman(limits.per_address)
        self.downloads: dict[str, tuple[Session, asyncio.Task]] = {}   # key → its tab, the whole file


    # ------------------------------------------------------------------ start and stop

    async def on_startup(self, app: web.Application) -> None:
        try:
            await self.spawner.start()
        except Exception as error:   # no warm parent: every tab starts its own Python (slower)
            log.warning("could not start the warm session parent (%s); each tab will start a "
                        "fresh process instead", error)
            await self.spawner.close()
            self.spawner = ExecSpawner(self.spawner.config)
        self._watch_task = asyncio.create_task(self._watch_memory())
        self._refill()
        if self.announce is not None:
            self.announce()

    async def on_shutdown(self, app: web.Application) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
        spares, self.spares = self.spares, []
        await asyncio.gather(*(s.stop() for s in list(self.sessions.values()) + spares),
                             return_exceptions=True)
        await self.spawner.close()

    def initialize_logging(self) -> None:
        logging.basicConfig(level="WARNING", format="dltui serve: %(message)s")

    def serve(self, debug: bool = False) -> None:
        """textual-serve's run, on our own runner: requests time out after HEADER_TIMEOUT, the
        doorman counts connections per address, access and accept errors stay quiet."""
        self.debug = debug
        self.initialize_logging()
        raise_open_files_limit()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.set_exception_handler(self.doorman.loop_errors)
        try:
            loop.run_until_complete(self._serve_until_stopped())
        except KeyboardInterrupt:
            pass
        finally:
            loop.close()

    async def _serve_until_stopped(self) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None,
                               keepalive_timeout=HEADER_TIMEOUT)
        await runner.setup()
        self.doorman.watch(runner.server)
        try:
            await web.TCPSite(runner, self.host, self.port, backlog=1024).start()
            await stop.wait()
        finally:
            await runner.cleanup()

    # ------------------------------------------------------------------ the page

    def base_url(self, request: web.Request) -> str:
        """http(s)://host:port as the browser reached us (or --public-url): behind a reverse proxy,
        its X-Forwarded-Proto and X-Forwarded-Host (first value each, checked like Host)."""
        if self.fixed_public_url:
            return self.fixed_public_url
        scheme = _first(request.headers.get("X-Forwarded-Proto")).lower()
        scheme = scheme if scheme in ("http", "https") else request.scheme
        host = _first(request.headers.get("X-Forwarded-Host")) or request.host or ""
        host = host if _HOST.match(host) else f"127.0.0.1:{self.port}"
        return f"{scheme}://{host}"

    def full(self) -> bool:
        return len(self.sessions) + self.reserved >= self.limits.max_sessions

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full():
            return web.Response(status=503, content_type="text/html", charset="utf-8",
                                headers={"Retry-After": "30"}, text=full_page(self.limits.max_sessions))
        base = self.base_url(request)
        ws_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        context = {
            "font_size": max(8, min(40, to_int(request.query.get("fontsize", "16"), 16))),
            "app_websocket_url": f"{ws_base}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        import aiohttp_jinja2

        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, with /static/ serving files only (no folder listing)."""
        import aiohttp_jinja2
        import jinja2

        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([web.get("/", self.handle_index, name="index"),
                        web.get("/ws", self.handle_websocket, name="websocket"),
                        web.get("/download/{key}", self.handle_download, name="download"),
                        web.static("/static", self.statics_path, show_index=False, name="static")])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # ------------------------------------------------------------------ downloads

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """The whole file, fetched from its tab the first time it is asked for; again the same
        bytes; 410 once the tab is closed, 404 for a key never given."""
        key = request.match_info["key"]
        if key not in self.downloads:
            try:
                meta = await self.download_manager.get_download_metadata(key)
            except KeyError:
                raise web.HTTPNotFound(text="no such download")
            self.downloads[key] = (meta.app_service, asyncio.create_task(self._fetch(key, meta)))
        session, fetch = self.downloads[key]
        if session not in self.sessions.values():
            raise web.HTTPGone(text="this tab is closed; export again from a new one")
        try:
            body, headers = await asyncio.shield(fetch)
        except (ConnectionError, asyncio.TimeoutError, ValueError):
            self.downloads.pop(key, None)
            raise web.HTTPGone(text="this download did not arrive; export again")
        if session not in self.sessions.values():   # the tab closed midway: the file may be cut
            raise web.HTTPGone(text="this tab is closed; export again from a new one")
        return web.Response(body=body, headers=headers)

    async def _fetch(self, key: str, meta) -> tuple[bytes, dict[str, str]]:
        chunks = [chunk async for chunk in self.download_manager.download(key)]
        content_type = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding else "")
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        plain = re.sub(r"[^A-Za-z0-9._-]", "_", meta.file_name) or "download"
        return b"".join(chunks), {"Content-Type": content_type, "Content-Disposition":
                                  f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(meta.file_name)}"}

    def _forget_downloads(self, session: Session) -> None:
        for key in [k for k, (owner, _) in self.downloads.items() if owner is session]:
            _, fetch = self.downloads.pop(key)
            fetch.cancel()

    # ------------------------------------------------------------------ one tab

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        await websocket.prepare(request)
        if self.full():
            await websocket.send_bytes(terminal_notice(both("serve.full", n=self.limits.max_sessions)))
            await websocket.close()
            return websocket
        width, height = clamp_size(request.query.get("width"), request.query.get("height"), self.limits)
        self.reserved += 1
        session: Session | None = None
        try:
            try:
                session = await self._session_for(websocket, width, height)
            finally:
                self.reserved -= 1
                self._refill()
            await self._tell_language(session, request)
            session.last_input = time.monotonic()
            self.sessions[id(websocket)] = session
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a session that cannot start must not take the server down
            log.warning("session failed: %s", error)
        finally:
            self.sessions.pop(id(websocket), None)
            if session is not None:
                self._forget_downloads(session)
                await session.stop()
            if not websocket.closed:
                await websocket.close()
        return websocket

    async def _tell_language(self, session: Session, request: web.Request) -> None:
        """Without --lang, the tab's app speaks its browser's language (Accept-Language)."""
        lang = None if self.lang else browser_language(request.headers.get("Accept-Language"))
        if lang is not None:
            await session.send_meta({"type": LANGUAGE_META, "lang": lang})

    # ------------------------------------------------------------------ spares

    async def _session_for(self, websocket: web.WebSocketResponse, width: int, height: int) -> Session:
        """A spare (running, or still starting: the tab waits for it rather than starting one more
        process while the spare's start-up already takes the CPU), shown at the tab's size; a new
        session only when no spare is running or starting."""
        session = self._take_spare(websocket)
        if session is None and self.warming:
            session = self._wire(await self.warming.pop(0), websocket)
        if session is None:
            session = Session(self.command, spawner=self.spawner, write_bytes=websocket.send_bytes,
                              write_str=websocket.send_str, close=websocket.close,
                              download_manager=self.download_manager)
            await session.start(width, height)
            return session
        for packet in session.preamble:     # the terminal modes it set while parked
            await websocket.send_bytes(packet)
        if (width, height) == PARK_SIZE:   # the same size would not repaint
            await session.set_terminal_size(width + 1, height)
        await session.set_terminal_size(width, height)
        return session

    def _take_spare(self, websocket: web.WebSocketResponse) -> Session | None:
        """A running spare session, now wired to `websocket` (no await: no output is lost)."""
        while self.spares:
            session = self._wire(self.spares.pop(0), websocket)
            if session is not None:
                return session
        return None

    @staticmethod
    def _wire(session: Session | None, websocket: web.WebSocketResponse) -> Session | None:
        """A parked spare's output, from now on to `websocket` (None: it ended while parked)."""
        if session is None or session.parked_closed:
            return None
        session.remote_write_bytes = websocket.send_bytes
        session.remote_write_str = websocket.send_str
        session.remote_close = websocket.close
        return session

    def _refill(self) -> None:
        if self.limits.spares > 0 and (self._refilling is None or self._refilling.done()):
            self._refilling = asyncio.create_task(self._start_spares())

    async def _start_spares(self) -> None:
        """Keep `limits.spares` sessions started (at PARK_SIZE, their output set aside) while there
        is room for them under max_sessions. A spare is handed out once its app has drawn: a resize
        sent before its app runs would be lost, and the tab would stay at PARK_SIZE."""
        while (len(self.spares) < self.limits.spares
               and len(self.sessions) + self.reserved + len(self.spares) < self.limits.max_sessions):
            session = Session(self.command, spawner=self.spawner, write_bytes=_discard,
                              write_str=_discard, close=_nothing, download_manager=self.download_manager)
            session.park()
            promised = asyncio.get_running_loop().create_future()
            self.warming.append(promised)
            started = None
            try:
                await session.start(*PARK_SIZE)
                await asyncio.wait_for(session.warm.wait(), SPARE_WARM_TIMEOUT)
                started = session
            except Exception as error:
                log.warning("could not start a spare session: %s", error)
                session.kill()
            finally:   # a tab waiting for this spare is never left waiting
                self._settle(promised, started)
            if started is None:
                return

    def _settle(self, promised: asyncio.Future, session: Session | None) -> None:
        """A spare has started (or failed to): to the tab waiting for it, else among the spares."""
        if promised in self.warming:
            self.warming.remove(promised)
            if session is not None:
                self.spares.append(session)
        promised.set_result(session)

    async def _end(self, session: Session, reason: str) -> None:
        """Tell the tab why its session ends (before it does)."""
        session.ended_because = reason
        if reason == "idle":
            minutes = f"{self.limits.idle_seconds / 60:.1f}".removesuffix(".0")
            lines = both("serve.idle", minutes=minutes)
        else:
            lines = both("serve.memory", mb=self.limits.memory_bytes // 1_000_000)
        try:
            await asyncio.wait_for(session.remote_write_bytes(terminal_notice(lines)), SEND_TIMEOUT)
        except (ConnectionError, RuntimeError, asyncio.TimeoutError):
            pass

    async def _process_messages(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """textual-serve's message loop, with clamped sizes and the idle timeout."""
        idle = self.limits.idle_seconds
        greeted = False
        while True:
            timeout = None if not idle else max(0.05, session.last_input + idle - time.monotonic())
            if not greeted:
                timeout = GREETING_TIMEOUT if timeout is None else min(timeout, GREETING_TIMEOUT)
            try:
                message = await websocket.receive(timeout=timeout)
            except asyncio.TimeoutError:
                if not greeted:   # not a page: a silent socket gives its seat back
                    self.doorman.say("silent", f"closed tabs that said nothing for {GREETING_TIMEOUT:.0f} s")
                    return
                await self._end(session, "idle")
                return
            greeted = True
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                return
            if session.ended_because:        # the memory watch ended it
                return
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await session.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                session.last_input = time.monotonic()
                width, height = clamp_size(data.get("width"), data.get("height"), self.limits)
                await session.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    # ------------------------------------------------------------------ memory

    async def _watch_memory(self) -> None:
        cap = self.limits.memory_bytes
        if cap <= 0:
            return
        while True:
            await asyncio.sleep(WATCH_EVERY)
            for key, session in list(self.sessions.items()):
                pid = session.pid
                if pid is None or session.ended_because:
                    continue
                used = anonymous_memory(pid) - session.memory_at_start
                if used > cap:
                    log.warning("session %s used %d MB (cap %d MB): ended", pid, used >> 20, cap >> 20)
                    await self._end(session, "memory")
                    session.kill()   # its output ends, so Session.run closes the tab's websocket


PAGE = os.sysconf("SC_PAGE_SIZE")


async def _discard(_data) -> None:
    pass


async def _nothing() -> None:
    pass


def anonymous_memory(pid: int) -> int:
    """Bytes of anonymous memory resident in the process (resident minus file-backed and shared
    pages, from /proc/PID/statm: microseconds to read, where smaps_rollup takes milliseconds).
    A forked session starts with the warm parent's pages counted; what it adds is its own."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            fields = statm.read().split()
        return (int(fields[1]) - int(fields[2])) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def full_page(max_sessions: int) -> str:
    ko, en = (html.escape(text) for text in both("serve.full", n=max_sessions))
    retry_ko, retry_en = both("serve.retry")
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
<title>dltui</title>
<style>body{{background:#0c181f;color:#eee;font-family:sans-serif;display:flex;height:90vh;
align-items:center;justify-content:center}} main{{max-width:40em;line-height:1.6}}</style></head>
<body><main><h1>dltui</h1><p>{ko}</p><p lang="en">{en}</p>
<p>{retry_ko} / {retry_en}</p></main></body></html>
"""
