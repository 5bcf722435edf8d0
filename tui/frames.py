"""Frames on their way to the widgets, and the heavy pictures computed from them.

The session (engine/session.py) answers every intent with an `engine.frame.Frame`. During play,
frames travel as `FrameReady` messages that Textual coalesces (`can_replace`): when the screen
falls behind, only the newest waiting frame is shown.

The heavy pictures (the views whose registry entry says `worker`) are computed from a frame in a
thread worker, one at a time, the newest request winning (`Asked`, `PictureReady`).
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
    """A picture asked of the worker (engine.pictures.registry.PictureRequest) and what the view
    shows it with when it arrives (tui.view_registry.Showing)."""
    request: Any
    showing: Any


class PictureReady(Message):
    def __init__(self, asked: Asked, picture: Any) -> None:
        super().__init__()
        self.asked, self.picture = asked, picture
