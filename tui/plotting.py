"""The charts' common frame: sane numbers in, no crash out, and every word outside the plot.

A `Chart` draws only numbers and ASCII tick labels on its canvas (tui/canvas.py); its title,
legend and axis names are Textual text drawn above the plot (a Hangul character is two cells,
which the plot's columns need not know), and the legend lists exactly the series that were drawn
(`Chart.legend`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from dltui.engine import symbols
from dltui.engine.numbers import fmt
from .canvas import Canvas, as_text, framed_lines
from .i18n import t
from .palette import rgb

LIMIT = 1e30          # ticks and scales stay finite (1e300² overflows); a diverging run is still plainly huge
LOG_SPAN = 1e4        # a positive series spanning more than this ratio is drawn on a log scale
MIN_PLOT_ROWS = 5     # the caption wraps onto at most height − this many rows
VLINE = "│"           # a vertical line across the plot


def finite_array(values) -> np.ndarray:
    """Numbers a chart can draw: NaN / inf repeat the last finite point (0 before any); huge ones are clipped."""
    v = np.asarray(values, dtype=float).reshape(-1)
    finite = np.isfinite(v)
    if finite.all():
        return np.clip(v, -LIMIT, LIMIT)
    last = np.maximum.accumulate(np.where(finite, np.arange(v.size), -1))
    return np.where(last >= 0, np.clip(v[np.maximum(last, 0)], -LIMIT, LIMIT), 0.0)


def finite_points(values) -> list:
    """`finite_array` as a list."""
    return finite_array(values).tolist()


def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round, evenly spaced ticks from at or below `low` to at or above `high` (1-2-5 steps);
    whole numbers if `integer`. The axis then runs from the first tick to the last."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        high = low + (1.0 if integer else max(abs(low) * 0.1, 1e-6))
    raw = (high - low) / max(1, count - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    if integer:
        step = max(1.0, round(step))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, 12) for k in range(first, max(last, first + 1) + 1)][:50]


def tick_label(value: float) -> str:
    """Short ASCII: 0.25, 12, 1.5e+06 ‒ never a 31-digit number."""
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.2g}"
    return fmt(value, 4)


def tick_labels(ticks: list[float]) -> list[str]:
    """Labels for evenly spaced ticks: as few decimals as write every tick as it is (0.25 and
    0.75 as themselves, never "0.2" and "0.8"; 0.6925, 0.6950, ⋯ alike)."""
    if not ticks:
        return []
    if max(abs(v) for v in ticks) >= 1e5:
        return [tick_label(v) for v in ticks]
    for decimals in range(0, 10):
        labels = [f"{v:.{decimals}f}" for v in ticks]
        if all(abs(float(label) - v) <= 1e-9 * max(1.0, abs(v)) for label, v in zip(labels, ticks)):
            return ["0" if set(label) <= set("-0.") else label for label in labels]
    return [tick_label(v) for v in ticks]


def wants_log(values) -> bool:
    """A positive series spanning many orders of magnitude (a diverging loss) reads on a log scale."""
    v = np.asarray(values, dtype=float).reshape(-1)
    v = v[np.isfinite(v) & (v > 0)]
    return v.size >= 2 and float(v.max()) / float(v.min()) > LOG_SPAN


def log_values(values) -> list:
    """log10 of a loss series for a log-scaled axis (zeros and non-finite values held at the floor)."""
    v = np.asarray(values, dtype=float).reshape(-1)
    positive = v[np.isfinite(v) & (v > 0)]
    floor = float(positive.min()) if positive.size else 1.0
    v = np.where(np.isfinite(v), np.clip(v, floor, LIMIT), LIMIT)
    return np.log10(v).tolist()


@dataclass(frozen=True)
class LegendEntry:
    glyph: str          # what the plot shows: a marker, or "━" for a line
    colour: tuple       # (r, g, b), the same in the plot and the legend
    label: str
    marker: str         # the mark drawn ("braille" for lines)


def legend_drawn(body: Text, entry: LegendEntry) -> bool:
    """Whether `body` (a plot as drawn) shows `entry`: its glyph (any braille dot for a line) in its colour."""
    def matches(char: str) -> bool:
        if entry.marker == "braille":
            return 0x2800 < ord(char) <= 0x28FF
        return char == entry.glyph
    plain = body.plain
    for span in body.spans:
        style = span.style if not isinstance(span.style, str) else None
        colour = style.color if style is not None else None
        if colour is None or colour.triplet is None or tuple(colour.triplet) != tuple(entry.colour):
            continue
        if any(matches(c) for c in plain[span.start:span.end]):
            return True
    return False


class Chart(Widget):
    """A chart whose words are Textual text: `begin()`, draw with `line`/`points`, then `finish()`.

    The series are kept as given and drawn on our canvas (tui/canvas.py) at the widget's size,
    with the Line API: the lines are drawn once into strips, kept until the data or the size
    changes, and never ask for a layout. A chart that cannot draw says so instead of crashing."""

    COMPONENT_CLASSES = {"chart--plot"}
    DEFAULT_CSS = """
    Chart { width: 1fr; height: 1fr; }
    Chart > .chart--plot { background: $surface; color: $foreground; }   /* the plot on a panel of its own */
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.legend: list[LegendEntry] = []
        self.title = ""
        self.notes: list[str] = []     # axis names and scale notes, after the legend
        self.log_y = False
        self.y_top: float | None = None   # the y axis's top as drawn (after y_ticks)
        self.drawn: Text | None = None
        self.covered: list[LegendEntry] = []   # legend entries drawn over by later series
        self._series: list[tuple] = []         # (Canvas method name, its arguments), in drawing order
        self._axes: dict[str, tuple] = {}      # "x" / "y" → (limits, ticks, labels)
        self._strips: list[Strip] = []         # the chart's lines, drawn for `_strips_for`
        self._strips_for: tuple | None = None  # (size, base style, language)

    def begin(self, title: str = "") -> None:
        self._series, self._axes = [], {}
        self.legend, self.title, self.notes, self.log_y, self.y_top = [], title, [], False, None

    def line(self, xs, ys, colour: tuple, label: str | None = None) -> None:
        self.styled_line(xs, ys, colour, "braille", label)

    def styled_line(self, xs, ys, colour: tuple, mark: str, label: str | None = None) -> None:
        """A line of braille dots (`mark` "braille") or of one character, so runs differ by more than colour."""
        if len(xs) == 1:   # one point (step 0): a braille dot would be all but invisible
            self.points(xs, ys, symbols.TARGET if mark == "braille" else mark, colour, label)
            return
        if mark == "braille":
            self._series.append(("braille_line", finite_array(xs), finite_array(ys), colour))
        else:
            self._series.append(("mark_line", finite_array(xs), finite_array(ys), mark, colour))
        if label:
            self.legend.append(LegendEntry(symbols.LINE if mark == "braille" else mark, colour, label, mark))

    def points(self, xs, ys, glyph: str, colour: tuple, label: str | None = None) -> None:
        if not len(xs):
            return
        self._series.append(("points", finite_array(xs), finite_array(ys), glyph, colour))
        if label:
            self.legend.append(LegendEntry(glyph, colour, label, glyph))

    def vline(self, x: float, colour: tuple, label: str | None = None) -> None:
        """A vertical line across the plot at `x` (the 1-D landscape's optimum)."""
        self._series.append(("vline", float(finite_array([x])[0]), VLINE, colour))
        if label:
            self.legend.append(LegendEntry(VLINE, colour, label, VLINE))

    def x_ticks(self, low: float, high: float, integer: bool = False, count: int = 5) -> None:
        ticks = nice_ticks(low, high, count, integer)
        if ticks:
            self._axes["x"] = ((ticks[0], ticks[-1]), ticks, tick_labels(ticks))

    def y_ticks(self, low: float, high: float, integer: bool = False, count: int = 4) -> None:
        if self.log_y:   # the values are log10: ticks at whole powers of ten
            first, last = math.floor(low), math.ceil(high)
            if last == first:
                last += 1
            step = max(1, math.ceil((last - first) / max(1, count - 1)))
            ticks = list(range(first, last + 1, step))
            self._axes["y"] = ((ticks[0], ticks[-1]), ticks, [f"1e{k}" for k in ticks])
            self.y_top = float(ticks[-1])
            return
        count = max(2, min(count, (self.size.height - 2) // 2))   # one label every other row at most
        ticks = nice_ticks(low, high, count, integer)
        if ticks:
            self._axes["y"] = ((ticks[0], ticks[-1]), ticks, tick_labels(ticks))
            self.y_top = float(ticks[-1])

    def class_ticks(self, names: list[str], axis: str = "y") -> None:
        """A classification axis: class names at 0, 1, 2 ⋯ (ASCII names; others by number)."""
        labels = [n if n.isascii() else str(i) for i, n in enumerate(names)]
        self._axes[axis] = ((-0.5, len(names) - 0.5), list(range(len(names))), labels)
        if labels != list(names):
            self.notes.append(", ".join(f"{i}={n}" for i, n in enumerate(names)))

    def finish(self) -> None:
        self._strips_for = None
        self.refresh()

    def undrawn_legend(self) -> list[LegendEntry]:
        """Legend entries with nothing of their glyph and colour in the last drawing (should be none)."""
        if self.drawn is None:
            return list(self.legend)
        return [entry for entry in self.legend if not legend_drawn(self.drawn, entry)]

    def caption(self) -> Text:
        text = Text()
        if self.title:
            text.append(self.title, style="bold")
        for entry in self.legend:
            if text:
                text.append("  ")
            text.append(entry.glyph, style=Style(color=rgb(entry.colour), bold=True))
            text.append(f" {entry.label}")
            if entry in self.covered:
                text.append(f" ({t('pic.covered', getattr(self.app, 'lang', 'en'))})", style="dim")
        for note in self.notes:
            if text:
                text.append("  ")
            text.append(note, style="dim")
        return text

    def render_lines(self, crop):
        """Draw the strips (if the data, size or style changed) once per repaint, not per line:
        the widget's style costs a walk up the DOM."""
        style = self.rich_style
        key = (self.size, style, getattr(self.app, "lang", "en"))
        if self._strips_for != key:
            plot = style + self.get_component_rich_style("chart--plot")
            captions, body = self._draw(self.app.console, key[2])
            width = self.size.width
            self._strips = ([strip.apply_style(style).crop_extend(0, width, Style(bgcolor=style.bgcolor))
                             for strip in captions] +
                            [strip.apply_style(plot).crop_extend(0, width, Style(bgcolor=plot.bgcolor))
                             for strip in body])
            self._strips_for = key
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self._strips_for is None:   # asked outside a repaint (a test)
            self.render_lines(self.region.reset_offset)
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.size.width, self._strips_for[1])

    def _draw(self, console, lang: str) -> tuple[list[Strip], list[Strip]]:
        """The caption's strips and the plot's."""
        try:
            captions, body = self._lines()
        except (ArithmeticError, ValueError, IndexError) as exc:
            captions, body = [Text(t("chart.failed", lang, error=exc), style="dim italic")], []
        return ([Strip(line.render(console)).apply_style(console.get_style(line.style)) for line in captions],
                [Strip([Segment(chars, style) for chars, style in line]) for line in body])

    def _lines(self) -> tuple[list[Text], list]:
        """The caption's lines, then the plot's (the caption says which series are covered)."""
        width, height = self.size.width, self.size.height
        lines = self._caption_lines(width, height)
        body = self._body(width, max(1, height - len(lines)))
        covered = self.undrawn_legend()
        if covered != self.covered:   # drawn over by later points: the legend says so
            self.covered = covered
            longer = self._caption_lines(width, height)
            if len(longer) > len(lines):
                body = self._body(width, max(1, height - len(longer)))
            lines = longer
        return lines, body

    def _body(self, width: int, height: int) -> list:
        """The plot in `width` × `height` cells (frame and tick labels included), as lines of
        pieces; kept as a Text in `drawn`."""
        x_lim, x_ticks, x_labels = self._axes.get("x") or (self._data_lim(1), [], [])
        y_lim, y_ticks, y_labels = self._axes.get("y") or (self._data_lim(2), [], [])
        gutter = max((len(label) for label in y_labels), default=0)
        canvas = Canvas(width - gutter - 2, height - 3, x_lim, y_lim)
        for name, *args in self._series:
            getattr(canvas, name)(*args)
        lines = framed_lines(canvas, x_ticks, x_labels, y_ticks, y_labels)
        self.drawn = as_text(lines)
        return lines

    def _data_lim(self, index: int) -> tuple[float, float]:
        """An axis nobody set ticks for runs over the data (x: argument 1 of each series, y: 2)."""
        values = np.concatenate([series[index] for series in self._series if series[0] != "vline"] or [[0.0, 1.0]])
        low, high = float(values.min()), float(values.max())
        return (low - 0.5, high + 0.5) if high <= low else (low, high)

    def _caption_lines(self, width: int, height: int) -> list[Text]:
        caption = self.caption()
        lines = list(caption.wrap(self.app.console, width)) if caption and width > 0 else []
        return lines[: max(0, height - MIN_PLOT_ROWS)]
