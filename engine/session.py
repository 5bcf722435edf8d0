"""One session behind the screen: one run, its history and its lock; intents in, frames out.

The screen never touches a trainer. It sends an intent (engine/intents.py) to `Session.handle`
— from a worker thread — and gets back a `Frame` (engine/frame.py) that says what the widgets
show and what changed. Refusals (the start of history, a rate halved to nothing, an edit in a
comparison, an invalid setup) are notices in the frame, never exceptions. The lock makes the
session safe to call from any thread: the play worker and a key never interleave a step.

Play steps in a forked copy of the session (engine/play_process.py), so the screen's process
keeps its interpreter to itself: while it plays, the copy answers play, a fresh frame and a rate
change; any other intent (a pause among them) first takes the copy's run back, then is done here.

torch loads when a session is made (`Session(scenario)`), not when this module is imported.
"""

from __future__ import annotations

import threading
import time
from functools import singledispatchmethod
from pathlib import Path

from dltui.engine import intents as do
from dltui.engine import naming, play_process
from dltui.engine.frame import ExportData, Frame, Needs, Notice, Saved, Words, collect
from dltui.engine.load.scenario import Scenario, ScenarioError
from dltui.engine.numbers import fmt, fmt_loss

PLAY_CHUNK = 50    # steps between checks of the time budget during play


# what a play process answers while it plays; any other intent takes its run back first
PLAY_GOES_ON = (do.Play, do.Show, do.SetRate)


