"""How a tab's process starts: forked from a warm parent (the default), or as a fresh Python.

Both give the server the same small process handle: pid, stdin (StreamWriter), stdout and stderr
(StreamReaders), wait(), kill() and close().
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time

from .session import WEB_ENVIRONMENT, SessionConfig

log = logging.getLogger("textual-serve")
READ_LIMIT = 1 << 22
WARM_TIMEOUT = 120.0


STDERR_KEPT = 64 * 1024     # textual-serve keeps a session's stderr in memory: only this much


class BoundedReader:
    """A session's stderr as textual-serve reads it: drained to the end, at most STDERR_KEPT kept."""

    def __init__(self, reader: asyncio.StreamReader):
        self.reader = reader
        self.kept = 0

    async def read(self, n: int = -1) -> bytes:
        while True:
            data = await self.reader.read(n)
            if not data or self.kept < STDERR_KEPT:
                self.kept += len(data)
                return data


class Spawner:
    def __init__(self, config: SessionConfig):
        self.config = config

    async def start(self) -> None:
        pass

    async def spawn(self, width: int, height: int):
        raise NotImplementedError

    async def close(self) -> None:
        pass


class ExecProcess:
    """An asyncio subprocess in its own process group."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.pid = process.pid
        self.stdin, self.stdout, self.stderr = process.stdin, process.stdout, BoundedReader(process.stderr)

    async def wait(self) -> int:
        return await self.process.wait()

    def kill(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        pass


class ExecSpawner(Spawner):
    """A fresh `python -m dltui.cli.serve.session` per tab (slow to start, ~250 MB each)."""

    async def spawn(self, width: int, height: int) -> ExecProcess:
        environment = dict(os.environ, **WEB_ENVIRONMENT, COLUMNS=str(width), ROWS=str(height))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "dltui.cli.serve.session", self.config.to_json(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environment, start_new_session=True, limit=READ_LIMIT)
        return ExecProcess(process)


class ForkedProcess:
    """A session forked by the zygote: not our child, so it is watched and signalled by pidfd."""

    def __init__(self, pid: int, stdin, stdout, stderr, transports):
        self.pid = pid
        self.stdin, self.stdout, self.stderr = stdin, stdout, BoundedReader(stderr)
        self._transports = transports
        self._pidfd = os.pidfd_open(pid)
        self._exited = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().add_reader(self._pidfd, self._on_exit)

    def _on_exit(self) -> None:
        asyncio.get_running_loop().remove_reader(self._pidfd)
        if not self._exited.done():
            self._exited.set_result(0)

    async def wait(self) -> int:
        return await asyncio.shield(self._exited)

    def kill(self) -> None:
        if self._pidfd >= 0 and not self._exited.done():
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        for transport in self._transports:
            transport.close()
        if self._pidfd >= 0:
            if not self._exited.done():
                asyncio.get_running_loop().remove_reader(self._pidfd)
                self._exited.set_result(-1)
            os.close(self._pidfd)
            self._pidfd = -1


class ForkSpawner(Spawner):
    """Asks the zygote (serve/zygote.py: torch, Textual and the app imported once) to fork a
    session; the session's stdin/stdout/stderr are pipes the server made and passed over."""

    def __init__(self, config: SessionConfig):
        super().__init__(config)
        self._zygote: subprocess.Popen | None = None
        self._socket: socket.socket | None = None
        self._lock = asyncio.Lock()       # one fork request at a time on the socket
        self._starting = asyncio.Lock()
        self.warm_seconds = 0.0

    async def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        environment = dict(os.environ, **WEB_ENVIRONMENT)
        started = time.monotonic()
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "dltui.cli.serve.zygote", str(theirs.fileno()), self.config.to_json()],
            pass_fds=(theirs.fileno(),), env=environment, stdin=subprocess.DEVNULL,
            start_new_session=True)
        theirs.close()
        ours.setblocking(False)
        self._socket = ours
        loop = asyncio.get_running_loop()
        reply = await asyncio.wait_for(loop.sock_recv(ours, 4096), WARM_TIMEOUT)
        if not reply:
            raise RuntimeError("the session parent (zygote) ended while warming up")
        self.warm_seconds = time.monotonic() - started
        self.threads = json.loads(reply).get("threads", 0)
        if self.threads != 1:   # forking a process with other threads can copy a held lock
            log.warning("the warm session parent has %d threads before forking", self.threads)

    async def spawn(self, width: int, height: int) -> ForkedProcess:
        async with self._starting:
            if self._zygote is None or self._zygote.poll() is not None:   # it died: a new one
                log.warning("the warm session parent ended; starting a new one")
                await self.close()
                await self.start()
        loop = asyncio.get_running_loop()
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            async with self._lock:
                request = json.dumps({"cols": width, "rows": height}).encode()
                socket.send_fds(self._socket, [request], [in_r, out_w, err_w])
                reply = await asyncio.wait_for(loop.sock_recv(self._socket, 4096), 10)
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
        if not reply:
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            raise RuntimeError("the session parent (zygote) ended")
        pid = json.loads(reply)["pid"]
        transports = []
        readers = []
        for fd in (out_r, err_r):
            reader = asyncio.StreamReader(limit=READ_LIMIT)
            transport, _ = await loop.connect_read_pipe(lambda r=reader: asyncio.StreamReaderProtocol(r),
                                                        os.fdopen(fd, "rb", 0))
            transports.append(transport)
            readers.append(reader)
        transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin,
                                                            os.fdopen(in_w, "wb", 0))
        transports.append(transport)
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        return ForkedProcess(pid, stdin, readers[0], readers[1], transports)

    async def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._zygote is not None and self._zygote.poll() is None:
            self._zygote.terminate()
            try:
                await asyncio.get_running_loop().run_in_executor(None, self._zygote.wait, 5)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
