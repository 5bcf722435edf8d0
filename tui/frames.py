"""Frames on their way to the widgets, and the heavy pictures computed from them.

The session (engine/session.py) answers every intent with an `engine.frame.Frame`. During play,
frames travel as `FrameReady` messages that Textual coalesces (`can_replace`): when the screen
falls behind, only the newest waiting frame is shown.

The heavy pictures (the views whose registry entry says `worker`) are computed from a frame in a
thread worker, one at a time, the newest request winning (`Asked`, `PictureReady`), unless the
last one came quickly enough to be drawn in the key's own frame (tui/view_area.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from dltui.engine.frame import Frame


class FrameReady(Message):
    """A frame from the play worker. A newer frame waiting behind this one replaces it."""

    def __init__(self, token: int, frame: Frame) -> None:
        super().__init__()
        self.token, self.frame = token, frame

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FrameReady)


@dataclass(frozen=True)
class Asked:
    """A picture asked for (engine.pictures.registry.PictureRequest), what the view shows it with
    when it arrives (tui.view_registry.Showing), and its place in the order pictures were asked."""
    request: Any
    showing: Any
    order: int = 0


class PictureReady(Message):
    """A picture from the worker, and the CPU seconds its computation took."""

    def __init__(self, asked: Asked, picture: Any, seconds: float) -> None:
        super().__init__()
        self.asked, self.picture, self.seconds = asked, picture, seconds
