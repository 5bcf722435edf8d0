"""A Static that repaints only when what it shows changed, and lays the screen out again only when
its height may have.

`Static.update()` lays out the whole screen by default (5‒6 ms a key on the main screen, more on a
long table), although a step changes numbers, not sizes. `show_content` paints in place and asks
for a layout only when the content's shape changed: a shape the caller knows (its lines), or else
the content measured at the widget's width (one render of this widget alone) against its height.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual.widgets import Static


def text_key(text: Text) -> tuple:
    """What a Text shows: its characters, its style and every span's (Text == Text ignores styles)."""
    return text.plain, str(text.style), tuple((s.start, s.end, str(s.style)) for s in text.spans)


def unwrapped_lines(content, width: int) -> int | None:
    """How many lines `content` (a Text or a Group of Texts) takes when none is wider than
    `width`: its height known without rendering it. None when one may wrap (or it is not text)."""
    parts = content.renderables if isinstance(content, Group) else [content]
    if not width or not all(isinstance(part, Text) for part in parts):
        return None
    lines = [line for part in parts for line in part.plain.split("\n")]
    return len(lines) if all(cell_len(line) <= width for line in lines) else None


class QuietStatic(Static):
    _shown_key: object = None
    _shown_shape: object = None

    def show_content(self, content, key: object = None, shape: object = None) -> None:
        """Show `content`; nothing at all when `key` (None: always draw) equals the last one's.
        `shape`: whatever fixes the height (its lines); None: measure the content."""
        if key is not None and key == self._shown_key:
            return
        self._shown_key = key
        width, height = self.content_size
        self.update(content, layout=False)
        if shape is not None:
            layout = shape != self._shown_shape or not width
            self._shown_shape = shape
        else:   # (a shape given next time is news: this height was measured, not named)
            self._shown_shape = None
            layout = not width or self.get_content_height(self.size, self.app.size, width) != height
        if layout:
            self.refresh(layout=True)


class Same:
    """A key part equal only to the very same object (a snapshot has no cheap equality)."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other) -> bool:
        return isinstance(other, Same) and other.obj is self.obj

    __hash__ = None
