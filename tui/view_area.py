"""The switchable chart area: which views a scenario has, which one shows, and drawing it.

`v` / `V` step through the views; `x` / `y` choose the landscape's parameters; `n` shows the
network's numbers. Only the visible view is drawn, and only when its inputs changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher

from dltui.engine.pictures import VIEW_NAMES as VIEWS
from dltui.engine.pictures.network import network_layout
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Snapshot
from .i18n import t
from .charts import LossChart, PredictionChart
from .views import (GUTTER_MAX, ActivationView, BoundaryView, HiddenSpaceView, Landscape1DView,
                    Landscape2DView, NetworkView, PaintView)



@dataclass
class ViewChoice:
    view: str = "loss"
    x: int = 0            # landscape parameter on the x axis
    y: int = 1            # and on the y axis (2-D)
    layer: int = 0        # activation view's layer
    values: bool = False  # network view shows numbers


def available_views(scenario: Scenario, snapshot: Snapshot | None) -> list[str]:
    from dltui.engine.pictures.boundary import boundary_problem, hidden_space
    from dltui.engine.pictures.landscape import parameter_names

    views = ["loss", "landscape1d"]
    if sum(1 for _ in parameter_names(scenario)) >= 2:
        views.append("landscape2d")
    if boundary_problem(scenario) is None:
        views.append("boundary")
    views.append("activation")
    if snapshot is not None:
        try:
            hidden_space(snapshot)
            views.append("hidden")
        except ValueError:
            pass
    views.append("network")
    if scenario.display.get("output") == "rgb":
        views.append("paint")
    return views


class ViewArea(ContentSwitcher):
    DEFAULT_CSS = """
    ViewArea { height: 19; border: round $primary-darken-1; border-title-color: $text-accent; }
    ViewArea > * { height: 1fr; }
    ViewArea #view-loss LossChart { height: 1fr; }
    ViewArea #view-loss PredictionChart { height: 1fr; }
    """

    class Shown(Message):
        """The area got a new size (e.g. brought up on a small screen): it should be drawn again."""

    def on_resize(self) -> None:
        self._drawn_key = None
        self.post_message(self.Shown())

    def __init__(self, **kwargs):
        super().__init__(initial="view-loss", **kwargs)
        self.choice = ViewChoice()
        self._drawn_key = None
        self._fit = None   # (scenario, its least-squares fit)

    def compose(self) -> ComposeResult:
        with Vertical(id="view-loss"):
            yield LossChart(id="loss-chart")
            yield PredictionChart(id="pred-chart")
        yield Landscape1DView(id="view-landscape1d")
        yield Landscape2DView(id="view-landscape2d")
        yield BoundaryView(id="view-boundary")
        yield ActivationView(id="view-activation")
        yield HiddenSpaceView(id="view-hidden")
        yield NetworkView(id="view-network")
        yield PaintView(id="view-paint")

    def _least_squares(self, scenario: Scenario):
        """The closed-form optimum depends on the scenario alone: solved once, not every frame."""
        from dltui.engine.pictures.landscape import least_squares_fit

        if self._fit is None or self._fit[0] is not scenario:
            self._fit = (scenario, least_squares_fit(scenario))
        return self._fit[1]

    def reset(self, scenario: Scenario | None = None) -> None:
        """Back to the scenario's own first picture (`[display] view`, else the loss curve)."""
        wanted = scenario.display.get("view", "loss") if scenario is not None else "loss"
        if scenario is not None and wanted not in available_views(scenario, None) + ["hidden"]:
            wanted = "loss"
        self.choice = ViewChoice(view=wanted)
        self.current = f"view-{wanted}"
        self._drawn_key = None

    def cycle(self, scenario: Scenario, snapshot: Snapshot | None, step: int) -> str:
        views = available_views(scenario, snapshot)
        index = views.index(self.choice.view) if self.choice.view in views else 0
        self.choice.view = views[(index + step) % len(views)]
        self.current = f"view-{self.choice.view}"
        self._drawn_key = None
        return self.choice.view

    def next_parameter(self, scenario: Scenario, axis: str) -> str:
        from dltui.engine.pictures.landscape import parameter_names

        names = parameter_names(scenario)
        if self.choice.view == "activation":
            self.choice.layer = (self.choice.layer + 1) % len(scenario.layers)
            return f"layer {self.choice.layer + 1}"
        value = (getattr(self.choice, axis) + 1) % len(names)
        if len(names) > 1 and value == (self.choice.y if axis == "x" else self.choice.x):
            value = (value + 1) % len(names)
        setattr(self.choice, axis, value)
        self._drawn_key = None
        return names[value]

    def toggle_values(self) -> None:
        self.choice.values = not self.choice.values
        self._drawn_key = None

    def title(self, lang: str) -> str:
        return t(f"view.{self.choice.view}", lang)

    def draw(self, scenario: Scenario, snapshot: Snapshot, trainer, lock, lang: str, force: bool = False) -> None:
        """Draw the visible view when what it shows has changed."""
        # torch-backed modules load here, never on the first frame's path
        from dltui.engine.pictures.boundary import activation_points, decision_grid, hidden_space
        from dltui.engine.pictures.landscape import fit_grid, landscape_1d, landscape_2d

        view = self.choice.view
        key = (view, snapshot.step, snapshot.phase, snapshot.learning_rate, lang, self.size, id(scenario))
        if key == self._drawn_key and not force:
            return
        self._drawn_key = key
        widget = self.query_one(f"#view-{view}")
        width, height = max(widget.size.width, 10), max(widget.size.height, 4)
        if view == "loss":
            chart = self.query_one(LossChart)
            points = max(2 * chart.size.width, 20)
            with lock:
                steps, losses = trainer.loss_series(points)
                test = trainer.loss_series(points, test=True) if snapshot.test_loss is not None else None
            chart.show(steps, losses, test, lang)
            self.query_one(PredictionChart).show(snapshot, lang, scenario.data.classes or ())
        elif view == "landscape1d":
            with lock:
                _, path = trainer.parameter_path(200)
            fit = self._least_squares(scenario)
            widget.show(landscape_1d(snapshot, self.choice.x % len(path[0]), points=max(2 * width, 21) | 1,
                                     path=path),
                        None if fit is None else float(fit.parameters[self.choice.x % len(fit.parameters)]), lang)
        elif view == "landscape2d":
            with lock:
                _, path = trainer.parameter_path(200)
            nx, ny = fit_grid(snapshot, max(width - GUTTER_MAX - 1, 8), max(2 * (height - 4), 4))
            fit = self._least_squares(scenario)
            i, j = self.choice.x % len(path[0]), self.choice.y % len(path[0])
            optimum = None if fit is None else (float(fit.parameters[i]), float(fit.parameters[j]))
            widget.show(landscape_2d(snapshot, i, j, points_x=nx, points_y=ny, path=path), optimum, lang)
        elif view == "boundary":
            nx, ny = fit_grid(snapshot, max(width - GUTTER_MAX - 1, 8), max(2 * (height - 4), 4))
            widget.show(decision_grid(snapshot, scenario, nx=nx, ny=ny), lang)
        elif view == "activation":
            widget.show(activation_points(snapshot, self.choice.layer % len(snapshot.layers)), lang)
        elif view == "hidden":
            widget.show(hidden_space(snapshot), lang, scenario.data.classes or ())
        elif view == "network":
            widget.show(network_layout(snapshot, scenario, row=0), self.choice.values, lang)
        elif view == "paint":
            widget.show(scenario, snapshot, lang)
