"""What the command prints is text, never terminal commands.

A title, a column name or a CSV cell can hold ESC, OSC or CSI sequences, a carriage return or a
backspace (written in the file as \\u001b ⋯). Printed raw they would retitle the window, clear
the screen or hide what came before. Every line `check`, `run` and `list` print, and every error,
goes through `plain`: C0 and C1 control characters (but newline and tab), DEL and the bidi
overrides that reorder what is shown are dropped.
"""

from __future__ import annotations

import re
from typing import IO

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    return _CONTROL.sub("", text)


class PlainWriter:
    """A text stream whose writes pass through `plain` (everything else is the stream's)."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(plain(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
