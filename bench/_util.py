"""Shared helpers for the benchmarks: paths, medians, a pty-driven child process, table rows."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import termios
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
DLTUI = str(VENV_BIN / "dltui")
BENCH = Path(__file__).resolve().parent
COLS, ROWS = 120, 36


def median(values) -> float:
    return statistics.median(values)


@dataclass
class Row:
    """One line of the results table."""
    benchmark: str
    measured: str
    floor: str
    ratio: str
    target: str

    def show(self) -> str:
        return (f"{self.benchmark}: {self.measured}  |  floor/baseline: {self.floor}  |  "
                f"ratio: {self.ratio}  |  target: {self.target}")


def print_rows(rows: list[Row]) -> None:
    for row in rows:
        print(row.show())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


class PtyChild:
    """A process on the slave side of a fresh pty of COLS×ROWS; we read its screen output."""

    def __init__(self, argv: list[str], cols: int = COLS, rows: int = ROWS, env: dict | None = None):
        environment = dict(os.environ)
        environment.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)})
        environment.pop("TEXTUAL", None)
        if env:
            environment.update(env)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before the program looks at it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.chdir(ROOT)
                os.execve(argv[0], argv, environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.buffer = bytearray()
        self.last_read_at = self.started
        self.closed = False

    def read_some(self, timeout: float) -> bytes:
        """Whatever arrives within `timeout` seconds (b"" if nothing, or the child closed)."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed the pty
            self.closed = True
            return b""
        if not chunk:
            self.closed = True
            return b""
        self.last_read_at = time.perf_counter()
        self.buffer += chunk
        return chunk

    def wait_for(self, found, timeout: float = 30.0) -> float:
        """Read until `found(buffer)` is true; the perf_counter time of the chunk that made it so."""
        deadline = time.perf_counter() + timeout
        while not found(self.buffer):
            left = deadline - time.perf_counter()
            if self.closed:
                raise RuntimeError(f"the program exited; its screen ended with: {screen_tail(self.buffer)}")
            if left <= 0:
                raise TimeoutError(f"not seen within {timeout} s; screen ends with: {screen_tail(self.buffer)}")
            self.read_some(min(left, 0.5))
        return self.last_read_at

    def drain(self, quiet: float) -> float:
        """Read until no output for `quiet` seconds; the time the last byte arrived."""
        while self.read_some(quiet):
            pass
        return self.last_read_at

    def send(self, data: bytes) -> float:
        now = time.perf_counter()
        os.write(self.fd, data)
        return now

    def clear(self) -> None:
        self.buffer.clear()

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            while self.read_some(0.0):
                pass
        except OSError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


ANSI_RE = re.compile(rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|.)")


def screen_tail(buffer: bytes, chars: int = 240) -> str:
    """The last words of a screen's output, without escape codes or box drawing."""
    text = ANSI_RE.sub(b" ", bytes(buffer[-20000:])).decode("utf-8", "replace")
    text = re.sub(r"[\u2500-\u259f\s]+", " ", text).strip()
    return text[-chars:]


STEP_RE = re.compile(rb"step (\d+)")


def has_step(number: int):
    """Predicate: the buffer shows `step <number>` (exactly that number)."""
    def found(buffer: bytearray) -> bool:
        return any(int(m.group(1)) == number for m in STEP_RE.finditer(buffer))
    return found


def last_step(buffer: bytes) -> int | None:
    found = STEP_RE.findall(buffer)
    return int(found[-1]) if found else None
