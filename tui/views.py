"""The picture views (issue 5): loss landscapes, decision boundary, activations, hidden space,
network diagram and paint mixing. Each draws what an engine function computed; none computes
a loss or an output itself."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.console import Group
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from dltui.engine import symbols
from dltui.engine.numbers import fmt, fmt_loss
from .i18n import t
from . import palette
from .palette import rgb
from .wrap import OneLine, cut
from .plotting import Chart, finite_points, log_values, tick_labels, wants_log

# Heat-map ramp: viridis (R's viridisLite::viridis(10)), dark purple (low loss) → blue → green →
# yellow: perceptually even steps, readable under colour blindness, and its darkest steps stay
# apart where the minimum lies. No red: red means "went wrong".
RAMP = [(0x44, 0x01, 0x54), (0x48, 0x28, 0x78), (0x3E, 0x4A, 0x89), (0x31, 0x68, 0x8E), (0x26, 0x82, 0x8E),
        (0x1F, 0x9E, 0x89), (0x35, 0xB7, 0x79), (0x6D, 0xCD, 0x59), (0xB4, 0xDE, 0x2C), (0xFD, 0xE7, 0x25)]
FLAT = 1e-2   # a grid whose losses differ by less than 1 % of their size is shown as flat (dark, captioned)
MARK_RANK = {symbols.NOW: 0, symbols.OPTIMUM: 1}   # two marks share a character cell: "now" wins, then the optimum
DIM = Style(dim=True)
UP_AXIS = "↑ "      # the y axis name on a heat map (an arrow is always followed by a space)
GUTTER_MAX = 10   # the widest y label tick_label writes ("-9.3e+151") plus a space


@lru_cache(maxsize=64)
def _ramp_level(index: int) -> Color:
    return Color.from_rgb(*RAMP[index])


LEVELS = 48  # confidence steps of the boundary: smooth, few enough to reuse styles frame to frame


def _blend(a: tuple, b: tuple, f: float) -> Color:
    f = 0.0 if not math.isfinite(f) else min(1.0, max(0.0, f))
    return _blend_level(a, b, round(f * LEVELS))


@lru_cache(maxsize=4096)
def _blend_level(a: tuple, b: tuple, level: int) -> Color:
    f = level / LEVELS
    return Color.from_rgb(*(round(x + (y - x) * f) for x, y in zip(a, b)))


@lru_cache(maxsize=8192)
def _cell_style(top: Color, bottom: Color | None) -> Style:
    return Style(color=top, bgcolor=bottom)


def shade(values: np.ndarray) -> np.ndarray:
    """Display levels in [0, 1] for a loss grid: log-spaced so valleys show their shape. A flat
    grid (`is_flat`) keeps to the dark end instead of being stretched to full contrast."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    low, high = values[finite].min(), values[finite].max()
    span = max(high - low, FLAT * max(abs(high), abs(low)), 1e-12)
    levels = np.log1p(np.clip(values - low, 0, None)) / np.log1p(span)
    return np.where(finite, levels, 1.0)


def is_flat(low: float, high: float) -> bool:
    return high - low < FLAT * max(abs(high), abs(low))


def contrast_ink(background: Color) -> str:
    r, g, b = background.get_truecolor()
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "white"


