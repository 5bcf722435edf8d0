"""Cells laid out in columns as lines of Text: what a borderless rich Table shows, made once.

A rich Table measures and renders every cell again each time the screen paints it (17 ms a key
for the 60 parameter rows of abalone); lines of Text are one string each, which Textual draws
line by line. Columns are as wide as their widest cell or header, one space either side; when
that is wider than the space there is, the longest headers wrap (a number is never cut) and the
single-line headers sit on the header's last line, as rich's Table puts them.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

PAD = 1


def column_lines(headers: list[str], justify: list[str], rows: list[tuple[Text, ...]], width: int,
                 row_styles: list[str | None] | None = None, header_style: str = "bold") -> tuple[list[Text], int]:
    """The header's lines, then one line per row; and how many lines the header took."""
    n = len(headers)
    widest = [max((row[c].cell_len for row in rows), default=1) for c in range(n)]
    least = [max(w, *(cell_len(word) for word in h.split(" "))) for w, h in zip(widest, headers)]
    widths = [max(w, cell_len(h)) for w, h in zip(widest, headers)]
    room = width - 2 * PAD * n
    while sum(widths) > room:                     # narrow: the header widest beyond its cells wraps
        excess = [w - low for w, low in zip(widths, least)]
        column = max(range(n), key=lambda c: excess[c])
        if excess[column] <= 0:
            break
        widths[column] -= 1
    wrapped = [_wrap(header, w) for header, w in zip(headers, widths)]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for y in range(height):
        cells = [Text(parts[y - (height - len(parts))] if y >= height - len(parts) else "", style=header_style)
                 for parts in wrapped]
        lines.append(_line(cells, widths, justify, None))
    styles = row_styles or [None] * len(rows)
    lines += [_line(list(row), widths, justify, style) for row, style in zip(rows, styles)]
    return lines, height


def _line(cells: list[Text], widths: list[int], justify: list[str], style: str | None) -> Text:
    line = Text(style=style or "")
    for index, (cell, width, side) in enumerate(zip(cells, widths, justify)):
        gap = " " * max(0, width - cell.cell_len)
        line.append(" " * PAD)
        if side == "right":
            line.append(gap)
        line.append_text(cell)
        if side != "right":
            line.append(gap)
        if index < len(cells) - 1:
            line.append(" " * PAD)
    return line


def _wrap(words: str, width: int) -> list[str]:
    """`words` in lines of at most `width` cells, broken at spaces (a longer word stays whole)."""
    lines: list[str] = []
    for word in words.split(" "):
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
