"""The screen's half of each view's registry entry (engine/views.py): its widget, how many
grid cells it has for a size, and how it shows what the engine computed
(engine/pictures/registry.py). Nothing outside the registries branches on a view's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from textual.containers import Vertical
from textual.widget import Widget

from dltui.engine.views import VIEWS, View
from .charts import LossChart, PredictionChart
from .i18n import least_squares_label
from .views import (GUTTER_MAX, ActivationView, BoundaryView, HiddenSpaceView, Landscape1DView, Landscape2DView,
                    NetworkView, PaintView)


@dataclass(frozen=True)
class Showing:
    """What a view shows its picture with, beside the picture itself."""
    frame: Any                      # engine.frame.Frame
    scenario: Any
    lang: str
    values: bool = False            # the network's numbers (`n`)
    hidden_rows: frozenset = frozenset()   # the quiz's masks: predictions not shown yet
    hide_loss: bool = False
    fit: Any = None                 # the least-squares optimum (landscapes of a linear regression)
    x: int = 0                      # the landscapes' parameters, as asked
    y: int = 1
    others: tuple = ()              # a comparison's other runs on the 2-D landscape

    def optimum(self, index: int) -> float | None:
        return None if self.fit is None else float(self.fit.parameters[index % len(self.fit.parameters)])

    def optimum_label(self) -> str | None:
        return None if self.fit is None else least_squares_label(self.fit, self.lang)


@dataclass(frozen=True)
class ViewWidget:
    view: View
    make: Callable[[str], Widget]                           # the widget, given its id
    show: Callable[[Widget, Any, Showing], None]            # draw the engine's picture
    cells: Callable[[int, int], tuple[int, int]] = lambda width, height: (width, height)
    # the (columns, lines) a widget of this size has for the picture's grid
    least_squares: bool = False                             # marks the closed-form optimum


def _loss_area(widget_id: str) -> Widget:
    return Vertical(LossChart(id="loss-chart"), PredictionChart(id="pred-chart"), id=widget_id)


def _show_loss(area: Widget, picture: Any, shown: Showing) -> None:
    frame = shown.frame
    if frame.loss is not None:
        runs = frame.run_curves(shown.lang)
        area.set_class(bool(runs), "comparison")
        area.query_one(LossChart).show(*frame.loss, frame.test_loss, shown.lang, runs, shown.hide_loss)
    area.query_one(PredictionChart).show(frame.snapshot, shown.lang, shown.scenario.data.classes or (),
                                         shown.hidden_rows)


def _heatmap_cells(width: int, height: int) -> tuple[int, int]:
    return width - GUTTER_MAX - 1, height - 4      # the y labels' gutter; captions, x axis and key


_WIDGETS = (
    ViewWidget(VIEWS["loss"], _loss_area, _show_loss),
    ViewWidget(VIEWS["landscape1d"], lambda i: Landscape1DView(id=i),
               lambda w, picture, s: w.show(picture, s.optimum(s.x), s.lang, s.optimum_label()),
               least_squares=True),
    ViewWidget(VIEWS["landscape2d"], lambda i: Landscape2DView(id=i),
               lambda w, picture, s: w.show(picture, None if s.fit is None else (s.optimum(s.x), s.optimum(s.y)),
                                            s.lang, s.optimum_label(), s.others),
               _heatmap_cells, least_squares=True),
    ViewWidget(VIEWS["boundary"], lambda i: BoundaryView(id=i), lambda w, picture, s: w.show(picture, s.lang),
               _heatmap_cells),
    ViewWidget(VIEWS["activation"], lambda i: ActivationView(id=i), lambda w, picture, s: w.show(picture, s.lang)),
    ViewWidget(VIEWS["hidden"], lambda i: HiddenSpaceView(id=i),
               lambda w, picture, s: w.show(picture, s.lang, s.scenario.data.classes or ())),
    ViewWidget(VIEWS["network"], lambda i: NetworkView(id=i),
               lambda w, picture, s: w.show(picture, s.values, s.lang)),
    ViewWidget(VIEWS["paint"], lambda i: PaintView(id=i),
               lambda w, picture, s: w.show(s.scenario, s.frame.snapshot, s.lang)),
)

WIDGETS = {entry.view: entry for entry in _WIDGETS}     # every view, in `v` order (tested)


def widget_id(view: View) -> str:
    return f"view-{view.name}"