class Session:
    def __init__(self, scenario: Scenario, history_budget_bytes: int = 32 << 20,
                 play_apart: bool | None = None):
        """`play_apart`: play in a process of its own (the default where the system can fork)."""
        from dltui.engine.train.comparison import open_run  # torch loads here

        self.lock = threading.RLock()
        self._run = open_run(scenario, history_budget_bytes)
        self._last: tuple | None = None      # (snapshot, setup, data, selected) of the last frame
        self._apart = play_process.available() if play_apart is None else play_apart
        self._player: play_process.PlayProcess | None = None

    def handle(self, intent: do.Intent, needs: Needs = Needs()) -> Frame | None:
        """Do what `intent` asks and answer with the frame now (None: a play chunk that found
        the screen paused, so nothing ran)."""
        with self.lock:
            if isinstance(intent, do.Play) and not intent.going():
                return None
            if self._player is None and self._apart and isinstance(intent, do.Play) and not self._run.diverged:
                self._player = play_process.PlayProcess(self)
            if self._player is not None and isinstance(intent, PLAY_GOES_ON):
                if isinstance(intent, do.Play):
                    return self._player.play(intent.steps, intent.seconds, needs, intent.ahead)
                return self._player.handle(intent, needs)
            if self._player is not None:
                self._take_back()
            extra = self._do(intent)
            if extra is None:
                return None
            return self._frame(needs, **extra)

    @property
    def play_pid(self) -> int | None:
        """The play process's id while there is one."""
        return None if self._player is None else self._player.pid

    def _take_back(self) -> None:
        """End the play process; its run (history and all) becomes this session's."""
        player, self._player = self._player, None
        self._run, self._last = player.give_back()

    # ----------------------------------------------------------- the play process's side

    def become_play_process(self) -> None:
        """In the forked copy: step here, under a lock of its own (no other thread came along)."""
        self.lock = threading.RLock()
        self._apart, self._player = False, None

    def play_here(self, steps: int, seconds: float, needs: Needs) -> Frame | None:
        return self.handle(do.Play(steps, seconds), needs)

    def run_here(self, steps: int) -> int:
        """Up to `steps` steps with no frame (stepping ahead of the next); how many were taken."""
        with self.lock:
            return self._run.run(steps) if not self._run.diverged else 0

    def handed_back(self) -> tuple:
        """What the screen's session takes back when play ends: the run and the last frame's parts."""
        return self._run, self._last

    def _frame(self, needs: Needs, **extra) -> Frame:
        run = self._run
        snapshot, setup = run.snapshot(), run.trainer.scenario
        now = (snapshot, setup, setup.data, run.selected)
        last = self._last or (None, None, None, None)
        changed = frozenset(name for name, a, b in zip(("state", "setup", "rows", "run"), now, last)
                            if a is not b)
        self._last = now
        return collect(run, needs, changed=changed, **extra)

    # ----------------------------------------------------------------- one method per intent

    @singledispatchmethod
    def _do(self, intent) -> dict | None:
        raise TypeError(f"not an intent: {intent!r}")

    @_do.register
    def _(self, intent: do.Show) -> dict:
        return {}

    @_do.register
    def _(self, intent: do.Step) -> dict:
        self._run.step()
        return {}

    @_do.register
    def _(self, intent: do.Advance) -> dict:
        self._run.advance()
        return {}

    @_do.register
    def _(self, intent: do.Back) -> dict:
        if self._run.at_beginning:
            return {"notice": Notice("notify.start")}
        self._run.back()
        return {}

    @_do.register
    def _(self, intent: do.Reset) -> dict:
        self._run.reset()
        return {"notice": Notice("notify.reset")}

    @_do.register
    def _(self, intent: do.SetRate) -> dict:
        run = self._run
        lr = run.trainer.learning_rate
        try:
            snapshot = run.set_learning_rate(lr * intent.factor)
        except ValueError:   # halved to 0 or doubled to infinity: keep the current rate
            how = Words("lr.halved" if intent.factor < 1 else "lr.doubled")
            return {"notice": Notice("notify.lr_limit", {"lr": fmt(lr, 8), "how": how}, "warning")}
        if run.runs:   # a comparison: the rate of the selected run only
            return {"notice": Notice("notify.lr_run", {"n": run.selected + 1, "label": run.runs[run.selected],
                                                       "lr": fmt(snapshot.learning_rate, 8)})}
        return {"notice": Notice("notify.lr", {"lr": fmt(snapshot.learning_rate, 8)})}

    @_do.register
    def _(self, intent: do.Edit) -> dict:
        if self._run.runs:   # the runs step together: one run's edit would put them out of step
            return {"notice": Notice("edit.comparison", level="warning")}
        trainer = self._run.trainer
        try:
            index = trainer.parameter_index(*intent.ref)
            before = trainer.snapshot()
            snapshot = trainer.edit(index, intent.value)
        except ValueError as exc:
            return {"notice": Notice(None, {"error": exc}, "warning")}
        return {"notice": Notice("edit.done", {"name": parameter_name(before, intent.ref),
                                               "old": fmt(value_of(before, intent.ref), 10),
                                               "new": fmt(intent.value, 10), "loss": fmt_loss(snapshot.loss)})}

    @_do.register
    def _(self, intent: do.ChangeSetup) -> dict:
        if self._run.runs:
            return {"notice": Notice("edit.comparison", level="warning")}
        trainer = self._run.trainer
        try:
            change = trainer.change_setup(intent.overrides)
        except (ScenarioError, ValueError) as exc:
            return {"notice": Notice(None, {"error": exc}, "error")}
        step = change.snapshot.step
        if change.reset_layers:
            notice = Notice("settings.applied_reset", {"step": step, "seed": trainer.scenario.train.seed,
                                                       "layers": ", ".join(str(n) for n in change.reset_layers)})
        else:
            notice = Notice("settings.applied", {"step": step})
        return {"notice": notice, "reset_layers": change.reset_layers}

    @_do.register
    def _(self, intent: do.SelectRun) -> dict:
        run = self._run
        if not run.runs:
            return {}
        index = (run.selected + 1) % len(run.runs) if intent.index is None else intent.index
        if not 0 <= index < len(run.runs):
            return {}
        run.select(index)
        return {"notice": Notice("notify.run", {"n": index + 1, "label": run.runs[index]})}

    @_do.register
    def _(self, intent: do.Pause) -> dict:
        return {}

    @_do.register
    def _(self, intent: do.Play) -> dict | None:
        if self._run.diverged:
            return None
        started, left = time.perf_counter(), intent.steps
        while left > 0 and time.perf_counter() - started < intent.seconds:
            chunk = min(left, PLAY_CHUNK)
            if self._run.run(chunk) < chunk:   # diverged: run() stopped early
                break
            left -= chunk
        return {}

    @_do.register
    def _(self, intent: do.Save) -> dict:
        from dltui.engine.load.writer import origin_note, saved_name, scenario_text, unused_path, write_scenario

        trainer = self._run.trainer
        step = trainer.step_count
        try:
            setup = self._run.current_scenario()   # a comparison: every run, where it is now
            note = origin_note(setup, step, bool(trainer.history.edits_at(step)))
            name = saved_name(setup, step)
            if intent.folder is None:
                return {"saved": Saved(name, text=scenario_text(setup, note))}
            path = unused_path(setup, Path(intent.folder) / name, note)
            write_scenario(setup, path, note)
        except (ScenarioError, OSError) as exc:
            return {"notice": Notice("save.failed", {"error": exc}, "error")}
        return {"saved": Saved(name, path=path)}

    @_do.register
    def _(self, intent: do.Export) -> dict:
        trainer = self._run.trainer
        try:
            setup = self._run.current_scenario()
        except ScenarioError as exc:
            return {"notice": Notice("save.failed", {"error": exc}, "error")}
        return {"export": ExportData(self._run.journals(), setup, trainer.step_count)}


def value_of(snapshot, ref: tuple) -> float:
    """The parameter `ref` = (layer, "w"/"b", unit, input) names, in `snapshot`."""
    layer = snapshot.layers[ref[0]]
    return float(layer.weight[ref[2], ref[3]] if ref[1] == "w" else layer.bias[ref[2]])


def parameter_name(snapshot, ref: tuple) -> str:
    """The parameter's name as the lecture writes it (w1, b, w2_13, …)."""
    single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
    return naming.parameter_name(ref[0], ref[1], ref[2], ref[3], single)


def flat_index(snapshot, ref: tuple) -> int:
    """The parameter's place in flat order (layer by layer: weights row by row, then biases)."""
    offset = sum(l.weight.size + (0 if l.bias is None else l.bias.size) for l in snapshot.layers[:ref[0]])
    units, fan_in = snapshot.layers[ref[0]].weight.shape
    return offset + (ref[2] * fan_in + ref[3] if ref[1] == "w" else units * fan_in + ref[2])
