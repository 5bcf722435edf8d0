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
    """A scenario file that cannot be used: the file, the key path as a person reads it (lists
    counted from 1), a `code` for what is wrong and its `values` (the bad value, the allowed
    ones, the file's line...). The engine never writes the sentence: the screen and the CLI say
    it in their language (`dltui.words.errors.scenario_error_text`); `str()` is for logs."""

    def __init__(self, file: str | Path, key: str, code: str, /, **values: Any):
        self.file = str(file)
        self.key = key
        self.code = code
        self.values = values
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(f"{where}{code} {values}" if values else where + code)

    def moved(self, file: str | Path, key: str) -> "ScenarioError":
        """The same problem said of another file or key (a run of a comparison, a --set)."""
        return ScenarioError(file, key, self.code, **self.values)


class Reader:
    """Typed access to a TOML table that raises `ScenarioError` with the full key path."""

    def __init__(self, file: Path, table: dict, prefix: str = ""):
        self.file, self.table, self.prefix = file, table, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def has(self, name: str) -> bool:
        return name in self.table

    def fail(self, name: str, code: str, /, **values: Any) -> ScenarioError:
        return ScenarioError(self.file, self.key(name) if name else self.prefix, code, **values)

    def get(self, name: str, kinds: type | tuple, default: Any = ..., what: str = "", **sizes: int) -> Any:
        """The value at `name`, of one of `kinds`; `what` names the expected kind when the types
        alone do not (a words code: "matrix", "names" ...), `sizes` its numbers (rows, cols)."""
        if name not in self.table:
            if default is ...:
                raise self.fail(name, "value.missing")
            return default
        value = self.table[name]
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            raise self.fail(name, "value.type", expected=what or kind_name(kinds), got=kind_of(value),
                            value=shown(value), **sizes)
        return value

    def number(self, name: str, default: Any = ..., positive: bool = False) -> float:
        value = self.get(name, (int, float), default, "number")
        if value is default:
            return value
        if isinstance(value, int) and abs(value) > MAX_FLOAT_INT:
            raise too_large_integer(self, name, value)
        if not math.isfinite(value):
            raise self.fail(name, "number.not_finite", value=shown(value))
        if positive and value <= 0:
            raise self.fail(name, "number.not_positive", value=shown(value))
        return float(value)

    def choice(self, name: str, options: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(name, str, default, "string")
        if value not in options:
            raise self.fail(name, "value.unknown", value=shown(value), allowed=tuple(options))
        return value

    def sub(self, name: str, required: bool = True) -> "Reader":
        value = self.get(name, dict, ... if required else {}, "table")
        return Reader(self.file, value, self.key(name))

    def check_known(self, known: set[str]) -> None:
        for name in self.table:
            if name not in known:
                raise self.fail(name, "key.unknown", allowed=tuple(sorted(known)))


MAX_FLOAT_INT = int(sys.float_info.max)   # a larger integer has no float: OverflowError


def too_large_integer(reader: "Reader", name: str, value: int) -> ScenarioError:
    bits = abs(value).bit_length()   # str() of a 4,300-digit integer raises: count from the bits
    digits = len(str(abs(value))) if bits < 14_000 else int((bits - 1) * math.log10(2)) + 1
    return reader.fail(name, "too_large_integer", digits=digits)


KINDS = {int: "integer", float: "number", str: "string", list: "list", dict: "table", bool: "boolean"}


def kind_name(kinds: tuple) -> str:
    """The expected kinds as words codes joined by '|' ("integer|number")."""
    return "|".join(KINDS.get(k, k.__name__) for k in kinds)


def kind_of(value: Any) -> str:
    """A TOML value's kind as a words code."""
    return next((name for kind, name in reversed(KINDS.items()) if isinstance(value, kind)), type(value).__name__)


def shown(value: Any) -> str:
    """A value as the file writes it, clipped for one line: the same in every language."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and not math.isfinite(value):
        text = "nan" if value != value else ("inf" if value > 0 else "-inf")
    else:
        text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


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
