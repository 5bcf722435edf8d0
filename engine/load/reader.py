"""Typed access to a parsed TOML table: every problem is one `ScenarioError` naming the key path.

Used by both scenario.py and dataset.py (and overrides.py), so neither imports the other's
internals.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from pathlib import Path
from typing import Any


class ScenarioError(ValueError):
    """A scenario file that cannot be used: one message naming file, key path and problem.

    `problem` is English (the CLI prints it). Problems a learner meets with real files also carry
    a `code` and its `values`, so the screen can say them in its own language
    (`dltui.words.input_errors`; the engine never imports words)."""

    def __init__(self, file: str | Path, key: str, problem: str, code: str = "",
                 values: dict[str, Any] | None = None):
        self.file = str(file)
        self.key = key
        self.problem = problem
        self.code = code
        self.values = values or {}
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + problem)


class Reader:
    """Typed access to a TOML table that raises `ScenarioError` with the full key path."""

    def __init__(self, file: Path, table: dict, prefix: str = ""):
        self.file, self.table, self.prefix = file, table, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def has(self, name: str) -> bool:
        return name in self.table

    def fail(self, name: str, problem: str, code: str = "", **values: Any) -> ScenarioError:
        return ScenarioError(self.file, self.key(name) if name else self.prefix, problem, code, values)

    def get(self, name: str, kinds: type | tuple, default: Any = ..., what: str = "") -> Any:
        if name not in self.table:
            if default is ...:
                raise self.fail(name, "is required but missing")
            return default
        value = self.table[name]
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            raise self.fail(name, f"must be {what or kind_name(kinds)}, not true/false")
        if not isinstance(value, kinds):
            raise self.fail(name, f"must be {what or kind_name(kinds)}, not {describe(value)}")
        return value

    def number(self, name: str, default: Any = ..., positive: bool = False) -> float:
        value = self.get(name, (int, float), default, "a number")
        if value is default:
            return value
        if isinstance(value, int) and abs(value) > MAX_FLOAT_INT:
            raise too_large_integer(self, name, value)
        if not math.isfinite(value):
            raise self.fail(name, f"must be a finite number, not {value}")
        if positive and value <= 0:
            raise self.fail(name, f"must be greater than 0, not {value}")
        return float(value)

    def choice(self, name: str, options: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(name, str, default, "a string")
        if value not in options:
            raise self.fail(name, f"unknown value {value!r}; expected one of: {', '.join(options)}")
        return value

    def sub(self, name: str, required: bool = True) -> "Reader":
        value = self.get(name, dict, ... if required else {}, "a table")
        return Reader(self.file, value, self.key(name))

    def check_known(self, known: set[str]) -> None:
        for name in self.table:
            if name not in known:
                raise self.fail(name, f"unknown key; expected one of: {', '.join(sorted(known))}")


MAX_FLOAT_INT = int(sys.float_info.max)   # a larger integer has no float: OverflowError


def too_large_integer(reader: "Reader", name: str, value: int) -> ScenarioError:
    digits = len(str(abs(value))) if abs(value).bit_length() < 14_000 else "thousands of"
    return reader.fail(name, f"is a whole number with {digits} digits, too large to be a number here "
                       f"(the largest is about 1.8e308)", "too_large_integer", digits=digits)


def kind_name(kinds: type | tuple) -> str:
    names = {int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a table", bool: "true or false"}
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def describe(value: Any) -> str:
    """A value for a message: its type and a short repr."""
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


class NotRegularFile(OSError):
    """A device, FIFO, socket or terminal where a file was expected: reading it could hang or
    never end (/dev/zero, /dev/stdin, a named pipe)."""


class FileTooLarge(OSError):
    """A file over the reader's cap; `size` is what its size says (or cap + 1 if it grew)."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"{size} bytes, more than {limit}")
        self.size, self.limit = size, limit


def read_capped(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file, never more than `limit`: a FIFO or device is refused at once
    (opened without blocking, checked on the open descriptor, so a swap after a check cannot
    slip one in), a file whose size says more than `limit` is refused before any read, and one
    that grows while being read stops at `limit` + 1 bytes."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(str(path))
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise FileTooLarge(total, limit)
    return b"".join(chunks)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"
