"""Long lines that wrap under their own indentation (issue 12): an explanation or autograd-tree
line too wide for its pane continues below its text, not at the pane's left edge, and a tree
line's continuation keeps the tree's vertical bars (`│`) so the tree still reads as a tree."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.text import Text

from dltui.engine import symbols

TREE = " │├└─┬"
EXTRA = 2          # continuation lines sit this much further in than the line's own text
MIN_ROOM = 12      # below this many cells for the text, wrap at the left edge as usual


class _Shaped:
    """A Text drawn in a shape of its own; it measures as the Text and `.plain` is its text."""

    def __init__(self, text: Text):
        self.text = text
        self.plain = text.plain

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


class Hanging(_Shaped):
    """A Text that wraps with a hanging indent (the lead's width + EXTRA)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text, width = self.text, options.max_width
        if text.cell_len <= width or "\n" in text.plain:
            yield text
            return
        plain = text.plain
        lead = len(plain) - len(plain.lstrip(TREE))
        indent = lead + EXTRA
        if width - indent < MIN_ROOM:
            yield text
            return
        # under a tree branch the bars go on: "├─ " continues as "│  ", "└─ " as "   "
        prefix = "".join("│" if c in "│├" else " " for c in plain[:lead]) + " " * EXTRA
        head = text[:lead]
        body = text[lead:]
        lines = body.wrap(console, width - indent)
        for number, line in enumerate(lines):
            out = head.copy() if number == 0 else Text(prefix, style="dim")
            out.append_text(line)
            yield out


def hang(renderable):
    """Texts (also inside a Group) as Hanging; anything else unchanged."""
    if isinstance(renderable, Text):
        if "\n" in renderable.plain:
            return Group(*(Hanging(line) for line in renderable.split("\n")))
        return Hanging(renderable)
    if isinstance(renderable, Group):
        return Group(*(hang(item) for item in renderable.renderables))
    return renderable


class HangingLines(Group):
    """Lines that each wrap with a hanging indent; `.plain` is their text, like a Text's."""

    def __init__(self, lines: list[Text]):
        super().__init__(*(Hanging(line) for line in lines))
        self.plain = "\n".join(line.plain for line in lines)


def cut(text: Text, width: int) -> Text:
    """`text` in at most `width` cells, ending in a narrow ⋯ where it was cut (Rich's own
    ellipsis, "…", is drawn two cells wide by Korean fonts and covers the pane's border). Spaces
    before the ⋯ go (Rich pads a Hangul syllable cut in half with one)."""
    if text.cell_len <= width:
        return text
    out = text.copy()
    out.truncate(max(0, width - 1), overflow="crop")
    out.rstrip()
    out.append(symbols.ELLIPSIS)
    return out


class OneLine(_Shaped):
    """A Text kept to one terminal row, cut at the pane's edge (`cut`)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield cut(self.text, options.max_width)
