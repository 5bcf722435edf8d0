"""What a screen asks a session to do: one small typed message per key, nothing else.

The app turns a key into one of these and hands it to `Session.handle`; the session answers
with a `Frame`. An intent holds only the values the key chose (a factor, a parameter, a folder),
never a trainer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Show:
    """Nothing moves: the frame as it is now (after a pane changed what it needs)."""


@dataclass(frozen=True)
class Step:
    """Finish the step in progress, or run a whole one, through its update."""


@dataclass(frozen=True)
class Advance:
    """One phase: a forward row (or the batch), the loss, the gradients or the update."""


@dataclass(frozen=True)
class Back:
    """Undo the last thing: a phase, a hand edit, a setup change, or a step."""


@dataclass(frozen=True)
class Reset:
    """Back to the file's step 0 (its setup, weights and learning rate)."""


@dataclass(frozen=True)
class SetRate:
    """Multiply the (selected run's) learning rate by `factor`."""
    factor: float


@dataclass(frozen=True)
class Edit:
    """Set one parameter at the current step: `ref` is (layer, "w"/"b", unit, input or None)."""
    ref: tuple
    value: float


@dataclass(frozen=True)
class ChangeSetup:
    """Continue from the current step with the setup changed by `overrides` ({dotted key: value})."""
    overrides: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SelectRun:
    """A comparison's run the tables follow: `index` from 0, or the next one when None."""
    index: int | None = None


@dataclass(frozen=True)
class Play:
    """Up to `steps` whole steps within `seconds`, while `going()` holds (checked under the
    session's lock, so nothing steps once the screen has paused)."""
    steps: int
    seconds: float
    going: Callable[[], bool] = lambda: True
    ahead: bool = False   # play's loop: a play process may step on toward the next frame meanwhile


@dataclass(frozen=True)
class Pause:
    """Play has stopped: where it got to is the session's own again (ends the play process)."""


@dataclass(frozen=True)
class Save:
    """The setup in force with the current weights as a scenario file in `folder` (a new name);
    with no folder, only the file's name and text (a browser download)."""
    folder: Path | None = None


@dataclass(frozen=True)
class Export:
    """What an export writes beside the screen's picture: the run's journal and the setup now."""


Intent = Show | Step | Advance | Back | Reset | SetRate | Edit | ChangeSetup | SelectRun | Play | Pause | Save | Export
