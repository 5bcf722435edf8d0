"""Where every number comes from, as data built from a snapshot's own values.

`forward_terms` gives each weighted sum with its terms (`32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 + 0.5 = 5.8`)
and the activation applied; `loss_terms` each row's term and how they are reduced; `update_lines`
each parameter's `w − lr ⋅ g = w'`. Screens and the CLI only lay these out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dltui.engine import ops
from dltui.engine.naming import parameter_name
from dltui.engine.numbers import fmt, fmt_loss
from dltui.engine.train.snapshot import Snapshot



@dataclass(frozen=True)
class WeightedSum:
    """One neuron on one row: z = Σ input ⋅ weight (+ bias), then a = activation(z)."""

    layer: int
    unit: int
    terms: tuple[tuple[float, float], ...]   # (input, weight) pairs
    bias: float | None
    z: float
    activation: str
    a: float
    layer_z: tuple[float, ...] = ()   # every z of the layer on this row: softmax reads them all

    def text(self) -> str:
        parts = [f"{fmt(x)} ⋅ {fmt(w)}" for x, w in self.terms]
        if self.bias is not None:
            parts.append(fmt(self.bias))
        return " + ".join(parts).replace("+ -", "− ") + f" = {fmt(self.z)}"

    def activation_text(self) -> str:
        """`sigmoid(0.73) = 0.675`; empty for identity, where a is z. An activation that is not
        elementwise takes the whole layer: `softmax(-0.14, -0.21)[1] = 0.519`."""
        activation = ops.activation(self.activation)
        if not activation.shows_value:
            return ""
        if not activation.elementwise and self.layer_z:
            logits = ", ".join(fmt(z) for z in self.layer_z)
            return f"{self.activation}({logits})[{self.unit + 1}] = {fmt(self.a)}"
        return f"{self.activation}({fmt(self.z)}) = {fmt(self.a)}"


@dataclass(frozen=True)
class LossRow:
    row: int
    target: tuple[float, ...]
    prediction: tuple[float, ...]
    term: float


@dataclass(frozen=True)
class LossTerms:
    name: str
    formula: str
    rows: tuple[LossRow, ...]
    total: float
    mean: float

    def lecture_mse(self) -> float | None:
        """The lecture's slide writes MSE = SSE / (n − 2): its value for these rows, or None for
        n ≤ 2, where that division means nothing."""
        n = len(self.rows)
        return self.total / (n - 2) if n > 2 else None

    def reduction_text(self) -> str:
        """`(0.2 + 0.3 + 1.2) / 3 = 0.567`, shortened for many rows."""
        terms = [fmt(r.term, 4) for r in self.rows]
        shown = " + ".join(terms) if len(terms) <= 6 else " + ".join(terms[:3]) + " + ⋯ + " + terms[-1]
        return f"({shown}) / {len(self.rows)} = {fmt(self.total, 4)} / {len(self.rows)} = {fmt_loss(self.mean)}"


@dataclass(frozen=True)
class UpdateLine:
    """One parameter's update. For SGD `before − lr ⋅ grad = after`; other optimizers add
    their own step (`step` = after − before) and the state that made it."""

    name: str
    before: float
    grad: float | None
    learning_rate: float
    after: float
    optimizer: str

    @property
    def step(self) -> float:
        return self.after - self.before

    def text(self) -> str:
        if ops.optimizer(self.optimizer).plain and self.grad is not None:
            return (f"{self.name}: {fmt(self.before)} − {fmt(self.learning_rate)} ⋅ {fmt(self.grad)}"
                    f" = {fmt(self.after)}")
        sign = "−" if self.step < 0 else "+"
        return f"{self.name}: {fmt(self.before)} {sign} {fmt(abs(self.step))} = {fmt(self.after)}"


parameter_label = parameter_name   # one naming scheme everywhere: engine/naming.py


def forward_terms(snapshot: Snapshot, row: int) -> list[list[WeightedSum]]:
    """Every neuron's weighted sum for training row `row`, layer by layer."""
    out = []
    inputs = snapshot.model_inputs[row]
    for index, layer in enumerate(snapshot.layers):
        sums = []
        for unit in range(layer.weight.shape[0]):
            sums.append(WeightedSum(
                layer=index, unit=unit,
                terms=tuple(zip(inputs.tolist(), layer.weight[unit].tolist())),
                bias=None if layer.bias is None else float(layer.bias[unit]),
                z=float(layer.pre_activation[row, unit]),
                activation=layer.activation,
                a=float(layer.output[row, unit]),
                layer_z=tuple(layer.pre_activation[row].tolist()),
            ))
        out.append(sums)
        inputs = layer.output[row]
    return out


def loss_terms(snapshot: Snapshot, rows: np.ndarray | None = None) -> LossTerms:
    """Each row's term of the loss (all training rows, or a batch) and their mean."""
    rows = np.arange(snapshot.n_rows) if rows is None else rows
    items = []
    for r in rows.tolist():
        target = snapshot.targets[r]
        items.append(LossRow(r, tuple(np.atleast_1d(target).astype(float).tolist()),
                             tuple(snapshot.predictions[r].tolist()), float(snapshot.row_losses[r])))
    terms = np.array([i.term for i in items])
    return LossTerms(snapshot.loss_name, ops.loss(snapshot.loss_name).formula, tuple(items),
                     float(terms.sum()), float(terms.mean()))


def update_lines(snapshot: Snapshot) -> list[UpdateLine]:
    """Every parameter's last update, from the snapshot's values, change and gradient."""
    single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
    lines = []
    for index, layer in enumerate(snapshot.layers):
        pieces = [("w", layer.weight, layer.weight_grad, layer.weight_change)]
        if layer.bias is not None:
            pieces.append(("b", layer.bias, layer.bias_grad, layer.bias_change))
        for kind, value, grad, change in pieces:
            if change is None:
                continue
            for position in np.ndindex(value.shape):
                unit, idx = (position[0], position[1]) if kind == "w" else (position[0], None)
                after = float(value[position])
                lines.append(UpdateLine(
                    name=parameter_label(index, kind, unit, idx, single),
                    before=after - float(change[position]),
                    grad=None if grad is None else float(grad[position]),
                    learning_rate=snapshot.rate_of_step,
                    after=after,
                    optimizer=snapshot.optimizer,
                ))
    return lines
