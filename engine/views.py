"""The picture views, one entry each in the order `v` steps through them (as engine/ops.py is
for operations).

An entry says what the view needs from a frame (`engine.frame.Needs`) and what `x` / `y`
choose on it. It sits on the engine's ground floor because the loader checks a scenario's
`[display] view` against it; what scenarios a view fits and its compute are the pictures'
half (engine/pictures/registry.py), its widget the screen's (tui/view_registry.py), both keyed
by these entries. Nothing outside the three tables branches on a view's name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    name: str
    loss_points: bool = False     # the loss series (Needs.loss_points), as many points as the chart is wide
    path: bool = False            # the visited parameter vectors (Needs.path)
    parameters: bool = False      # `x` / `y` choose the parameters on its axes (the editor's parameter too)
    layer: bool = False           # `x` / `y` choose the layer it shows
    worker: bool = False          # computed off the UI thread, newest request winning
    display_output: str | None = None   # fits only a scenario whose `[display] output` is this


_VIEWS = (
    View("loss", loss_points=True),
    View("landscape1d", path=True, parameters=True, worker=True),
    View("landscape2d", path=True, parameters=True, worker=True),
    View("boundary", worker=True),
    View("activation", layer=True),
    View("hidden", worker=True),
    View("network"),
    View("paint", display_output="rgb"),
)

VIEWS = {view.name: view for view in _VIEWS}
VIEW_NAMES = tuple(VIEWS)
FIRST_VIEW = _VIEWS[0]     # a scenario without `[display] view` opens on it


def view(name: str) -> View:
    """The entry named `name`; an unknown name is a KeyError listing the known ones."""
    try:
        return VIEWS[name]
    except KeyError:
        raise KeyError(f"unknown view {name!r}; known: {', '.join(VIEWS)}") from None