class Heatmap(Widget):
    """A grid drawn with half blocks (two grid rows per line) and marker glyphs on top.

    The y gutter is as wide as its widest label; every line is one terminal row (no wrapping),
    so the grid keeps its shape whatever the caption says. Drawn with the Line API: each line is
    rendered once into a strip for the widget's width, a new picture that looks the same as the
    last one repaints nothing, and no picture ever asks for a layout pass (the size is the area's)."""

    DEFAULT_CSS = "Heatmap { height: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list = []                # the picture, a terminal row each: a Text or grid segments
        self._strips: list[Strip] = []       # and rendered for `_strips_width` cells
        self._strips_for = None              # (width, base style) they were rendered for

    def draw(self, colours: list[list[Color]], markers: dict[tuple[int, int], Style | tuple],
             caption: Text | list[Text], x_axis: str, y_axis: tuple[str, str], y_name: str = "",
             key: Text | None = None) -> None:
        ny, nx = len(colours), len(colours[0]) if colours else 0
        gutter = max(cell_len(y_axis[0]), cell_len(y_axis[1]), cell_len(y_name) + 1) + 1
        lines = []
        drawn: set[str] = set()   # the marks that made it onto the grid
        n_lines = (ny + 1) // 2
        for line in range(n_lines):
            top_row, bottom_row = ny - 1 - 2 * line, ny - 2 - 2 * line   # screen top = highest y
            if line == 0:
                label = y_axis[0]
            elif line == n_lines - 1:
                label = y_axis[1]
            else:
                label = f"{UP_AXIS}{y_name}" if line == n_lines // 2 else ""
            base = DIM if label.startswith(UP_AXIS) else None   # the axis name's row is dim under its cells too
            cells = [Segment(" " * max(0, gutter - 1 - cell_len(label)) + label + " ", base)]
            for col in range(nx):
                top = colours[top_row][col]
                bottom = colours[bottom_row][col] if bottom_row >= 0 else None
                marks = [m for m in (markers.get((col, top_row)),
                                     markers.get((col, bottom_row)) if bottom_row >= 0 else None) if m]
                mark = min(marks, key=lambda m: MARK_RANK.get(m[0], 9)) if marks else None   # now over the path
                if mark:
                    glyph, style = mark
                    drawn.add(glyph)
                    if not isinstance(style, Style):
                        style = Style(color=style, bgcolor=top, bold=True)
                    cells.append(Segment(glyph, style if base is None else base + style))
                else:
                    style = _cell_style(top, bottom)
                    cells.append(Segment("▀", style if base is None else base + style))
            lines.append(tuple(cells))   # segments, not a Text: nothing to parse or measure again
        lines.append(Text(" " * gutter + x_axis, style="dim"))
        if callable(caption):   # a caption that names only what was drawn
            caption = caption(drawn)
        lines[:0] = caption if isinstance(caption, list) else [caption]
        if key is not None:
            lines.append(key)
        self.show_lines(lines)

    def show_lines(self, lines: list[Text]) -> None:
        """Repaint (never lay out) when the lines differ from those on screen."""
        if lines == self.lines:
            return
        self.lines, self._strips_for = lines, None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.rich_style
        if self._strips_for != (width, style):
            console = self.app.console
            pad = Style(bgcolor=style.bgcolor)
            self._strips = [(Strip(cut(line, width).render(console))
                             .apply_style(style + console.get_style(line.style))   # a Text's own style is its base
                             if isinstance(line, Text) else _cut_row(line, width).apply_style(style))
                            .crop_extend(0, width, pad) for line in self.lines]
            self._strips_for = (width, style)
        return self._strips[y] if y < len(self._strips) else Strip.blank(width, style)


def _cut_row(segments: tuple, width: int) -> Strip:
    """A grid row in at most `width` cells, ending in ⋯ (in its gutter's style) where cut, as `cut` does."""
    strip = Strip(segments)
    if strip.cell_length <= width:
        return strip
    return Strip.join([strip.crop(0, max(0, width - 1)), Strip([Segment(symbols.ELLIPSIS, segments[0].style)])])


def _one_row(text: Text) -> OneLine:
    text.no_wrap = True
    return OneLine(text)


def grid_index(axis: np.ndarray, value: float) -> int | None:
    """The grid column (or row) nearest to `value`, None when outside the axis."""
    if not math.isfinite(value) or len(axis) < 2 or not axis[0] <= value <= axis[-1]:
        return None
    return int(round((value - axis[0]) / (axis[-1] - axis[0]) * (len(axis) - 1)))


def rounded(value: float) -> str:
    """An axis end as a person would write it: three significant digits (18.5, not 18.5004)."""
    return "0" if value == 0 else f"{value:.3g}"


