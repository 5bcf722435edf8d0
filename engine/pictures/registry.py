"""The pictures' half of each view's registry entry (engine/views.py): which scenarios it fits,
how big a grid it asks for and what it computes. Keyed by the entries; the screen's half
(tui/view_registry.py) draws what `compute` returns.

Imported before the first frame: the picture modules (torch) load inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Snapshot
from dltui.engine.views import VIEWS, View


@dataclass(frozen=True)
class PictureRequest:
    """Everything a picture needs, computed off the UI thread: no widget, no trainer."""
    key: tuple
    view: View
    scenario: Any
    snapshot: Snapshot
    path: np.ndarray | None = None
    nx: int = 2           # grid points across (1-D: points along the axis)
    ny: int = 1           # and up (already fitted to the work budget by `Picture.grid`)
    x: int = 0            # the landscapes' parameters
    y: int = 1
    layer: int = 0        # the activation view's layer
    others: tuple = ()    # a comparison's other runs as (number, label, xs, ys) on the 2-D landscape


@dataclass(frozen=True)
class Picture:
    view: View
    fits: Callable[[Scenario, Snapshot | None], bool]
    compute: Callable[[PictureRequest], Any] = field(default=lambda request: None)
    grid: Callable[[Snapshot, int, int], tuple[int, int]] = field(default=lambda snapshot, columns, rows: (2, 1))
    # (nx, ny) for a drawing of `columns` cells across and `rows` lines up, within the work budget


def _always(scenario: Scenario, snapshot: Snapshot | None) -> bool:
    return True


def _two_parameters(scenario: Scenario, snapshot: Snapshot | None) -> bool:
    from dltui.engine.pictures.landscape import parameter_names

    return len(parameter_names(scenario)) >= 2


def _two_input_classes(scenario: Scenario, snapshot: Snapshot | None) -> bool:
    from dltui.engine.pictures.boundary import boundary_problem

    return boundary_problem(scenario) is None


def _two_unit_hidden_layer(scenario: Scenario, snapshot: Snapshot | None) -> bool:
    from dltui.engine.pictures.boundary import hidden_space

    if snapshot is None:
        return False
    try:
        hidden_space(snapshot)
    except ValueError:
        return False
    return True


def _display_output(view: View) -> Callable[[Scenario, Snapshot | None], bool]:
    return lambda scenario, snapshot: scenario.display.get("output") == view.display_output


def _line_grid(snapshot: Snapshot, columns: int, rows: int) -> tuple[int, int]:
    return max(2 * columns, 21) | 1, 1      # odd: the middle point is the current value


def _plane_grid(snapshot: Snapshot, columns: int, rows: int) -> tuple[int, int]:
    """Two grid rows a line (half blocks), shrunk to the engine's grid work budget."""
    from dltui.engine.pictures.landscape import fit_grid

    return fit_grid(snapshot, max(columns, 8), max(2 * rows, 4))


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


def _landscape_1d(request: PictureRequest):
    from dltui.engine.pictures.landscape import landscape_1d

    points, path = _budgeted_path(request.snapshot, request.nx, request.path)
    return landscape_1d(request.snapshot, request.x, points=points, path=path)


def _landscape_2d(request: PictureRequest):
    from dltui.engine.pictures.landscape import landscape_2d

    # a comparison's other paths: their last points are kept in view
    cover = [(float(x), float(y)) for _, _, xs, ys in request.others for x, y in zip(xs[-20:], ys[-20:])]
    return landscape_2d(request.snapshot, request.x, request.y, points_x=request.nx, points_y=request.ny,
                        path=request.path, cover=cover)


def _decision_grid(request: PictureRequest):
    from dltui.engine.pictures.boundary import decision_grid

    return decision_grid(request.snapshot, request.scenario, nx=request.nx, ny=request.ny)


def _hidden_space(request: PictureRequest):
    from dltui.engine.pictures.boundary import hidden_space

    return hidden_space(request.snapshot)


def _activation_points(request: PictureRequest):
    from dltui.engine.pictures.boundary import activation_points

    return activation_points(request.snapshot, request.layer % len(request.snapshot.layers))


def _network_layout(request: PictureRequest):
    from dltui.engine.pictures.network import network_layout

    return network_layout(request.snapshot, request.scenario, row=0)


_PICTURES = (
    Picture(VIEWS["loss"], _always),                       # the frame's loss series (Needs.loss_points)
    Picture(VIEWS["landscape1d"], _always, _landscape_1d, _line_grid),
    Picture(VIEWS["landscape2d"], _two_parameters, _landscape_2d, _plane_grid),
    Picture(VIEWS["boundary"], _two_input_classes, _decision_grid, _plane_grid),
    Picture(VIEWS["activation"], _always, _activation_points),
    Picture(VIEWS["hidden"], _two_unit_hidden_layer, _hidden_space),
    Picture(VIEWS["network"], _always, _network_layout),
    Picture(VIEWS["paint"], _display_output(VIEWS["paint"])),   # the snapshot's own rows
)

PICTURES = {picture.view: picture for picture in _PICTURES}    # every view, in `v` order (tested)


def available_views(scenario: Scenario, snapshot: Snapshot | None) -> list[View]:
    """The views this scenario's model can show, in `v` order."""
    return [view for view, picture in PICTURES.items() if picture.fits(scenario, snapshot)]


def compute_picture(request: PictureRequest) -> Any:
    """The engine's data for a picture view (in the picture worker for `View.worker` views)."""
    return PICTURES[request.view].compute(request)
