"""What a session answers with: a frame — everything the widgets need, and what changed.

A frame is plain data built under the session's lock: the selected run's snapshot and setup, a
comparison's runs, the series the visible panes asked for (`Needs`), and a `Notice` (a message
key and its values, said in the screen's language by `words/`). No widget ever sees a trainer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Snapshot

PATH_POINTS = 200   # visited parameter vectors sent for the landscapes' path


@dataclass(frozen=True)
class Needs:
    """What the visible panes want beside the snapshot (set by the app from what is on screen)."""
    loss_points: int = 0         # points of the loss series for the loss chart (0: not shown)
    path: bool = False           # visited parameter vectors (landscape views)
    graph: bool = False          # the autograd graph (notes pane)
    gradient_of: tuple | None = None   # a parameter ref whose loss gradient the edit bar shows


class Words(str):
    """A notice value that is itself a message key (said in the screen's language)."""


@dataclass(frozen=True)
class Notice:
    """Something to tell the learner: a message key of `words/`, its values, and how loud.
    No key: `values["error"]` is the refusal itself (a ScenarioError's code and values, an OSError,
    a ValueError), which words/ says as `dltui check` would; an "error" value with a key likewise."""
    key: str | None
    values: dict = field(default_factory=dict)
    level: str = "information"     # "information", "warning" or "error"


@dataclass(frozen=True)
class Saved:
    """A saved setup: the file written (`path`), or for a download its `name` and `text`."""
    name: str
    path: Any = None
    text: str | None = None


@dataclass(frozen=True)
class ExportData:
    """What an export needs from the run: every run's journal (for the replay: `Run.journals`)
    and the setup now (a comparison: all its runs)."""
    journals: list
    setup: Scenario
    step: int


@dataclass(frozen=True)
class Frame:
    snapshot: Snapshot
    setup: Scenario                     # the selected run's setup in force
    at_beginning: bool = False          # nothing to go back to
    diverged: bool = False              # every run has diverged: nothing left to step
    runs: tuple = ()                    # a comparison's runs (engine.load.compare.Run); () for one
    snapshots: tuple = ()               # and each run's snapshot, in the same order
    selected: int = 0
    changed: frozenset = frozenset()    # of "state", "setup", "rows", "run"
    notice: Notice | None = None
    loss: tuple[np.ndarray, np.ndarray] | None = None        # (steps, losses)
    test_loss: tuple[np.ndarray, np.ndarray] | None = None
    path: np.ndarray | None = None                           # [k, P] visited parameter vectors
    graph: Any = None                                        # engine.explain.autograd.Graph
    curves: tuple = ()     # a comparison: (number, Run, steps, losses) per run, for the loss chart
    others: tuple = ()     # a comparison: (number, Run, path) of the other runs sharing shapes
    gradient: float | None = None       # ∂loss/∂(the parameter `gradient_of` names)
    gradient_of: tuple | None = None
    reset_layers: tuple = ()            # a setup change re-initialised these layers (from 1)
    saved: Saved | None = None
    export: ExportData | None = None

    @property
    def comparison(self) -> bool:
        return bool(self.runs)

    def run_curves(self, lang: str) -> list | None:
        """(label, steps, losses) per run of a comparison, or None for a single run."""
        return [(run.label(lang), steps, losses) for _, run, steps, losses in self.curves] or None

    def other_paths(self, lang: str) -> list:
        """(number, label, path) of a comparison's other runs (drawn on the 2-D landscape)."""
        return [(number, run.label(lang), path) for number, run, path in self.others]

    def has(self, needs: Needs) -> bool:
        """This frame carries at least what `needs` asks for."""
        return ((self.loss is not None) >= bool(needs.loss_points) and (self.path is not None) >= needs.path
                and (self.graph is not None) >= needs.graph
                and needs.gradient_of in (None, self.gradient_of))


def collect(run, needs: Needs, **extra) -> Frame:
    """A frame of `run` (engine.train.comparison.Run) as it is now. The caller holds its lock."""
    trainer = run.trainer
    snapshot = run.snapshot()
    loss = test = path = graph = gradient = None
    if needs.loss_points:
        loss = trainer.loss_series(needs.loss_points)
        if snapshot.test_loss is not None:
            test = trainer.loss_series(needs.loss_points, test=True)
    if needs.path:
        path = trainer.parameter_path(PATH_POINTS)[1]
    if needs.graph:
        from dltui.engine.explain.autograd import autograd_graph  # torch: never on the first frame's path

        graph = autograd_graph(trainer)
    if needs.gradient_of is not None:
        try:
            gradient = float(trainer.loss_gradient()[trainer.parameter_index(*needs.gradient_of)])
        except ValueError:   # a setup change reshaped the layers: the bar follows next frame
            gradient = None
    curves = others = ()
    numbers = {r.name: (index + 1, r) for index, r in enumerate(run.runs)}
    if numbers and needs.loss_points:
        curves = tuple((*numbers[name], steps, losses) for name, steps, losses in run.loss_curves(needs.loss_points))
    if numbers and needs.path:
        mine = run.runs[run.selected].name
        others = tuple((*numbers[name], p) for name, p in run.parameter_paths(PATH_POINTS) if name != mine)
    return Frame(snapshot, trainer.scenario, run.at_beginning, run.diverged, run.runs,
                 tuple(run.snapshots()) if run.runs else (), run.selected, loss=loss, test_loss=test,
                 path=path, graph=graph, curves=curves, others=others, gradient=gradient,
                 gradient_of=needs.gradient_of if gradient is not None else None, **extra)
