"""A chart canvas of our own: braille lines, one-character markers and a box-drawn axis frame.

plotext's `build()` is slow pure Python (3 ms for a 60×12 chart; the loss view's two charts
were ≈ 20 ms of a key's 42 ms, issue 23); this draws the same picture with numpy in a tenth of
that. Numbers in (already finite, see plotting.finite_array), lines of styled pieces out (and a
rich Text whose spans carry each series' colour, so a legend can be checked against what was
drawn). A series drawn later covers the earlier ones' cells, as plotext did.
"""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.text import Text

from .palette import rgb

BRAILLE = 0x2800
# a braille cell is 2 dots wide and 4 high; BITS[column][row] is that dot's bit (dots 1-8)
BITS = np.array([[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]], dtype=np.uint8)
CELL_CHARS = np.array([" "] + [chr(BRAILLE + bits) for bits in range(1, 256)])
NO_MARK = ""
BOTTOM = {(False, False): "─", (True, False): "┬", (False, True): "┴", (True, True): "┼"}   # (x tick, vertical line)


def _nearest(positions: np.ndarray) -> np.ndarray:
    """The nearest whole position, halves rounded up (a tick halfway between two rows goes up, as
    plotext drew it; the margin keeps 1.4999999 from float rounding a half too)."""
    return np.floor(positions + 0.5 + 1e-9).astype(int)


def _scale(values, lim: tuple[float, float], steps: int) -> np.ndarray:
    """Positions in [0, steps − 1] for values in [lim[0], lim[1]] (outside: beyond those ends)."""
    low, high = lim
    high = high if high > low else low + 1.0   # a flat axis: its one value at the first position
    v = np.nan_to_num(np.asarray(values, dtype=float).reshape(-1), nan=low, posinf=high, neginf=low)
    return (v - low) / (high - low) * (steps - 1)


def _clip(x0, y0, x1, y1, width: float, height: float):
    """Liang–Barsky: the part of each segment inside [−0.5, width − 0.5] × [−0.5, height − 0.5],
    so a segment to a point far off the chart (1e30) still draws the part that shows."""
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = np.zeros_like(x0), np.ones_like(x0)
    keep = np.ones(x0.shape, dtype=bool)
    for p, q in ((-dx, x0 + 0.5), (dx, width - 0.5 - x0), (-dy, y0 + 0.5), (dy, height - 0.5 - y0)):
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        keep &= ~((p == 0) & (q < 0))
        t0 = np.where(p < 0, np.maximum(t0, r), t0)
        t1 = np.where(p > 0, np.minimum(t1, r), t1)
    keep &= t0 <= t1
    t0, t1 = t0[keep], t1[keep]
    x0, y0, dx, dy = x0[keep], y0[keep], dx[keep], dy[keep]
    return x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy


