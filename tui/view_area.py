"""The switchable chart area: which views a scenario has, which one shows, and drawing it.

`v` / `V` step through the views; `x` / `y` choose the landscape's parameters; `n` shows the
network's numbers. Only the visible view is drawn, and only when its inputs changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from dltui.engine.frame import Frame
from dltui.engine.load.scenario import Scenario
from dltui.engine import Snapshot
from dltui.engine.pictures.registry import PICTURES, PictureRequest, available_views, compute_picture
from dltui.engine.views import FIRST_VIEW, VIEWS, View
from .frames import Asked, PictureReady
from .i18n import t
from .quiet import Same
from .view_registry import WIDGETS, Showing, widget_id

# A worker view whose last picture took less CPU time than this (scaled to the grid asked for) is
# computed on the UI thread, in the key's own frame: the worker's hop and a second repaint cost
# more. CPU time of the computing thread, not wall time: a loaded machine's preemption is no cost.
QUICK_PICTURE_SECONDS = 0.004


@dataclass
class ViewChoice:
    view: View = FIRST_VIEW
    x: int = 0            # landscape parameter on the x axis
    y: int = 1            # and on the y axis (2-D)
    layer: int = 0        # activation view's layer
    values: bool = False  # network view shows numbers


class ViewArea(ContentSwitcher):
    DEFAULT_CSS = """
    ViewArea { height: 1fr; min-height: 19; border: round $primary-darken-1; border-title-color: $text-accent; }
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
        super().__init__(initial=widget_id(FIRST_VIEW), **kwargs)
        self.choice = ViewChoice()
        self._drawn_key = None
        self._fit = None   # (scenario, its least-squares fit)
        self._wanted: Asked | None = None      # the newest picture asked of the worker
        self._computing: Asked | None = None   # the one the worker is computing
        self._asked = 0                        # pictures asked for so far (Asked.order)
        self._shown_order = 0                  # the order of the picture on screen: no older one replaces it
        self._cost: dict[View, float] = {}     # seconds per grid point of each view's last picture
        self.hidden_rows: frozenset = frozenset()   # the quiz's masks: predictions and the loss not shown yet
        self.hide_loss = False

    def compose(self) -> ComposeResult:
        self._widgets = {view: entry.make(widget_id(view)) for view, entry in WIDGETS.items()}
        yield from self._widgets.values()

    def _least_squares(self, scenario: Scenario):
        """The closed-form optimum depends on the scenario alone: solved once, not every frame."""
        from dltui.engine.pictures.landscape import least_squares_fit

        if self._fit is None or self._fit[0] is not scenario:
            self._fit = (scenario, least_squares_fit(scenario))
        return self._fit[1]

    def reset(self, scenario: Scenario | None = None) -> None:
        """Back to the scenario's own first picture (`[display] view`, else the first view)."""
        name = scenario.display.get("view") if scenario is not None else None
        # The name was checked at load (engine/views.py). Which views this model has is not asked
        # here: that imports the torch-backed picture modules, and this runs before the first frame.
        # A view this model cannot draw says so when drawn (the picture worker's error).
        self.choice = ViewChoice(view=VIEWS.get(name, FIRST_VIEW))
        self.current = widget_id(self.choice.view)
        self._wanted = None
        self._drawn_key = None
        self._cost = {}

    def cycle(self, scenario: Scenario, snapshot: Snapshot | None, step: int) -> View:
        views = available_views(scenario, snapshot)
        index = views.index(self.choice.view) if self.choice.view in views else 0
        self.choice.view = views[(index + step) % len(views)]
        self.current = widget_id(self.choice.view)
        self._drawn_key = None
        return self.choice.view

    @property
    def chooses(self) -> bool:
        """`x` / `y` choose something on the visible view (parameters or a layer)."""
        return self.choice.view.parameters or self.choice.view.layer

    def next_parameter(self, scenario: Scenario, axis: str) -> str:
        from dltui.engine.pictures.landscape import parameter_names

        names = parameter_names(scenario)
        if self.choice.view.layer:
            self.choice.layer = (self.choice.layer + 1) % len(scenario.layers)
            self._drawn_key = None
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
        return t(f"view.{self.choice.view.name}", lang)

    def needs(self) -> tuple[int, bool]:
        """(loss points, path wanted) for the frame: what the visible view draws beside the snapshot."""
        if not self.display:
            return 0, False
        view = self.choice.view
        width = self._widgets[view].size.width
        return (max(2 * width, 20) if view.loss_points else 0), view.path

    def draw(self, scenario: Scenario, frame: Frame, lang: str, force: bool = False) -> None:
        """Draw the visible view when what it shows has changed; heavy pictures in the worker."""
        snapshot = frame.snapshot
        view, choice = self.choice.view, self.choice
        key = (view, snapshot.step, snapshot.phase, snapshot.learning_rate, lang, self.size, Same(scenario),
               choice.x, choice.y, choice.layer, choice.values, self.hidden_rows, self.hide_loss)
        if key == self._drawn_key and not force:
            return
        self._drawn_key = key
        entry = WIDGETS[view]
        widget = self._widgets[view]
        x, y, others = choice.x, choice.y, ()
        if view.parameters:   # a setup change may have left fewer parameters than the choice counts
            from dltui.engine.pictures.landscape import parameter_names

            n = len(parameter_names(scenario))
            x, y = x % n, y % n
            others = tuple((number, label, p[:, x], p[:, y]) for number, label, p in frame.other_paths(lang))
        showing = Showing(frame, scenario, lang, choice.values, self.hidden_rows, self.hide_loss,
                          self._least_squares(scenario) if entry.least_squares else None, x, y, others)
        columns, lines = entry.cells(max(widget.size.width, 10), max(widget.size.height, 4))
        nx, ny = PICTURES[view].grid(snapshot, columns, lines)
        request = PictureRequest(key, view, scenario, snapshot, frame.path, nx, ny, x, y, choice.layer, others)
        self._asked += 1
        asked = Asked(request, showing, self._asked)
        if not view.worker:
            entry.show(widget, PICTURES[view].compute(request), showing)   # light: on the UI thread
        elif self._cost.get(view, 1.0) * max(1, nx * ny) <= QUICK_PICTURE_SECONDS:
            self._wanted = None   # a picture waiting for the worker is older than this one
            started = time.thread_time()
            picture = compute_picture(request)
            self._cost[view] = (time.thread_time() - started) / max(1, nx * ny)
            self._show_picture(asked, picture)
        else:
            self._ask(asked)

    # ------------------------------------------------------------------ the picture worker

    def _ask(self, request: Asked) -> None:
        """Newest wins: one computation at a time; a request made meanwhile waits, replacing any
        older waiting one. The view keeps showing its last picture until the new one arrives."""
        self._wanted = request
        if self._computing is None:
            self._start(request)

    def _start(self, request: Asked) -> None:
        self._computing = request
        self._compute(request)

    @work(thread=True, exclusive=True, group="pictures", exit_on_error=False)
    def _compute(self, asked: Asked) -> None:
        started = time.thread_time()
        picture = compute_picture(asked.request)
        self.post_message(PictureReady(asked, picture, time.thread_time() - started))

    def _next(self) -> None:
        done, self._computing = self._computing, None
        if self._wanted is not None and self._wanted is not done:
            self._start(self._wanted)

    @on(PictureReady)
    def _picture_ready(self, message: PictureReady) -> None:
        message.stop()
        request = message.asked.request
        self._cost[request.view] = message.seconds / max(1, request.nx * request.ny)
        if request.view != self.choice.view or request.scenario is not self._scenario_shown():
            return
        self._show_picture(message.asked, message.picture)

    def _show_picture(self, asked: Asked, picture) -> None:
        if asked.order < self._shown_order:   # a newer picture is on screen already
            return
        self._shown_order = asked.order
        view = asked.request.view
        WIDGETS[view].show(self._widgets[view], picture, asked.showing)

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
        return self._wanted.request.scenario if self._wanted is not None else None
