"""The switchable chart area: which views a scenario has, which one shows, and drawing it.

`v` / `V` step through the views; `x` / `y` choose the landscape's parameters; `n` shows the
network's numbers. Only the visible view is drawn, and only when its inputs changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from dltui.engine.pictures import VIEW_NAMES as VIEWS
from dltui.engine.pictures.network import network_layout
from dltui.engine.load.scenario import Scenario
from dltui.engine import Snapshot
from dltui.engine.frame import Frame
from .frames import WORKER_VIEWS, PictureReady, PictureRequest, compute_picture
from .i18n import least_squares_label, t
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
    ViewArea #view-loss.comparison LossChart { height: 2fr; }   /* every run needs rows to be told apart */
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
        self._wanted: PictureRequest | None = None      # the newest picture asked for
        self._computing: PictureRequest | None = None   # the one the worker is computing
        self._lang = "ko"
        self.hidden_rows: frozenset = frozenset()   # the quiz's masks: predictions and the loss not shown yet
        self.hide_loss = False

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
        # The name was checked at load (VIEW_NAMES). Which views this model has is not asked here:
        # that imports the torch-backed picture modules, and this runs before the first frame.
        # A view this model cannot draw says so when drawn (the picture worker's error).
        if wanted not in VIEWS:
            wanted = "loss"
        self.choice = ViewChoice(view=wanted)
        self.current = f"view-{wanted}"
        self._wanted = None
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

    def needs(self) -> tuple[int, bool]:
        """(loss points, path wanted) for the frame: what the visible view draws beside the snapshot."""
        if not self.display:
            return 0, False
        view = self.choice.view
        if view == "loss":
            return max(2 * self.query_one(LossChart).size.width, 20), False
        return 0, view in ("landscape1d", "landscape2d")

    def draw(self, scenario: Scenario, frame: Frame, lang: str, force: bool = False) -> None:
        """Draw the visible view when what it shows has changed; heavy pictures in the worker."""
        snapshot = frame.snapshot
        view = self.choice.view
        key = (view, snapshot.step, snapshot.phase, snapshot.learning_rate, lang, self.size, id(scenario),
               self.choice.x, self.choice.y, self.choice.layer, self.choice.values, self.hidden_rows, self.hide_loss)
        if key == self._drawn_key and not force:
            return
        self._drawn_key = key
        widget = self.query_one(f"#view-{view}")
        width, height = max(widget.size.width, 10), max(widget.size.height, 4)
        if view in WORKER_VIEWS:
            from dltui.engine.pictures.landscape import fit_grid, parameter_names

            n = len(parameter_names(scenario))
            if view == "landscape1d":
                nx, ny = max(2 * width, 21) | 1, 1
            else:
                nx, ny = fit_grid(snapshot, max(width - GUTTER_MAX - 1, 8), max(2 * (height - 4), 4))
            self._lang = lang
            i, j = self.choice.x % n, self.choice.y % n
            others = [(number, label, p[:, i], p[:, j]) for number, label, p in frame.other_paths(lang)]
            self._ask(PictureRequest(key, view, scenario, snapshot, frame.path, nx, ny, i, j,
                                     options={"others": others}))
        elif view == "loss":
            if frame.loss is not None:
                runs = frame.run_curves(lang)
                self.query_one("#view-loss").set_class(bool(runs), "comparison")
                self.query_one(LossChart).show(*frame.loss, frame.test_loss, lang, runs, self.hide_loss)
            self.query_one(PredictionChart).show(snapshot, lang, scenario.data.classes or (), self.hidden_rows)
        elif view == "activation":
            from dltui.engine.pictures.boundary import activation_points

            widget.show(activation_points(snapshot, self.choice.layer % len(snapshot.layers)), lang)
        elif view == "network":
            widget.show(network_layout(snapshot, scenario, row=0), self.choice.values, lang)
        elif view == "paint":
            widget.show(scenario, snapshot, lang)

    # ------------------------------------------------------------------ the picture worker

    def _ask(self, request: PictureRequest) -> None:
        """Newest wins: one computation at a time; a request made meanwhile waits, replacing any
        older waiting one. The view keeps showing its last picture until the new one arrives."""
        self._wanted = request
        if self._computing is None:
            self._start(request)

    def _start(self, request: PictureRequest) -> None:
        self._computing = request
        self._compute(request)

    @work(thread=True, exclusive=True, group="pictures", exit_on_error=False)
    def _compute(self, request: PictureRequest) -> None:
        self.post_message(PictureReady(request, compute_picture(request)))

    def _next(self) -> None:
        done, self._computing = self._computing, None
        if self._wanted is not None and self._wanted is not done:
            self._start(self._wanted)

    @on(PictureReady)
    def _picture_ready(self, message: PictureReady) -> None:
        message.stop()
        request = message.request
        if request.view != self.choice.view or request.scenario is not self._scenario_shown():
            return
        self._show_picture(request, message.picture)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A finished computation frees the slot for the newest waiting request; a failure goes on
        to the app's one worker-error handler (worker state messages do not bubble)."""
        if event.worker.group == "pictures" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                                WorkerState.CANCELLED):
            self._next()
            if event.state is WorkerState.ERROR:
                self.app.post_message(Worker.StateChanged(event.worker, event.state))

    def _scenario_shown(self):
        return self._wanted.scenario if self._wanted is not None else None

    def _show_picture(self, request: PictureRequest, picture) -> None:
        widget = self.query_one(f"#view-{request.view}")
        lang = self._lang
        fit = self._least_squares(request.scenario) if request.view.startswith("landscape") else None
        label = None if fit is None else least_squares_label(fit, lang)
        if request.view == "landscape1d":
            widget.show(picture, None if fit is None else float(fit.parameters[request.x % len(fit.parameters)]),
                        lang, label)
        elif request.view == "landscape2d":
            optimum = None if fit is None else (float(fit.parameters[request.x % len(fit.parameters)]),
                                                float(fit.parameters[request.y % len(fit.parameters)]))
            widget.show(picture, optimum, lang, label, request.options.get("others", ()))
        elif request.view == "hidden":
            widget.show(picture, lang, request.scenario.data.classes or ())
        else:
            widget.show(picture, lang)