def _segment_samples(xs: np.ndarray, ys: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer grid positions along the polyline through (xs, ys), one per grid step, clipped."""
    if xs.size == 1:
        x0, y0, x1, y1 = xs, ys, xs, ys
    else:
        x0, y0, x1, y1 = xs[:-1], ys[:-1], xs[1:], ys[1:]
    x0, y0, x1, y1 = _clip(x0, y0, x1, y1, width, height)
    if not x0.size:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    counts = np.ceil(np.maximum(np.abs(x1 - x0), np.abs(y1 - y0))).astype(int) + 1
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    t = (np.arange(counts.sum()) - starts) / np.repeat(np.maximum(counts - 1, 1), counts)
    gx = _nearest(np.repeat(x0, counts) + t * np.repeat(x1 - x0, counts))
    gy = _nearest(np.repeat(y0, counts) + t * np.repeat(y1 - y0, counts))
    inside = (gx >= 0) & (gx < width) & (gy >= 0) & (gy < height)
    return gx[inside], gy[inside]


class Canvas:
    """`width` × `height` cells showing x in `x_lim` (left to right) and y in `y_lim` (bottom to top)."""

    def __init__(self, width: int, height: int, x_lim: tuple[float, float], y_lim: tuple[float, float]):
        self.width, self.height = max(1, width), max(1, height)
        self.x_lim, self.y_lim = x_lim, y_lim
        self.dots = np.zeros((self.height, self.width), dtype=np.uint8)
        self.marks = np.full((self.height, self.width), NO_MARK, dtype="<U1")
        self.owner = np.full((self.height, self.width), -1, dtype=np.int16)   # index into colours
        self.colours: list[tuple] = []
        self.vline_cols: set[int] = set()   # marked on the frame's edges too (┬ ┴), seen where covered

    def _series(self, colour: tuple) -> int:
        self.colours.append(colour)
        return len(self.colours) - 1

    def _cells(self, xs, ys, sub_x: int = 1, sub_y: int = 1, joined: bool = False):
        """Grid positions (at sub_x × sub_y per cell) of the points, or of the line through them."""
        w, h = self.width * sub_x, self.height * sub_y
        gx, gy = _scale(xs, self.x_lim, w), _scale(ys, self.y_lim, h)
        if joined:
            cols, rows = _segment_samples(gx, gy, w, h)
        else:
            inside = (gx > -0.5) & (gx < w - 0.5) & (gy > -0.5) & (gy < h - 0.5)
            cols, rows = _nearest(gx[inside]), _nearest(gy[inside])
        return cols, (h - 1) - rows   # screen rows count from the top

    def braille_line(self, xs, ys, colour: tuple) -> None:
        """A line of braille dots (2 × 4 a cell); where it crosses an earlier series it takes the cell."""
        dx, dy = self._cells(xs, ys, 2, 4, joined=True)
        rows, cols = dy // 4, dx // 2
        self.dots[rows, cols] = np.where(self.marks[rows, cols] == NO_MARK, self.dots[rows, cols], 0)
        np.bitwise_or.at(self.dots, (rows, cols), BITS[dx % 2, dy % 4])
        self.marks[rows, cols] = NO_MARK
        self.owner[rows, cols] = self._series(colour)

    def mark_line(self, xs, ys, glyph: str, colour: tuple) -> None:
        """A line drawn with one character a cell (a comparison's runs differ by more than colour)."""
        self._mark(*self._cells(xs, ys, joined=True), glyph, colour)

    def points(self, xs, ys, glyph: str, colour: tuple) -> None:
        self._mark(*self._cells(xs, ys), glyph, colour)

    def vline(self, x: float, glyph: str, colour: tuple) -> None:
        """A vertical line at `x` under everything else (the curve and the points stay whole)."""
        cols, _rows = self._cells([x], [self.y_lim[0]])
        for col in cols.tolist():
            self.vline_cols.add(col)
            rows = np.flatnonzero(self.owner[:, col] < 0)
            self._mark(np.full(rows.size, col), rows, glyph, colour)

    def _mark(self, cols, rows, glyph: str, colour: tuple) -> None:
        self.marks[rows, cols] = glyph
        self.dots[rows, cols] = 0
        self.owner[rows, cols] = self._series(colour)

    def rows(self) -> list[tuple[str, list[tuple[int, int, tuple]]]]:
        """Each row's characters and its coloured runs (start, end, colour)."""
        chars = np.where(self.marks == NO_MARK, CELL_CHARS[self.dots], self.marks)
        out = []
        for row_chars, owner in zip(chars.tolist(), self.owner):
            cuts = np.flatnonzero(np.diff(owner)) + 1
            starts, ends = np.concatenate([[0], cuts]), np.concatenate([cuts, [self.width]])
            runs = [(int(s), int(e), self.colours[owner[s]]) for s, e in zip(starts, ends) if owner[s] >= 0]
            out.append(("".join(row_chars), runs))
        return out


def tick_positions(ticks: list[float], lim: tuple[float, float], steps: int) -> list[int]:
    """The cell (column, or row from the bottom) of each tick."""
    return _nearest(_scale(ticks, lim, steps)).tolist() if ticks else []


Pieces = list[tuple[str, Style | None]]   # one line of a chart: its characters, in runs of one style


def framed_lines(canvas: Canvas, x_ticks: list[float], x_labels: list[str], y_ticks: list[float],
                 y_labels: list[str]) -> list[Pieces]:
    """The canvas in a box-drawn frame: y labels left of ┤ ticks, x labels under ┬ ticks (ASCII)."""
    width, height = canvas.width, canvas.height
    gutter = max((len(label) for label in y_labels), default=0)
    y_at = {}
    for row, label in zip(tick_positions(y_ticks, canvas.y_lim, height), y_labels):
        if 0 <= row < height:
            y_at.setdefault(height - 1 - row, label)
    x_at = {col: label for col, label in zip(tick_positions(x_ticks, canvas.x_lim, width), x_labels)
            if 0 <= col < width}
    edge = canvas.vline_cols
    top = "".join("┬" if col in edge else "─" for col in range(width))
    lines: list[Pieces] = [[(" " * gutter + "┌" + top + "┐", None)]]
    styles: dict[tuple, Style] = {}
    for index, (chars, runs) in enumerate(canvas.rows()):
        label = y_at.get(index)
        line: Pieces = [((label or "").rjust(gutter) + ("┤" if label is not None else "│"), None)]
        done = 0
        for start, end, colour in runs:
            if start > done:
                line.append((chars[done:start], None))
            style = styles.get(colour) or styles.setdefault(colour, Style(color=rgb(colour)))
            line.append((chars[start:end], style))
            done = end
        line.append((chars[done:] + "│", None))
        lines.append(line)
    bottom = "".join(BOTTOM[col in x_at, col in edge] for col in range(width))
    lines.append([(" " * gutter + "└" + bottom + "┘", None)])
    lines.append([(_x_label_row(x_at, gutter + 1, gutter + width + 1) + " ", None)])   # none under ┘
    return lines


def as_text(lines: list[Pieces]) -> Text:
    """The lines as one rich Text whose spans carry the series' colours (what a legend is checked against)."""
    text = Text(no_wrap=True, overflow="crop", end="")
    for index, line in enumerate(lines):
        if index:
            text.append("\n")
        for chars, style in line:
            text.append(chars, style)
    return text


def framed(canvas: Canvas, x_ticks: list[float], x_labels: list[str], y_ticks: list[float],
           y_labels: list[str]) -> Text:
    """`framed_lines` as one Text."""
    return as_text(framed_lines(canvas, x_ticks, x_labels, y_ticks, y_labels))


def _x_label_row(x_at: dict[int, str], left: int, total: int) -> str:
    """Labels centred under their ticks, kept inside the chart and a space apart (one that would
    touch the last one placed is left out)."""
    row = [" "] * total
    free = 0
    for col, label in sorted(x_at.items()):
        start = min(max(0, left + col - len(label) // 2), total - len(label))
        if start < free:
            continue
        row[start:start + len(label)] = label
        free = start + len(label) + 1
    return "".join(row)
