"""Frames on their way to the widgets, and the heavy pictures computed from them.

The session (engine/session.py) answers every intent with an `engine.frame.Frame`. During play,
frames travel as `FrameReady` messages that Textual coalesces (`can_replace`): when the screen
falls behind, only the newest waiting frame is shown.

The heavy pictures (landscapes, decision grids, the hidden space) are computed from a frame in
a thread worker, one at a time, the newest request winning (`PictureRequest`, `compute_picture`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from textual.message import Message

from dltui.engine import Snapshot
from dltui.engine.frame import Frame

# views whose data is computed in the picture worker; the others draw from the frame directly
WORKER_VIEWS = ("landscape1d", "landscape2d", "boundary", "hidden")


class FrameReady(Message):
    """A frame from the play worker. A newer frame waiting behind this one replaces it."""

    def __init__(self, token: int, frame: Frame) -> None:
        super().__init__()
        self.token, self.frame = token, frame

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FrameReady)


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
