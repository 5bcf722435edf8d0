"""The trainer: steps a real torch model through gradient descent one phase at a time.

Each public call advances (or rewinds) the state and returns a frozen `Snapshot`.
Step k is the state after k optimizer updates; a step is FORWARD (row by row for small
batches) → LOSS → BACKWARD → UPDATE. A non-finite loss or parameter marks the run diverged:
updates stop and snapshots say so; nothing raises.

Experiments are history too. `edit` sets one weight or bias at the current step (`back` undoes
it, `reset` returns to the file); `change_setup` continues from the current step with another
setup (rate, optimizer, loss, activations, layers, data options), carrying every weight whose
shape still fits: the run before it is kept whole, and `back` from the change's step returns
to it exactly. `journal` describes all of it as plain data for a replay (export).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from dltui.engine import ops
from dltui.engine.train import fast
from dltui.engine.train.eager_optim import eager_step
from dltui.engine.train.history import History
from dltui.engine.train.state import StateCodec
from dltui.engine.train.model import DTYPE, Forward, build_model, build_optimizer, forward, loss_value, row_losses
from dltui.engine.load.overrides import weight_overrides, with_overrides
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import (CLASSIFICATION_LOSSES, ParameterState, Phase, Snapshot, accuracy, frozen,
                                         layer_snapshot)

ROWS_PER_PHASE_LIMIT = 12  # batches up to this size are shown one forward row per key press



@dataclass(frozen=True)
class Segment:
    """One stretch of a run with one setup: `scenario` (its weights are the state at `start`),
    then per step from `start` the learning rate in force and the hand edits made there."""

    scenario: Scenario
    start: int
    learning_rates: tuple[float, ...]
    edits: dict[int, tuple[tuple[int, float], ...]]


@dataclass(frozen=True)
class SetupChange:
    """What `change_setup` did: the snapshot now, and the layers (from 1) re-initialised."""

    snapshot: Snapshot
    reset_layers: tuple[int, ...]


@dataclass(frozen=True)
class _Earlier:
    """A setup the run had before a setup change: what rebuilds it, and its history (whose states
    the codec's `layouts` describe)."""

    scenario: Scenario
    start: int
    history: History
    layouts: list


class Trainer:
    """One run as a timeline: the setup in force (its model, optimizer, data and history from
    `_start_step`), and the setups before it (`_earlier`, oldest first), each rebuilt from its
    scenario when time travel goes back into it."""

    def __init__(self, scenario: Scenario, history_budget_bytes: int = 32 << 20, start_step: int = 0,
                 past: tuple | None = None):
        """`start_step` > 0 continues another run: the scenario's weights are its state there, and
        `past` (losses, test losses, learning rates of the steps before) fills the history. A
        scenario with `[resume]` (a saved run) starts at its step with its optimizer's state."""
        self._budget = history_budget_bytes
        self._earlier: list[_Earlier] = []
        self._start(scenario, start_step or (scenario.resume.step if scenario.resume else 0), past)

    def _start(self, scenario: Scenario, start_step: int, past: tuple | None) -> None:
        """Begin a setup at `start_step` with a fresh history (the steps before from `past`)."""
        self._build(scenario, [])
        if scenario.resume is not None:   # a saved run: its optimizer's state
            self._codec.load_resume(scenario.resume.layers)
        self._start_step = start_step
        # The newest states are never thinned: keep as many as fit half the budget (256 at most).
        # A state is parameters, gradients, last change and up to two optimizer buffers (Adam).
        state_bytes = 8 * 5 * self._codec.total
        self.history = History(self._budget,
                               keep_recent=max(8, min(256, self._budget // (2 * state_bytes + 1))))
        if start_step:
            nan = [math.nan] * start_step
            losses, test_losses, rates = past if past is not None else (nan, nan, nan)
            self.history.prefill(list(losses)[:start_step], list(test_losses)[:start_step],
                                 list(rates)[:start_step])
        self._begin_at(start_step)
        self._diverged_at = self._divergence()
        self.history.record(start_step, self._loss, self._test_loss, self._lr, self._capture())

    def _build(self, scenario: Scenario, layouts: list) -> None:
        """The model, optimizer and data tensors of `scenario` (weights as the file has them)."""
        self.scenario = scenario
        data = scenario.data
        self._train = scenario.train
        self.model = build_model(scenario)
        self._linears = list(self.model[0::2])
        self._optimizer = build_optimizer(self.model, self._train)
        self._codec = StateCodec(self._linears, self._optimizer, layouts)
        self._params = self._codec.params
        self._sizes = self._codec.sizes
        self._lr = self._train.learning_rate
        self._x = torch.tensor(data.scaled(data.train_inputs), dtype=DTYPE)
        self._y = self._target_tensor(data.train_targets)
        self._x_test = torch.tensor(data.scaled(data.test_inputs), dtype=DTYPE).reshape(-1, data.n_features)
        self._y_test = self._target_tensor(data.test_targets)
        self._n = len(self._x)
        bs = self._train.batch_size
        self._full_batch = bs == 0 or bs >= self._n
        self._batches_per_epoch = 1 if self._full_batch else -(-self._n // bs)
        self._change: torch.Tensor | None = None
        self._diverged_at: int | None = None

    def _back_to_earlier(self) -> None:
        """Make the setup before the last setup change the one in force again (its history whole;
        the state is put back by `go_to`)."""
        earlier = self._earlier.pop()
        self._build(earlier.scenario, earlier.layouts)
        self.history, self._start_step = earlier.history, earlier.start

    @property
    def first_step(self) -> int:
        """The step this run began at: 0, or a saved run's step."""
        return self._earlier[0].start if self._earlier else self._start_step

    # ----------------------------------------------------------------- public API

    @property
    def step_count(self) -> int:
        return self._step

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def learning_rate(self) -> float:
        return self._lr

    @property
    def diverged(self) -> bool:
        return self._diverged_at is not None

    def snapshot(self) -> Snapshot:
        """The current state as a frozen snapshot (built on demand, cached until it changes)."""
        if self._snapshot is None:
            self._snapshot = self._make_snapshot()
        return self._snapshot

    def advance(self) -> Snapshot:
        """One phase: forward (one row, or the whole batch), loss, backward, or update."""
        if not self.diverged:
            self._advance_phase()
        return self.snapshot()

    def step(self) -> Snapshot:
        """Finish the step in progress (or run a whole one) through its update."""
        self.run(1)
        return self.snapshot()

    def run(self, steps: int) -> int:
        """Run `steps` whole steps without building snapshots; returns how many were done.
        The lean path (engine/train/fast.py): the same numbers as the phases, far fewer operations."""
        return fast.run_steps(self, steps)

    def _run_phases(self, steps: int) -> int:
        """`steps` whole steps through the phase machine (stops at the step a run diverges)."""
        done = 0
        while done < steps and not self.diverged:
            self._advance_phase()
            while self._phase is not Phase.UPDATE and not self.diverged:
                self._advance_phase()
            done += 1
        return done

    @property
    def at_beginning(self) -> bool:
        """Nothing to go back to: step 0 as the file has it, no edit, no setup change."""
        return (self._step == self.first_step and self._phase is Phase.START and not self._earlier
                and not self.history.edits_at(self._step))

    def back(self) -> Snapshot:
        """Step back: to the start of the step in progress; else undo this step's last edit;
        else undo the setup change made at this step; else to the previous step."""
        if self._phase not in (Phase.START, Phase.UPDATE):
            return self.go_to(self._step)
        edits = self.history.edits_at(self._step)
        if edits:
            return self.go_to(self._step, len(edits) - 1)
        if self._step == self._start_step and self._earlier:
            return self._undo_setup_change()
        if self._step > self._start_step:
            self.go_to(self._step - 1)
        return self.snapshot()

    def reset(self) -> Snapshot:
        """Back to the scenario's initial state (its first step as in the file: no edits, the file's
        setup and learning rate)."""
        while self._earlier:
            self._back_to_earlier()
        self.go_to(self._start_step, 0)
        self.set_learning_rate(self._train.learning_rate)
        return self.snapshot()

    def go_to(self, step: int, edits: int | None = None) -> Snapshot:
        """Restore the exact state of an earlier step (parameters, optimizer state, step count),
        with the first `edits` hand edits made at it (all of them when None)."""
        if not self.first_step <= step <= len(self.history) - 1:
            raise ValueError(f"step {step} is not in history ({self.first_step}..{len(self.history) - 1})")
        while step < self._start_step:   # before this setup: the run it continued
            self._back_to_earlier()
        saved_at, state = self.history.nearest_state(step)
        rates = self.history.learning_rates[saved_at:step + 1].tolist()
        kept = {s: list(self.history.edits_at(s)) for s in range(saved_at, step + 1)}
        if edits is not None:
            kept[step] = kept[step][:edits]
        self._restore(state)
        self._begin_at(saved_at)
        self.history.truncate(saved_at)
        self.history.edits.pop(saved_at, None)
        for offset, rate in enumerate(rates[:-1]):   # replay from a thinned-out state: bit for bit
            self._replay_edits(saved_at + offset, kept[saved_at + offset])
            self._use_learning_rate(rate)
            self.run(1)
        self._replay_edits(step, kept[step])
        self.history.set_losses(step, self._loss, self._test_loss)
        self._use_learning_rate(rates[-1])
        self.history.set_learning_rate(step, self._lr)
        self._phase = Phase.START
        self._snapshot = None
        return self.snapshot()

    # ----------------------------------------------------------------- hand edits

    def parameter_index(self, layer: int, kind: str, unit: int, column: int | None = None) -> int:
        """Flat index of layer `layer`'s weight [unit][column] or bias [unit] (all from 0)."""
        if not 0 <= layer < len(self._linears):
            raise ValueError(f"there is no layer {layer + 1}")
        linear = self._linears[layer]
        position = next(i for i, p in enumerate(self._params) if p is linear.weight)
        offset = sum(self._sizes[:position])
        units, fan_in = linear.weight.shape
        if not 0 <= unit < units:
            raise ValueError(f"layer {layer + 1} has no unit {unit + 1}")
        if kind == "w":
            if column is None or not 0 <= column < fan_in:
                raise ValueError(f"layer {layer + 1} has no input {(column or 0) + 1}")
            return offset + unit * fan_in + column
        if kind == "b" and linear.bias is not None:
            return offset + units * fan_in + unit
        raise ValueError(f"layer {layer + 1} has no bias")

    def edit(self, index: int, value: float) -> Snapshot:
        """Set the parameter at flat `index` to `value` at the current step, as history.

        Mid-step, the step starts over from its beginning with the new value. Predictions and
        losses are re-evaluated at once; no training step runs. ValueError for a value that is
        not a finite number or an index that names no parameter."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"not a number: {value!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        if not 0 <= index < sum(self._sizes):
            raise ValueError(f"there is no parameter {index}")
        if self._phase not in (Phase.START, Phase.UPDATE):
            self.go_to(self._step)
        self._replay_edits(self._step, [(index, value)])
        self.history.set_losses(self._step, self._loss, self._test_loss)
        return self.snapshot()

    def loss_gradient(self) -> np.ndarray:
        """𝜕(training loss)/𝜕(each parameter) at the current parameters, flat: the advice for a
        hand edit (which way lowers the loss shown). Touches no state of the run."""
        with torch.enable_grad():
            loss = loss_value(self._train.loss, forward(self.model, self._x), self._y)
            grads = torch.autograd.grad(loss, self._params, allow_unused=True)
        return torch.cat([(torch.zeros_like(p) if g is None else g).reshape(-1)
                          for p, g in zip(self._params, grads)]).detach().numpy().copy()

    def _apply_edits(self, step: int, edits: list[tuple[int, float]]) -> None:
        """Set parameters by flat index (the trainer is at `step`) and re-evaluate; no history."""
        if not edits:
            return
        flat = [p.detach().view(-1) for p in self._params]
        with torch.no_grad():
            for index, value in edits:
                for p, size in zip(flat, self._sizes):
                    if index < size:
                        p[index] = value
                        break
                    index -= size
        self._begin_at(step)
        self._diverged_at = self._divergence()

    def _replay_edits(self, step: int, edits: list[tuple[int, float]]) -> None:
        for index, value in edits:
            self.history.add_edit(step, index, value)
        self._apply_edits(step, edits)

    def _divergence(self) -> int | None:
        finite = math.isfinite(self._loss) and bool(torch.isfinite(self._flat_params()).all())
        return None if finite else self._step

    # ----------------------------------------------------------------- setup changes

    def current_scenario(self) -> Scenario:
        """The setup in force with the current state as its start: the weights, biases and learning
        rate, and in `[resume]` the step and the optimizer's state, so that the file it saves goes
        on exactly as this run would (what `s`, `e` and `dltui run --out` write). ScenarioError
        when a parameter is not finite (a diverged run)."""
        overrides = weight_overrides(layer_values(self._linears))
        overrides.update({"train.learning_rate": self._lr, "resume": self._codec.resume_table(self._step)})
        return with_overrides(self.scenario, overrides)

    def change_setup(self, overrides: dict) -> SetupChange:
        """Continue from the current step with the setup in force changed by `overrides`
        ({dotted key: value}, as `--set` takes them; `model.layers` may be a whole new list).

        The change is validated like the file (ScenarioError, nothing changed). A layer keeps its
        current weights and bias when its shape (units, inputs, bias or not) is unchanged; other
        layers are initialised from the setup's seed. Optimizer state starts fresh. The run so far
        is kept whole: `back` at this step returns to it exactly."""
        fresh = _weights_cleared(self.scenario.document) + [("train.learning_rate", self._lr), ("resume", None)]
        scenario = with_overrides(self.scenario, fresh + list(overrides.items()))
        data = scenario.data
        if (data.n_features, data.n_outputs) != (self.scenario.data.n_features, self.scenario.data.n_outputs):
            raise ValueError("a setup change must keep the data's inputs and outputs")
        if self._phase not in (Phase.START, Phase.UPDATE):
            self.go_to(self._step)
        model = build_model(scenario)        # seeded: what a re-initialised layer starts from
        linears, reset = list(model[0::2]), []
        with torch.no_grad():
            for index, linear in enumerate(linears):
                old = self._linears[index] if index < len(self._linears) else None
                if (old is not None and old.weight.shape == linear.weight.shape
                        and (old.bias is None) == (linear.bias is None)):
                    linear.weight.copy_(old.weight)
                    if linear.bias is not None:
                        linear.bias.copy_(old.bias)
                else:
                    reset.append(index + 1)
        setup = with_overrides(scenario, weight_overrides(layer_values(linears)))
        step = self._step
        past = (self.history.losses[:step], self.history.test_losses[:step],
                self.history.learning_rates[:step])
        self._earlier.append(_Earlier(self.scenario, self._start_step, self.history, self._codec.layouts))
        self._start(setup, step, past)
        return SetupChange(self.snapshot(), tuple(reset))

    def _undo_setup_change(self) -> Snapshot:
        step = self._start_step
        self._back_to_earlier()
        return self.go_to(step)

    def journal(self) -> list[Segment]:
        """The run so far as data for a replay: each setup with its rates and edits, oldest first."""
        setups = [(e.scenario, e.start, e.history) for e in self._earlier]
        setups.append((self.scenario, self._start_step, self.history))
        ends = [start for _, start, _ in setups[1:]] + [len(self.history)]
        return [Segment(scenario, start, tuple(history.learning_rates[start:end]),
                        {s: tuple(e) for s, e in history.edits.items() if start <= s < end})
                for (scenario, start, history), end in zip(setups, ends)]

    def journals(self) -> list[tuple[None, list[Segment]]]:
        """The run's journal as a comparison's `journals()` gives each run's (no name: one run)."""
        return [(None, self.journal())]

    def set_learning_rate(self, lr: float) -> Snapshot:
        """Change the learning rate from now on; the change is part of history."""
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive finite number, not {lr}")
        self._use_learning_rate(float(lr))
        self.history.set_learning_rate(len(self.history) - 1, self._lr)
        self._snapshot = None
        return self.snapshot()

    def batch_rows(self, step: int) -> np.ndarray:
        """Training rows of the update from `step` to `step + 1` (seeded, no hidden state)."""
        if self._full_batch:
            return np.arange(self._n)
        epoch, index = divmod(step, self._batches_per_epoch)
        order = np.random.default_rng([self._train.seed, epoch]).permutation(self._n)
        size = self._train.batch_size
        return order[index * size:(index + 1) * size]

    def record(self) -> dict:
        """The current step as plain data (the headless CLI's schema): cheap, no snapshot.

        Predictions are one number per row for a one-output model, else a list per row;
        non-finite numbers become None.
        """
        predictions = self._report.predictions.detach()
        if predictions.shape[1] == 1:
            predictions = predictions[:, 0]
        layers = []
        for linear in self._linears:
            layers.append({"weight": _plain(linear.weight.detach().tolist()),
                           "bias": None if linear.bias is None else _plain(linear.bias.detach().tolist())})
        train_acc = test_acc = None
        if self._train.loss in CLASSIFICATION_LOSSES:
            data = self.scenario.data
            train_acc = accuracy(self._train.loss, self._report.predictions.detach().numpy(), data.train_targets)
            if self._test_fwd is not None:
                test_acc = accuracy(self._train.loss, self._test_fwd.predictions.detach().numpy(),
                                    data.test_targets)
        # learning_rate: the rate in force at this step, which the update to the next step uses
        return {"step": self._step, "loss": _plain(self._loss), "test_loss": _plain(self._test_loss),
                "learning_rate": self._lr, "accuracy": train_acc, "test_accuracy": test_acc,
                "diverged": self.diverged, "predictions": _plain(predictions.tolist()), "layers": layers}

    def parameter_path(self, max_points: int = 400) -> tuple[np.ndarray, np.ndarray]:
        """(steps, flat parameter vectors [k, P]) from saved history states, read-only.

        At most `max_points` steps sampled evenly, step 0 and the newest always included; history
        thins old states, so a long run's early path is sparser.
        """
        n = sum(self._sizes)
        first = self.history.first_state   # a setup change starts a new path
        count = len(self.history) - first
        wanted = np.unique(np.linspace(first, len(self.history) - 1,
                                       min(count, max(2, max_points))).round().astype(int))
        steps, vectors = [], []
        for s in wanted.tolist():
            at, state = self.history.nearest_state(s)
            if not steps or steps[-1] != at:
                steps.append(at)
                vectors.append(state[:n].copy())
        return np.array(steps, dtype=int), np.array(vectors).reshape(len(vectors), n)

    def loss_series(self, max_points: int, test: bool = False) -> tuple[np.ndarray, np.ndarray]:
        return self.history.series(max_points, test)

    # ----------------------------------------------------------------- phases

    def _begin_at(self, step: int) -> None:
        """Enter step `step` at its START, evaluating the full training (and test) set."""
        self._step = step
        self._phase = Phase.START
        self._row = None
        self._batch = self.batch_rows(step)
        self._batch_fwd: Forward | None = None
        self._batch_loss: torch.Tensor | None = None
        self._grads_fresh = False
        self._evaluate()
        self._snapshot = None

    def _evaluate(self) -> None:
        """Predictions and loss at the current parameters; test loss too."""
        if self._full_batch:
            self._report = forward(self.model, self._x)          # kept with its graph:
            self._batch_fwd = self._report                      # it is this step's forward pass
        else:
            with torch.no_grad():
                self._report = forward(self.model, self._x)
        with torch.no_grad():
            self._row_losses = row_losses(self._train.loss, self._report, self._y)
            self._loss = float(self._row_losses.mean())   # = the criterion's mean (one pass, not two)
            if len(self._x_test):
                self._test_fwd = forward(self.model, self._x_test)
                self._test_loss = float(loss_value(self._train.loss, self._test_fwd, self._y_test))
            else:
                self._test_fwd, self._test_loss = None, None
        if self._step == 0 and not math.isfinite(self._loss):
            self._diverged_at = 0
        elif self._step == 0:
            self._diverged_at = None

    def _advance_phase(self) -> None:
        phase = self._phase
        if phase in (Phase.START, Phase.UPDATE):
            if phase is Phase.UPDATE:
                self._grads_fresh = False
            if self._batch_fwd is None:
                self._batch_fwd = forward(self.model, self._x[torch.as_tensor(self._batch)])
            self._phase = Phase.FORWARD
            self._row = 0 if self._rows_per_phase() else len(self._batch) - 1
        elif phase is Phase.FORWARD and self._row < len(self._batch) - 1:
            self._row += 1
        elif phase is Phase.FORWARD:
            self._batch_loss = loss_value(self._train.loss, self._batch_fwd, self._batch_targets())
            self._phase = Phase.LOSS
        elif phase is Phase.LOSS:
            self._backward()
            self._phase = Phase.BACKWARD
        else:
            self._update()
        self._snapshot = None

    def _backward(self) -> None:
        for p in self._params:
            p.grad = None
        own_gradient = ops.optimizer(self._train.optimizer).gradient
        if own_gradient is not None:   # a rule of its own (the perceptron's), not the loss's gradient
            x = self._x[torch.as_tensor(self._batch)]
            grads = own_gradient(x, self._batch_targets(), self._batch_fwd.predictions, len(self._params) > 1)
            for p, g in zip(self._params, grads):
                p.grad = g
        else:
            self._batch_loss.backward()
        self._grads_fresh = True

    def _update(self) -> None:
        self._change = self._apply_update()
        after = self._flat_params()
        grads_fresh = self._grads_fresh
        self._begin_at(self._step + 1)
        self._phase = Phase.UPDATE
        self._grads_fresh = grads_fresh
        if not (math.isfinite(self._loss) and torch.isfinite(after).all()):
            self._diverged_at = self._step
        self.history.record(self._step, self._loss, self._test_loss, self._lr, self._capture())

    def _apply_update(self) -> torch.Tensor:
        """The optimizer's update of every parameter from its .grad; returns the change."""
        views = self._codec.views
        before = np.concatenate(views)
        if self._optimizer is None:
            with torch.no_grad():
                for p in self._params:
                    p.sub_(self._lr * p.grad)
        else:
            eager_step(self._optimizer)    # torch's step, without importing the compiler (~1 s)
        return torch.from_numpy(np.concatenate(views) - before)   # numpy's subtraction: the same IEEE one

    def _rows_per_phase(self) -> bool:
        return len(self._batch) <= ROWS_PER_PHASE_LIMIT

    def _batch_targets(self) -> torch.Tensor:
        return self._y[torch.as_tensor(self._batch)]

    def _target_tensor(self, targets: np.ndarray) -> torch.Tensor:
        if self.scenario.data.classes:
            return torch.tensor(targets, dtype=torch.long).reshape(-1)
        return torch.tensor(targets, dtype=DTYPE).reshape(-1, self.scenario.data.n_outputs)

    def _use_learning_rate(self, lr: float) -> None:
        self._lr = lr
        if self._optimizer is not None:
            for group in self._optimizer.param_groups:
                group["lr"] = self._lr

    # ----------------------------------------------------------------- state capture

    def _flat_params(self) -> torch.Tensor:
        """Every parameter in one vector, a copy (through numpy: a few µs fewer than torch.cat)."""
        return torch.from_numpy(np.concatenate(self._codec.views))

    def _capture(self) -> np.ndarray:
        """Everything this step depends on, as history keeps it (engine/train/state.py)."""
        return self._codec.capture(self._change, self._diverged_at, self._grads_fresh)

    def _restore(self, flat: np.ndarray) -> None:
        flags = self._codec.restore(flat)
        self._change, self._diverged_at, self._grads_fresh = flags.change, flags.diverged_at, flags.grads_fresh

    # ----------------------------------------------------------------- snapshots

    def _make_snapshot(self) -> Snapshot:
        data = self.scenario.data
        fwd = self._report
        change = self._change
        state = self._optimizer.state if self._optimizer is not None else {}
        pieces, offset = [], 0
        for p in self._params:
            size = p.numel()
            pieces.append(ParameterState(
                p.detach().numpy(),
                p.grad.detach().numpy() if (self._grads_fresh and p.grad is not None) else None,
                change[offset:offset + size].view_as(p).numpy() if change is not None else None,
                {k: v.detach().numpy() for k, v in sorted(state.get(p, {}).items())
                 if isinstance(v, torch.Tensor) and v.shape == p.shape}))   # per-element buffers
            offset += size
        pieces = iter(pieces)
        layers = [layer_snapshot(self.scenario.layers[i].activation, next(pieces),
                                 next(pieces) if linear.bias is not None else None,
                                 fwd.pre_activations[i].detach().numpy(), fwd.outputs[i].detach().numpy())
                  for i, linear in enumerate(self._linears)]
        test = self._test_fwd
        empty_test = np.empty((0, data.n_outputs))
        targets = data.train_targets.copy()
        targets.flags.writeable = False
        return Snapshot(
            step=self._step,
            phase=self._phase,
            row=self._row if self._phase is Phase.FORWARD else None,
            batch=_readonly(self._batch.copy()),
            rows_per_phase=self._rows_per_phase(),
            learning_rate=self._lr,
            optimizer=self._train.optimizer,
            loss_name=self._train.loss,
            loss=self._loss,
            batch_loss=(float(self._batch_loss.detach()) if self._phase in (Phase.LOSS, Phase.BACKWARD)
                        and self._batch_loss is not None else None),
            test_loss=self._test_loss,
            inputs=data.train_inputs,
            model_inputs=frozen(self._x.numpy()),
            targets=targets,
            predictions=frozen(fwd.predictions.detach().numpy()),
            row_losses=frozen(self._row_losses.numpy()),
            test_inputs=data.test_inputs,
            test_targets=data.test_targets,
            test_predictions=frozen(test.predictions.numpy()) if test is not None else frozen(empty_test),
            test_row_losses=(frozen(row_losses(self._train.loss, test, self._y_test).numpy())
                             if test is not None else frozen([])),
            layers=tuple(layers),
            diverged=self.diverged,
            diverged_at=self._diverged_at,
            step_learning_rate=(self.history.learning_rates[self._step - 1]
                                if self._phase is Phase.UPDATE and self._step > 0 else self._lr),
        )


def layer_values(linears) -> list[tuple[list, list | None]]:
    """Each layer's (weight rows, bias or None) as plain lists, for `weight_overrides`."""
    return [(linear.weight.detach().tolist(), None if linear.bias is None else linear.bias.detach().tolist())
            for linear in linears]


def _weights_cleared(document: dict) -> list[tuple[str, None]]:
    """Overrides that make a document's layers say nothing about weights (a list bias goes;
    `bias = false` stays)."""
    pairs = []
    for number, table in enumerate(document.get("model", {}).get("layers", []), start=1):
        if isinstance(table, dict):
            pairs.append((f"model.layers[{number}].weight", None))
            if table.get("bias") is not False:
                pairs.append((f"model.layers[{number}].bias", None))
    return pairs


def _plain(value):
    """Nested lists of floats with every non-finite number replaced by None (JSON's null)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