def axis_text(axis: np.ndarray, width: int, name: str) -> str:
    left, right = rounded(axis[0]), rounded(axis[-1])
    middle = f" {name} -> "
    gap = max(1, width - len(left) - len(right) - cell_len(middle))
    return left + " " * (gap // 2) + middle + " " * (gap - gap // 2) + right


def scale_key(low: float, high: float, lang: str) -> Text:
    """The heat map's colour scale: the loss at the dark end, the ramp, the loss at the bright end;
    "log scale" only where the log spacing bends it (a range over 1), and a flat grid says so."""
    low_text, high_text = rounded(low), rounded(high)
    if low_text == high_text and high > low:    # a flat range: as many decimals as tell its ends apart
        low_text, high_text = tick_labels([low, high])
    text = Text(f"{low_text} ")
    for index in range(len(RAMP)):
        text.append("█", Style(color=_ramp_level(index)))
    text.append(f" {high_text}  ")
    text.append(f"{t('pic.scale', lang)}{' (' + t('pic.log', lang) + ')' if high - low > 1 else ''}", style="dim")
    if is_flat(low, high):
        text.append(f"  {t('pic.flat', lang)}", style="bold")
    return text


class Landscape2DView(Heatmap):
    def show(self, landscape, optimum: tuple[float, float] | None, lang: str, optimum_label: str | None = None,
             others: list = ()) -> None:
        """`others`: a comparison's other runs as (number, label, xs, ys), drawn as their number."""
        steps = np.rint(shade(landscape.losses) * (len(RAMP) - 1)).astype(int).tolist()   # shade: in [0, 1]
        colours = [[_ramp_level(step) for step in row] for row in steps]
        markers: dict = {}
        if landscape.path is not None:
            for x, y in zip(landscape.path.xs.tolist(), landscape.path.ys.tolist()):
                at = (grid_index(landscape.xs, x), grid_index(landscape.ys, y))
                if None not in at:   # the path's dot in the ink that shows on its cell
                    cell = colours[at[1]][at[0]]
                    markers[at] = (symbols.PATH, Style(color=contrast_ink(cell), bgcolor=cell, bold=True))
        for number, _label, xs, ys in others:
            for x, y in zip(np.asarray(xs).tolist(), np.asarray(ys).tolist()):
                at = (grid_index(landscape.xs, x), grid_index(landscape.ys, y))
                if None not in at and at not in markers:
                    cell = colours[at[1]][at[0]]
                    markers[at] = (str(number), Style(color=rgb(palette.run_colour(number - 1)), bgcolor=cell,
                                                      bold=True))
        if optimum is not None:
            at = (grid_index(landscape.xs, optimum[0]), grid_index(landscape.ys, optimum[1]))
            if None not in at:
                markers[at] = (symbols.OPTIMUM, rgb(palette.OPTIMUM))
        at = (grid_index(landscape.xs, landscape.current[0]), grid_index(landscape.ys, landscape.current[1]))
        if None not in at:
            markers[at] = (symbols.NOW, rgb(palette.NOW))
        def caption(drawn: set[str]) -> Text:
            text = Text()
            for glyph, colour, words in ((symbols.NOW, rgb(palette.NOW), f"{t('view.now', lang)} {fmt_loss(landscape.current_loss)}"),
                                         (symbols.PATH, None, t("view.path", lang)),
                                         (symbols.OPTIMUM, rgb(palette.OPTIMUM), optimum_label or t("pic.least_squares", lang))):
                if glyph in drawn:
                    text.append(glyph, Style(color=colour, bold=True))
                    text.append(f" {words}  ")
            if symbols.NOW not in drawn:
                text.append(f"{t('view.now', lang)} {fmt_loss(landscape.current_loss)}")
            for number, label, _xs, _ys in others:   # a comparison's other runs, as drawn
                if str(number) in drawn:
                    text.append(f"{number} {label}  ", style=Style(color=rgb(palette.run_colour(number - 1)), bold=True))
            return text

        finite = landscape.losses[np.isfinite(landscape.losses)]
        key = scale_key(float(finite.min()), float(finite.max()), lang) if finite.size else None
        self.draw(colours, markers, caption, axis_text(landscape.xs, len(landscape.xs), landscape.label_x),
                  (rounded(landscape.ys[-1]), rounded(landscape.ys[0])), landscape.label_y, key)


BINARY_REGIONS = [((120, 120, 120), (235, 235, 235)), ((120, 120, 120), (25, 25, 25))]  # unsure → sure


class BoundaryView(Heatmap):
    """The model's class over the input plane (colour), the data on it (shape = the true class),
    a point the model gets wrong on red."""

    def show(self, grid, lang: str) -> None:
        names = list(grid.class_names or ("0", "1"))
        binary = _lecture_binary(names)
        class_colours = palette.class_colours(len(names), binary)
        colours = []
        for cls_row, val_row in zip(grid.classes.tolist(), grid.values.tolist()):
            row = []
            for cls, value in zip(cls_row, val_row):
                strength = grid.decision.strength(value, grid.threshold)
                cls = int(cls)
                if binary:
                    unsure, sure = BINARY_REGIONS[cls % 2]
                    row.append(_blend(unsure, sure, min(1.0, strength)))
                else:
                    row.append(_blend((30, 30, 30), class_colours[cls % len(class_colours)],
                                      0.35 + 0.65 * min(1.0, strength)))
            colours.append(row)
        markers: dict = {}
        wrong_seen = False
        test_seen = len(grid.test.classes) > 0
        for points, test in ((grid.test, True), (grid.train, False)):
            for x1, x2, cls in zip(points.x1.tolist(), points.x2.tolist(), points.classes.tolist()):
                at = (grid_index(grid.xs, x1), grid_index(grid.ys, x2))
                if None in at:
                    continue
                cls = int(cls)
                cell = colours[at[1]][at[0]]
                wrong = int(grid.classes[at[1], at[0]]) != cls
                wrong_seen |= wrong
                style = (Style(color="white", bgcolor=rgb(palette.WRONG), bold=True) if wrong
                         else Style(color=contrast_ink(cell), bgcolor=cell, bold=True))
                markers[at] = (_point_glyph(cls, len(names), binary, test), style)
        caption = Text()
        for cls, name in enumerate(names):
            swatch = _blend(*BINARY_REGIONS[cls % 2], 1.0) if binary else rgb(class_colours[cls % len(class_colours)])
            caption.append(f" {_point_glyph(cls, len(names), binary, False)} ",
                           Style(color=contrast_ink(swatch), bgcolor=swatch, bold=True))
            caption.append(f" {name}  ")
        if test_seen:
            caption.append(f"{t('pic.test', lang)}: {_point_glyph(0, len(names), binary, True)}  ", style="dim")
        if wrong_seen:
            caption.append(" ! ", Style(color="white", bgcolor=rgb(palette.WRONG), bold=True))
            caption.append(f" {t('pic.wrong', lang)}")
        caption = [caption, Text(t("pic.boundary", lang), style="dim")]
        self.draw(colours, markers, caption, axis_text(grid.xs, len(grid.xs), grid.feature_names[0]),
                  (rounded(grid.ys[-1]), rounded(grid.ys[0])), grid.feature_names[1])


def _lecture_binary(names: list[str]) -> bool:
    """XOR and the perceptrons: two classes named 0 and 1 draw as the lecture does."""
    return list(names) == ["0", "1"]


def _point_glyph(cls: int, n_classes: int, binary: bool, test: bool) -> str:
    if binary:
        return (symbols.BINARY_TEST_MARKERS if test else symbols.BINARY_MARKERS)[cls % 2]
    return palette.class_marker(cls, test)


class Landscape1DView(Chart):
    def show(self, landscape, optimum_x: float | None, lang: str, optimum_label: str | None = None) -> None:
        self.begin(t("pic.landscape1d", lang, p=landscape.label, loss=fmt_loss(landscape.current_loss)))
        path_losses = landscape.path.slice_losses if landscape.path is not None else np.zeros(0)
        self.log_y = wants_log(np.concatenate([np.asarray(landscape.losses, float).reshape(-1),
                                               np.asarray(path_losses, float).reshape(-1)]))
        y = log_values if self.log_y else (lambda v: finite_points(v))
        curve = y(landscape.losses)
        self.line(landscape.xs, curve, palette.CURVE, t("loss", lang))
        if landscape.path is not None and len(landscape.path.xs):
            self.points(landscape.path.xs, y(path_losses), symbols.PATH, palette.PATH, t("view.path", lang))
        now = y(np.concatenate([np.asarray(landscape.losses, float).reshape(-1), [landscape.current_loss]]))[-1:]
        self.points([landscape.current_x], now, symbols.NOW, palette.NOW, t("view.now", lang))
        if optimum_x is not None and landscape.xs[0] <= optimum_x <= landscape.xs[-1]:
            self.vline(optimum_x, palette.OPTIMUM, optimum_label or t("pic.least_squares", lang))
        self.x_ticks(float(landscape.xs[0]), float(landscape.xs[-1]))
        finite = [v for v in curve + now if math.isfinite(v)]
        if finite:
            self.y_ticks(min(finite), max(finite))
        if self.log_y:
            self.notes.append(t("pic.log_y", lang))
        self.finish()


class ActivationView(Chart):
    def show(self, points, lang: str) -> None:
        self.begin()
        if not points.has_curve:   # softmax: each a depends on the whole row's z
            self.title = t("view.activation.softmax", lang, layer=points.layer + 1)
        else:
            zs, curve = points.curve(80)
            self.title = t("pic.activation", lang, layer=points.layer + 1, act=points.activation)
            self.line(zs, curve, palette.CURVE, points.activation)
        self.points(np.asarray(points.z).reshape(-1), np.asarray(points.a).reshape(-1), symbols.TARGET, palette.NOW,
                    t("pic.rows_za", lang))
        self.x_ticks(*points.z_range)
        a = np.asarray(points.a, float)
        a = a[np.isfinite(a)]
        if points.has_curve:
            a = np.concatenate([a, np.asarray(points.curve(80)[1], float)])
        a = a[np.isfinite(a)]
        if a.size:
            self.y_ticks(float(a.min()), float(a.max()))
        self.notes.append(t("pic.axes", lang, x="z", y="a"))
        self.finish()


class HiddenSpaceView(Chart):
    def show(self, space, lang: str, class_names: tuple[str, ...] = ()) -> None:
        self.begin(t("pic.hidden", lang))
        classes = sorted(set(int(c) for c in space.classes.tolist()))
        names = list(class_names) or [str(c) for c in range(max(max(classes, default=1), 1) + 1)]
        binary = _lecture_binary(names)
        colours = palette.class_colours(len(names), lecture_binary=binary)
        for cls in classes:
            rows = space.classes == cls
            glyph = _class_glyph(cls, len(names), binary)
            colour = _visible(colours[cls % len(colours)])
            self.points(space.h[rows, 0], space.h[rows, 1], glyph, colour,
                        names[cls] if cls < len(names) else str(cls))
        if space.line is not None:
            (x1, y1), (x2, y2) = space.line
            self.line([x1, x2], [y1, y2], palette.OPTIMUM, t("pic.line", lang))
        self.x_ticks(*finite_points(space.x_range))
        self.y_ticks(*finite_points(space.y_range))
        self.notes.append(t("pic.axes", lang, x="h1", y="h2"))
        self.finish()


def _class_glyph(cls: int, n_classes: int, lecture_binary: bool) -> str:
    """The lecture's ◦ (0, white) and ◼ (1, black) for binary problems; one shape per class otherwise."""
    if lecture_binary and n_classes <= 2:
        return symbols.BINARY_MARKERS[cls % 2]
    return palette.class_marker(cls)


def _visible(colour: tuple) -> tuple:
    """On the chart's dark background black would vanish: the lecture's black point is drawn
    as a filled ◼ in light grey, the white one as a hollow ◦ ‒ the shape carries the class."""
    return (200, 200, 200) if colour == palette.LECTURE_BINARY[1] else colour


EDGE_GLYPHS = ("┄┄", "──", "━━", "██")   # |w| / largest |w|: < ¼, < ½, < ¾, the rest
MAX_NODES = 12                           # per column; the rest are counted


def edge_glyph(magnitude: float) -> str:
    if not math.isfinite(magnitude):
        return "??"
    return EDGE_GLYPHS[min(len(EDGE_GLYPHS) - 1, int(magnitude * len(EDGE_GLYPHS)))]


class NetworkView(Static):
    """TensorFlow Playground's picture in text: columns of neurons (◦ with its bias b), and
    between two columns each connection as a short line ‒ blue +, orange −, heavier for larger
    |w|. Row i of the block beside a neuron holds its connections to the next column's neurons
    1, 2, ⋯ in order. `n` adds the weights' values and each neuron's output for row 1."""

    def show(self, layout, show_values: bool, lang: str) -> None:
        by_id = {node.id: node for node in layout.nodes}
        edges = {(e.source, e.target): e for e in layout.edges}
        blocks: list = [Text(t("pic.network", lang), style="italic dim")]
        columns = [list(column[:MAX_NODES]) for column in layout.columns]
        header = Text()
        cells: list[list[Text]] = []    # per column of the drawing: node texts, then edge blocks
        for k, column in enumerate(columns):
            nodes = [_node_text(by_id[i], show_values) for i in column]
            if len(layout.columns[k]) > len(column):
                nodes.append(Text(f"{symbols.ELLIPSIS} +{len(layout.columns[k]) - len(column)}", style="dim"))
            cells.append(nodes)
            if k + 1 < len(columns):
                targets = columns[k + 1]
                block = []
                for source in column:
                    line = Text()
                    for target in targets:
                        edge = edges.get((source, target))
                        line.append_text(_edge_text(edge, show_values))
                        line.append(" ")
                    block.append(line)
                cells.append(block)
        titles = [t("pic.inputs", lang)] + [f"L{k} {by_id[columns[k][0]].activation}" if columns[k] else ""
                                             for k in range(1, len(columns))]
        widths = [max([c.cell_len for c in column] + ([cell_len(titles[i // 2])] if i % 2 == 0 else []))
                  for i, column in enumerate(cells)]
        for k, title in enumerate(titles):   # a title over each neuron column, none over edge blocks
            position = 2 * k
            header.append(title + " " * (widths[position] - cell_len(title) + 1), style="bold")
            if position + 1 < len(widths):   # over an edge block: the next column's neuron numbers
                numbers = "".join(f"{j + 1:<{cell_len(edge_glyph(0)) + 1 + (6 if show_values else 0)}}"
                                  for j in range(len(columns[k + 1])))
                header.append(numbers[: widths[position + 1]].ljust(widths[position + 1] + 1), style="dim")
        blocks.append(_one_row(header))
        for r in range(max(len(column) for column in cells)):
            line = Text()
            for width, column in zip(widths, cells):
                cell = column[r] if r < len(column) else Text("")
                line.append_text(cell)
                line.append(" " * (width - cell.cell_len + 1))
            blocks.append(_one_row(line))
        self.update(Group(*blocks), layout=False)   # the area's size, whatever the numbers say


def _node_text(node, show_values: bool) -> Text:
    text = Text(f"{symbols.NEURON} ", style="bold")
    text.append(node.label, style="cyan")
    if node.bias is not None and math.isfinite(node.bias):
        colour = rgb(palette.POSITIVE if node.bias >= 0 else palette.NEGATIVE)
        text.append(f" b{node.bias:+.2f}", style=Style(color=colour))
    elif node.bias is not None:
        text.append(" b?", style=Style(color=rgb(palette.WRONG)))
    if show_values and node.value is not None:
        text.append(f" ={fmt(node.value, 3)}", style="dim")
    return text


def _edge_text(edge, show_values: bool) -> Text:
    if edge is None:
        return Text("  ")
    colour = rgb(palette.POSITIVE if edge.sign >= 0 else palette.NEGATIVE)
    if not math.isfinite(edge.weight):
        colour = rgb(palette.WRONG)
    text = Text(edge_glyph(edge.magnitude), style=Style(color=colour))
    if show_values:
        text.append(f"{fmt(edge.weight, 2):>6}", style=Style(color=colour))
    return text


class PaintView(Static):
    """The wanted colour beside the current mix, and each paint with its ratio. R/G/B are the
    three rows (one colour channel each)."""

    SWATCH = 12   # cells

    def show(self, scenario, snapshot, lang: str) -> None:
        rows = snapshot.predictions[:3, 0].tolist()
        wanted = snapshot.targets[:3].reshape(-1).tolist()
        blocks: list = [Text(t("view.paint.caption", lang), style="italic")]
        width = max(self.SWATCH, cell_len(_rgb_text(wanted))) + 2
        labels = Text()
        for label in (t("view.paint.wanted", lang), t("view.paint.mix", lang)):
            labels.append(label + " " * max(1, width - cell_len(label)), style="bold")
        blocks.append(labels)   # over the swatches, padded in cells (Hangul is two wide)
        swatch = Text()
        swatch.append(" " * self.SWATCH, Style(bgcolor=_rgb(wanted)))
        swatch.append(" " * (width - self.SWATCH))
        swatch.append(" " * self.SWATCH, Style(bgcolor=_rgb(rows)))
        for _ in range(3):
            blocks.append(swatch)
        values = Text()
        values.append(_rgb_text(wanted) + " " * max(1, width - cell_len(_rgb_text(wanted))))
        values.append(_rgb_text(rows))
        blocks.append(values)
        blocks.append(Text(t("pic.paint_rows", lang), style="dim"))
        weights = snapshot.layers[0].weight[0].tolist()
        for index, name in enumerate(scenario.data.feature_names):
            paint = snapshot.inputs[:3, index].tolist()
            line = Text()
            line.append("  ", Style(bgcolor=_rgb(paint)))
            line.append(f" {name}: {t('view.paint.ratio', lang)} {fmt(weights[index], 3)}")
            blocks.append(line)
        self.update(Group(*blocks), layout=False)


def _rgb(channels: list[float]) -> Color:
    return Color.from_rgb(*(round(min(1.0, max(0.0, c if math.isfinite(c) else 0.0)) * 255) for c in channels))


def _rgb_text(channels: list[float]) -> str:
    return "(" + ", ".join(fmt(c, 2) for c in channels) + ")"
