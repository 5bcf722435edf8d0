"""The picture views (issue 5): loss landscapes, decision boundary, activations, hidden space,
network diagram and paint mixing. Each draws what an engine function computed; none computes
a loss or an output itself."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from dltui.engine.numbers import fmt, fmt_loss
from .i18n import t
from .plotting import SafePlot, finite_points

LOW, HIGH = (24, 40, 96), (250, 220, 60)          # landscape: low loss → high loss
CLASS_COLOURS = [(60, 110, 220), (235, 120, 40), (70, 180, 90), (200, 70, 160)]


LEVELS = 48  # colour steps: enough for a smooth map, few enough to reuse styles frame to frame


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
    """Display levels in [0, 1] for a loss grid: log-spaced so valleys show their shape."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    low, high = values[finite].min(), values[finite].max()
    levels = np.log1p(np.clip(values - low, 0, None)) / max(np.log1p(high - low), 1e-12)
    return np.where(finite, levels, 1.0)


class Heatmap(Static):
    """A grid drawn with half blocks (two grid rows per line) and marker glyphs on top."""

    def draw(self, colours: list[list[Color]], markers: dict[tuple[int, int], tuple[str, str]],
             caption: Text, x_axis: str, y_axis: tuple[str, str]) -> None:
        ny, nx = len(colours), len(colours[0]) if colours else 0
        lines = [caption]
        for line in range((ny + 1) // 2):
            top_row, bottom_row = ny - 1 - 2 * line, ny - 2 - 2 * line   # screen top = highest y
            label = y_axis[0] if line == 0 else (y_axis[1] if line == (ny + 1) // 2 - 1 else "")
            text = Text(f"{label:>7} ")
            for col in range(nx):
                top = colours[top_row][col]
                bottom = colours[bottom_row][col] if bottom_row >= 0 else None
                mark = markers.get((col, top_row)) or (markers.get((col, bottom_row)) if bottom_row >= 0 else None)
                if mark:
                    glyph, colour = mark
                    text.append(glyph, Style(color=colour, bgcolor=top, bold=True))
                else:
                    text.append("▀", _cell_style(top, bottom))
            lines.append(text)
        lines.append(Text(" " * 8 + x_axis, style="dim"))
        self.update(Group(*lines))


def grid_index(axis: np.ndarray, value: float) -> int | None:
    """The grid column (or row) nearest to `value`, None when outside the axis."""
    if not math.isfinite(value) or len(axis) < 2 or not axis[0] <= value <= axis[-1]:
        return None
    return int(round((value - axis[0]) / (axis[-1] - axis[0]) * (len(axis) - 1)))


def axis_text(axis: np.ndarray, width: int, name: str) -> str:
    left, right = fmt(axis[0], 3), fmt(axis[-1], 3)
    middle = f" {name} "
    gap = max(1, width - len(left) - len(right) - len(middle))
    return left + " " * (gap // 2) + middle + " " * (gap - gap // 2) + right


class Landscape2DView(Heatmap):
    def show(self, landscape, optimum: tuple[float, float] | None, lang: str) -> None:
        levels = shade(landscape.losses)
        colours = [[_blend(LOW, HIGH, v) for v in row] for row in levels]
        markers: dict = {}
        if landscape.path is not None:
            for x, y in zip(landscape.path.xs.tolist(), landscape.path.ys.tolist()):
                at = (grid_index(landscape.xs, x), grid_index(landscape.ys, y))
                if None not in at:
                    markers[at] = ("•", "white")
        if optimum is not None:
            at = (grid_index(landscape.xs, optimum[0]), grid_index(landscape.ys, optimum[1]))
            if None not in at:
                markers[at] = ("✚", "bright_green")
        at = (grid_index(landscape.xs, landscape.current[0]), grid_index(landscape.ys, landscape.current[1]))
        if None not in at:
            markers[at] = ("◆", "red")
        caption = Text(t("view.landscape2d.caption", lang, x=landscape.label_x, y=landscape.label_y,
                         loss=fmt_loss(landscape.current_loss)))
        self.draw(colours, markers, caption, axis_text(landscape.xs, len(landscape.xs), landscape.label_x),
                  (fmt(landscape.ys[-1], 3), fmt(landscape.ys[0], 3)))


class BoundaryView(Heatmap):
    def show(self, grid, lang: str) -> None:
        colours = []
        for cls_row, val_row in zip(grid.classes.tolist(), grid.values.tolist()):
            row = []
            for cls, value in zip(cls_row, val_row):
                if grid.kind == "softmax":
                    strength = value
                else:
                    strength = abs(value - grid.threshold) * 2 if math.isfinite(value) else 0
                row.append(_blend((30, 30, 30), CLASS_COLOURS[int(cls) % len(CLASS_COLOURS)],
                                  0.35 + 0.65 * min(1.0, strength)))
            colours.append(row)
        markers: dict = {}
        for points, glyphs in ((grid.test, ("□", "■")), (grid.train, ("○", "●"))):
            for x1, x2, cls in zip(points.x1.tolist(), points.x2.tolist(), points.classes.tolist()):
                at = (grid_index(grid.xs, x1), grid_index(grid.ys, x2))
                if None not in at:
                    markers[at] = (glyphs[min(int(cls), 1)], "white" if int(cls) else "black")
        names = grid.class_names or ("0", "1")
        caption = Text(t("view.boundary.caption", lang, classes=" / ".join(names)))
        self.draw(colours, markers, caption, axis_text(grid.xs, len(grid.xs), grid.feature_names[0]),
                  (fmt(grid.ys[-1], 3), fmt(grid.ys[0], 3)))


class Landscape1DView(SafePlot):
    def show(self, landscape, optimum_x: float | None, lang: str) -> None:
        plt = self.plt
        plt.clear_figure()   # data, title and labels: each view sets its own
        plt.xlabel(landscape.label)
        plt.title(t("view.landscape1d.caption", lang, p=landscape.label, loss=fmt_loss(landscape.current_loss)))
        plt.plot(finite_points(landscape.xs), finite_points(landscape.losses), marker="braille", label=t("loss", lang))
        if landscape.path is not None and len(landscape.path.xs):
            plt.scatter(finite_points(landscape.path.xs), finite_points(landscape.path.slice_losses), marker="•",
                        color="white", label=t("view.path", lang))
        plt.scatter(finite_points([landscape.current_x]), finite_points([landscape.current_loss]), marker="◆", color="red",
                    label=t("view.now", lang))
        if optimum_x is not None and landscape.xs[0] <= optimum_x <= landscape.xs[-1]:
            plt.vline(optimum_x, "green")
        self.refresh()


class ActivationView(SafePlot):
    def show(self, points, lang: str) -> None:
        plt = self.plt
        plt.clear_figure()   # data, title and labels: each view sets its own
        plt.xlabel("z")
        if not points.has_curve:   # softmax: each a depends on the whole row's z
            plt.title(t("view.activation.softmax", lang, layer=points.layer + 1))
        else:
            zs, curve = points.curve(80)
            plt.title(t("view.activation.caption", lang, layer=points.layer + 1, act=points.activation))
            plt.plot(finite_points(zs), finite_points(curve), marker="braille")
        plt.scatter(finite_points(points.z), finite_points(points.a), marker="●", color="red",
                    label=t("view.rows", lang))
        self.refresh()


class HiddenSpaceView(SafePlot):
    def show(self, space, lang: str) -> None:
        plt = self.plt
        plt.clear_figure()   # data, title and labels: each view sets its own
        plt.title(t("view.hidden.caption", lang))   # no legend box: it would hide a corner point
        plt.xlabel("h1")
        for cls in sorted(set(space.classes.tolist())):
            rows = space.classes == cls
            plt.scatter(finite_points(space.h[rows, 0]), finite_points(space.h[rows, 1]), marker=("○", "●")[int(cls) % 2],
                        color=["blue", "orange"][int(cls) % 2])
        if space.line is not None:
            (x1, y1), (x2, y2) = space.line
            plt.plot(finite_points([x1, x2]), finite_points([y1, y2]), color="green", marker="braille")
        plt.xlim(*finite_points(space.x_range))
        plt.ylim(*finite_points(space.y_range))
        self.refresh()


class NetworkView(Static):
    """Inputs → hidden → outputs: each connection a bar, blue for +, orange for −, longer for
    larger |w|; `n` shows the numbers."""

    def show(self, layout, show_values: bool, lang: str) -> None:
        by_id = {node.id: node for node in layout.nodes}
        blocks: list = [Text(t("view.network.caption", lang), style="italic")]
        for layer in range(1, len(layout.columns)):
            table = Table(box=None, padding=(0, 1), show_edge=False)
            targets = [by_id[i] for i in layout.columns[layer]]
            table.add_column("", style="cyan")
            for node in targets:
                table.add_column(node.label, justify="left", header_style="bold")
            for source_id in layout.columns[layer - 1]:
                cells = [by_id[source_id].label]
                for node in targets:
                    edge = next((e for e in layout.edges if e.source == source_id and e.target == node.id), None)
                    cells.append(_edge_text(edge, show_values))
                table.add_row(*cells)
            blocks.append(table)
        self.update(Group(*blocks))


def _edge_text(edge, show_values: bool) -> Text:
    if edge is None:
        return Text("")
    colour = "dodger_blue1" if edge.sign >= 0 else "dark_orange"
    bar = "█" * max(1, round(edge.magnitude * 6)) if math.isfinite(edge.magnitude) else "?"
    text = Text(f"{bar:<6}", style=colour)
    if show_values:
        text.append(f" {fmt(edge.weight, 3)}", style=colour)
    return text


class PaintView(Static):
    """The wanted colour beside the current mix, and each paint with its ratio."""

    def show(self, scenario, snapshot, lang: str) -> None:
        rows = snapshot.predictions[:3, 0].tolist()
        wanted = snapshot.targets[:3].reshape(-1).tolist()
        blocks: list = [Text(t("view.paint.caption", lang), style="italic")]
        swatch = Text()
        swatch.append(" " * 12, Style(bgcolor=_rgb(wanted)))
        swatch.append("  ")
        swatch.append(" " * 12, Style(bgcolor=_rgb(rows)))
        for _ in range(3):
            blocks.append(swatch)
        width = max(14, len(_rgb_text(wanted)) + 2)
        blocks.append(Text(f"{t('view.paint.wanted', lang):<{width}}{t('view.paint.mix', lang)}", style="bold"))
        blocks.append(Text(f"{_rgb_text(wanted):<{width}}{_rgb_text(rows)}"))
        weights = snapshot.layers[0].weight[0].tolist()
        for index, name in enumerate(scenario.data.feature_names):
            paint = snapshot.inputs[:3, index].tolist()
            line = Text()
            line.append("  ", Style(bgcolor=_rgb(paint)))
            line.append(f" {name}: {t('view.paint.ratio', lang)} {fmt(weights[index], 3)}")
            blocks.append(line)
        self.update(Group(*blocks))


def _rgb(channels: list[float]) -> Color:
    return Color.from_rgb(*(round(min(1.0, max(0.0, c if math.isfinite(c) else 0.0)) * 255) for c in channels))


def _rgb_text(channels: list[float]) -> str:
    return "(" + ", ".join(fmt(c, 2) for c in channels) + ")"
