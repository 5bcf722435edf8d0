"""What the widgets are given: a frame ‒ a snapshot plus the series its charts need.

The app builds frames under the engine lock (on the UI thread for a key, in the play worker
during play) and hands them to the widgets; no widget ever sees the trainer or its lock. During
play, frames travel as `Frame` messages that Textual coalesces (`can_replace`): when the screen
falls behind, only the newest waiting frame is shown.

The heavy pictures (landscapes, decision grids, the hidden space) are computed from a frame in
a thread worker, one at a time, the newest request winning (`PictureRequest`, `compute_picture`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from textual.message import Message

from dltui.engine.train.snapshot import Snapshot

# views whose data is computed in the picture worker; the others draw from the frame directly
WORKER_VIEWS = ("landscape1d", "landscape2d", "boundary", "hidden")
PATH_POINTS = 200   # visited parameter vectors sent for the landscapes' path


@dataclass(frozen=True)
class Needs:
    """What the visible panes want beside the snapshot (set by the app from what is on screen)."""
    loss_points: int = 0      # points of the loss series for the loss chart (0: not shown)
    path: bool = False        # visited parameter vectors (landscape views)
    graph: bool = False       # the autograd graph (notes pane)


@dataclass(frozen=True)
class FrameData:
    snapshot: Snapshot
    loss: tuple[np.ndarray, np.ndarray] | None = None        # (steps, losses)
    test_loss: tuple[np.ndarray, np.ndarray] | None = None
    path: np.ndarray | None = None                           # [k, P] visited parameter vectors
    graph: Any = None                                        # engine.explain.autograd.Graph
    runs: tuple = ()       # a comparison: (number, Run, steps, losses) per run, for the loss chart
    others: tuple = ()     # a comparison: (number, Run, path) of the other runs sharing shapes

    def run_curves(self, lang: str) -> list | None:
        """(label, steps, losses) per run of a comparison, or None for a single run."""
        return [(run.label(lang), steps, losses) for _, run, steps, losses in self.runs] or None

    def other_paths(self, lang: str) -> list:
        """(number, label, path) of a comparison's other runs (drawn on the 2-D landscape)."""
        return [(number, run.label(lang), path) for number, run, path in self.others]


def collect(trainer, snapshot: Snapshot, needs: Needs) -> FrameData:
    """A frame of `trainer` at `snapshot`. The caller holds the engine lock."""
    loss = test = path = graph = None
    if needs.loss_points:
        loss = trainer.loss_series(needs.loss_points)
        if snapshot.test_loss is not None:
            test = trainer.loss_series(needs.loss_points, test=True)
    if needs.path:
        path = trainer.parameter_path(PATH_POINTS)[1]
    if needs.graph:
        from dltui.engine.explain.autograd import autograd_graph  # torch: never on the first frame's path

        graph = autograd_graph(trainer)
    runs = others = ()
    if hasattr(trainer, "runs"):          # a comparison (engine.train.comparison)
        numbers = {run.name: (index + 1, run) for index, run in enumerate(trainer.runs)}
        if needs.loss_points:
            runs = tuple((*numbers[name], steps, losses) for name, steps, losses in trainer.loss_curves(needs.loss_points))
        if needs.path:
            mine = trainer.runs[trainer.selected].name
            others = tuple((*numbers[name], p) for name, p in trainer.parameter_paths(PATH_POINTS) if name != mine)
    return FrameData(snapshot, loss, test, path, graph, runs, others)


class Frame(Message):
    """A frame from the play worker. A newer frame waiting behind this one replaces it."""

    def __init__(self, token: int, frame: FrameData) -> None:
        super().__init__()
        self.token, self.frame = token, frame

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Frame)


@dataclass(frozen=True)
class PictureRequest:
    """Everything a picture needs, computed off the UI thread: no widget, no trainer."""
    key: tuple
    view: str
    scenario: Any
    snapshot: Snapshot
    path: np.ndarray | None
    nx: int              # grid points across (1-D: points along the axis)
    ny: int              # and up (already fitted to the work budget by fit_grid)
    x: int = 0
    y: int = 1
    options: dict = field(default_factory=dict)


class PictureReady(Message):
    def __init__(self, request: PictureRequest, picture: Any) -> None:
        super().__init__()
        self.request, self.picture = request, picture


def _budgeted_path(snapshot: Snapshot, points: int, path: np.ndarray | None) -> tuple[int, np.ndarray | None]:
    """A 1-D landscape costs (points + 1 + 2 ⋅ path length) evaluations over all rows: shrink
    both, keeping their ratio, so one draw stays within the engine's grid work budget."""
    from dltui.engine.pictures.landscape import fit_grid

    k = 0 if path is None else len(path)
    wanted = points + 1 + 2 * k
    allowed = fit_grid(snapshot, wanted, 1)[0]
    if allowed >= wanted:
        return points, path
    share = allowed / wanted
    points = max(3, int(points * share)) | 1           # odd: the middle x is the current value
    if path is not None and k > 2:
        keep = max(2, int(k * share))
        index = np.unique(np.linspace(0, k - 1, keep).round().astype(int))
        path = path[index]
    return points, path


def compute_picture(request: PictureRequest) -> Any:
    """The engine's data for a picture view (runs in the picture worker)."""
    from dltui.engine.pictures.boundary import decision_grid, hidden_space
    from dltui.engine.pictures.landscape import landscape_1d, landscape_2d

    snap, path = request.snapshot, request.path
    if request.view == "landscape1d":
        points, path = _budgeted_path(snap, request.nx, path)
        return landscape_1d(snap, request.x, points=points, path=path)
    if request.view == "landscape2d":
        others = request.options.get("others", ())   # a comparison's other paths: keep them in view
        cover = [(float(x), float(y)) for _, _, xs, ys in others for x, y in zip(xs[-20:], ys[-20:])]
        return landscape_2d(snap, request.x, request.y, points_x=request.nx, points_y=request.ny, path=path,
                            cover=cover)
    if request.view == "boundary":
        return decision_grid(snap, request.scenario, nx=request.nx, ny=request.ny)
    if request.view == "hidden":
        return hidden_space(snap)
    raise ValueError(f"no picture worker for the {request.view} view")
