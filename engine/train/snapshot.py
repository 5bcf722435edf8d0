"""Immutable pictures of the training state that the engine hands to screens and the CLI.

Every array is a private read-only copy: the next update never changes a snapshot already given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from dltui.engine import ops


class Phase(str, Enum):
    """Where a step stands. A step runs FORWARD (row by row) → LOSS → BACKWARD → UPDATE."""

    START = "start"        # the state at a step boundary before any phase (step 0, reset, back)
    FORWARD = "forward"    # predictions of the batch computed, up to `Snapshot.row`
    LOSS = "loss"          # the batch loss computed from the predictions
    BACKWARD = "backward"  # gradients of the batch loss computed
    UPDATE = "update"      # parameters updated; the snapshot shows the new step


def frozen(array) -> np.ndarray:
    out = np.array(array, dtype=float, copy=True)
    out.flags.writeable = False
    return out


@dataclass(frozen=True)
class LayerSnapshot:
    """One dense layer: its parameters with gradients and last change, and its activity.

    `weight` is (units, inputs) as nn.Linear stores it; `bias` is None without a bias term.
    `pre_activation` / `output` are (training rows, units): z = x⋅Wᵀ + b and a = f(z).
    Gradients are None until this step's backward phase; changes None before the first update.
    `optimizer_state` names extra per-parameter state (momentum buffer, Adam's moments).
    """

    activation: str
    weight: np.ndarray
    bias: np.ndarray | None
    weight_grad: np.ndarray | None
    bias_grad: np.ndarray | None
    weight_change: np.ndarray | None
    bias_change: np.ndarray | None
    pre_activation: np.ndarray
    output: np.ndarray
    optimizer_state: dict[str, tuple[np.ndarray, np.ndarray | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class ParameterState:
    """One torch parameter as numpy arrays (views are fine: `layer_snapshot` copies them).

    `grad` None when not fresh; `change` None before the first update; `buffers` the optimizer's
    per-element state by torch's key (`exp_avg`, `momentum_buffer`, ⋯).
    """

    value: np.ndarray
    grad: np.ndarray | None
    change: np.ndarray | None
    buffers: dict[str, np.ndarray] = field(default_factory=dict)


def layer_snapshot(activation: str, weight: ParameterState, bias: ParameterState | None,
                   pre_activation: np.ndarray, output: np.ndarray) -> LayerSnapshot:
    """A layer's frozen picture from its parameters' state and its activity (all copied)."""
    def maybe(array):
        return None if array is None else frozen(array)

    bias_buffers = bias.buffers if bias is not None else {}
    return LayerSnapshot(
        activation=activation,
        weight=frozen(weight.value), bias=None if bias is None else frozen(bias.value),
        weight_grad=maybe(weight.grad), bias_grad=None if bias is None else maybe(bias.grad),
        weight_change=maybe(weight.change), bias_change=None if bias is None else maybe(bias.change),
        pre_activation=frozen(pre_activation), output=frozen(output),
        optimizer_state={k: (frozen(v), maybe(bias_buffers.get(k))) for k, v in weight.buffers.items()},
    )


@dataclass(frozen=True)
class Snapshot:
    """The whole visible state after one engine call.

    `loss`, `predictions` and `row_losses` are for the full training set at the current
    parameters; `batch` lists the training rows of the step in progress and `batch_loss` is
    their mean term (equal to `loss` for full-batch training).
    """

    step: int
    phase: Phase
    row: int | None             # FORWARD: position in `batch` of the newest computed row
    batch: np.ndarray
    rows_per_phase: bool        # whether FORWARD advances one row at a time
    learning_rate: float
    optimizer: str
    loss_name: str
    loss: float
    batch_loss: float | None    # from LOSS on; None before
    test_loss: float | None
    inputs: np.ndarray          # training rows as written in the file
    model_inputs: np.ndarray    # the same rows as the model sees them (scaled)
    targets: np.ndarray         # (rows, outputs) floats, or (rows,) class indices
    predictions: np.ndarray     # (rows, outputs), after the output activation
    row_losses: np.ndarray      # (rows,) each row's term of the loss
    test_inputs: np.ndarray
    test_targets: np.ndarray
    test_predictions: np.ndarray
    test_row_losses: np.ndarray
    layers: tuple[LayerSnapshot, ...]
    diverged: bool
    diverged_at: int | None
    # The rate of the step on show: at UPDATE the rate that update used (a later `[`/`]` changes
    # `learning_rate`, the rate in force from now on, not the arithmetic already done); before
    # it, the rate the step in progress will use. None: same as `learning_rate`.
    step_learning_rate: float | None = None

    @property
    def rate_of_step(self) -> float:
        return self.learning_rate if self.step_learning_rate is None else self.step_learning_rate

    @property
    def n_rows(self) -> int:
        return len(self.inputs)

    @property
    def classification(self) -> bool:
        return ops.loss(self.loss_name).classification

    @property
    def class_targets(self) -> bool:
        """Targets are class indices (a softmax over classes), not numbers."""
        return ops.loss(self.loss_name).class_targets

    def predicted_classes(self, test: bool = False) -> np.ndarray:
        """Class decisions: argmax for softmax outputs, p >= 0.5 (or step = 1) otherwise."""
        return predicted_classes(self.loss_name, self.test_predictions if test else self.predictions)

    def accuracy(self, test: bool = False) -> float | None:
        """Fraction of rows classified right, for classification-shaped problems."""
        return accuracy(self.loss_name, self.test_predictions if test else self.predictions,
                        self.test_targets if test else self.targets)


CLASSIFICATION_LOSSES = tuple(name for name in ops.LOSS_NAMES if ops.loss(name).classification)


def predicted_classes(loss_name: str, predictions: np.ndarray) -> np.ndarray:
    """Class decisions: argmax for softmax outputs, p >= 0.5 (or step = 1) otherwise."""
    if ops.loss(loss_name).class_targets:
        return predictions.argmax(axis=1)
    return (predictions >= 0.5).astype(float)


def accuracy(loss_name: str, predictions: np.ndarray, targets: np.ndarray) -> float | None:
    """Fraction of rows classified right; None without rows."""
    if len(targets) == 0:
        return None
    return float((predicted_classes(loss_name, np.asarray(predictions)) == targets).mean())
