"""Decision boundaries, the hidden layer's view of the data, and activation curves.

The lecture's XOR picture (black and white points no line can split) and its answer (a hidden
layer moves them until one line can). Grids are one batched forward of the snapshot's model on
scaled inputs; coordinates are in raw input units, as the learner reads the data.

Class decisions follow `Snapshot.predicted_classes`: argmax for softmax, output >= 0.5 otherwise
(for a sigmoid that is logit >= 0; for a step output, step = 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from dltui.engine import ops
from dltui.engine.pictures.landscape import as_snapshot, model_forward
from dltui.engine.train.model import DTYPE, activation_module
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Snapshot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from dltui.engine.train.trainer import Trainer

# Where a single output crosses 0.5 (the class threshold) and the output range of bounded
# activations (a hidden-space plot keeps them fixed) are properties of each registry entry:
# ops.activation(name).half_at / .bounded.


# ------------------------------------------------------------------ decision grid


@dataclass(frozen=True)
class Points:
    """Data rows in raw input units with their class (int)."""

    x1: np.ndarray
    x2: np.ndarray
    classes: np.ndarray


@dataclass(frozen=True)
class BoundaryGrid:
    """The model over the input plane: `values[row, col]` is at (xs[col], ys[row]).

    `decision` is the output activation's (ops.Decision): one output (a sigmoid's p(class 1), a
    step's 0/1, another output on 0/1 targets) gives values = the output, class 1 where >= 0.5;
    argmax (softmax) gives values = the winning class's probability, `probabilities` [ny, nx, classes].
    `classes` [ny, nx] is the predicted class everywhere.
    """

    decision: ops.Decision
    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray
    classes: np.ndarray
    probabilities: np.ndarray | None
    threshold: float | None          # on `values`, for the single-output kinds
    class_names: tuple[str, ...]
    feature_names: tuple[str, str]
    train: Points
    test: Points


def boundary_problem(scenario: Scenario) -> str | None:
    """Why `decision_grid` cannot draw this scenario, or None when it can."""
    data = scenario.data
    if data.n_features != 2:
        return f"a decision boundary needs exactly 2 input features, this scenario has {data.n_features}"
    if data.classes:
        return None
    targets = np.asarray(data.train_targets, dtype=float)
    if data.n_outputs != 1 or not np.all(np.isin(targets, (0.0, 1.0))):
        return "a decision boundary needs a classification problem (class targets, or one 0/1 output)"
    return None


def _class_of(targets: np.ndarray) -> np.ndarray:
    targets = np.asarray(targets)
    return targets.reshape(len(targets), -1)[:, 0].round().astype(int) if len(targets) else np.empty(0, int)


def _span(values: np.ndarray, margin: float) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = margin * (hi - lo) if hi > lo else max(0.5, margin * abs(lo))
    return lo - pad, hi + pad


def decision_grid(source: "Snapshot | Trainer", scenario: Scenario | None = None, nx: int = 40,
                  ny: int = 20, margin: float = 0.25) -> BoundaryGrid:
    """The model's decision over the raw input plane (data range ± margin ⋅ range), one forward.

    `scenario` gives the scaling and the test rows; a Trainer source supplies its own.
    Raises ValueError (see `boundary_problem`) for anything but two-input classification.
    """
    scenario = scenario if scenario is not None else getattr(source, "scenario", None)
    if scenario is None:
        raise ValueError("decision_grid needs the scenario (for input scaling) with a Snapshot")
    problem = boundary_problem(scenario)
    if problem:
        raise ValueError(problem)
    if nx < 2 or ny < 2:
        raise ValueError(f"a decision grid needs at least 2x2 points, not {nx}⋅{ny}")
    snapshot = as_snapshot(source)
    data = scenario.data
    raw = np.vstack([data.train_inputs, data.test_inputs.reshape(-1, 2)])
    xs = np.linspace(*_span(raw[:, 0], margin), nx)
    ys = np.linspace(*_span(raw[:, 1], margin), ny)
    gy, gx = np.meshgrid(ys, xs, indexing="ij")
    plane = np.column_stack([gx.reshape(-1), gy.reshape(-1)])
    out = model_forward(snapshot, data.scaled(plane)).predictions.numpy()
    decision = ops.activation(scenario.layers[-1].activation).decision
    values, classes, probabilities, threshold = decision.classes(out)
    values, classes = values.reshape(ny, nx), classes.reshape(ny, nx)
    if probabilities is not None:
        probabilities = probabilities.reshape(ny, nx, -1)
    names = data.classes or ("0", "1")
    return BoundaryGrid(
        decision, xs, ys, values, classes, probabilities, threshold, tuple(names),
        (data.feature_names[0], data.feature_names[1]),
        Points(data.train_inputs[:, 0].copy(), data.train_inputs[:, 1].copy(), _class_of(data.train_targets)),
        Points(data.test_inputs.reshape(-1, 2)[:, 0].copy(), data.test_inputs.reshape(-1, 2)[:, 1].copy(),
               _class_of(data.test_targets)),
    )


# ------------------------------------------------------------------ hidden space


@dataclass(frozen=True)
class HiddenSpace:
    """Each training row as the next layer sees it: a point (h1, h2) of a 2-unit layer's outputs.

    `line` is the next (output) layer's decision line w⋅h + b = `level` clipped to the plotted box
    `x_range` ⋅ `y_range`: two endpoints, or None when it misses the box. `level` is the
    pre-activation where the output crosses 0.5 (Snapshot.predicted_classes' threshold): 0 for
    sigmoid (logit 0) and step, 0.5 for identity / relu / leaky_relu, atanh(0.5) for tanh; for a
    2-class softmax the line is (w2 − w1)⋅h + (b2 − b1) = 0.
    """

    layer: int
    h: np.ndarray                    # (rows, 2) the layer's outputs
    classes: np.ndarray              # (rows,) target class of each row
    inputs: np.ndarray               # (rows, features) the same rows in raw input units
    weight: np.ndarray               # (2,) w of the line
    bias: float                      # b of the line
    level: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    line: tuple[tuple[float, float], tuple[float, float]] | None


def hidden_space(snapshot: Snapshot, layer: int = 0, margin: float = 0.05) -> HiddenSpace:
    """The lecture's "how the hidden layer moves the points" for a 2-unit layer before the output."""
    layers = snapshot.layers
    if not 0 <= layer < len(layers) - 1:
        raise ValueError(f"layer {layer} is not a hidden layer (the model has {len(layers)} layers)")
    hidden, out = layers[layer], layers[layer + 1]
    if hidden.weight.shape[0] != 2:
        raise ValueError(f"the hidden space view needs a 2-unit layer; layer {layer + 1} has "
                         f"{hidden.weight.shape[0]} units")
    if layer + 1 != len(layers) - 1:
        raise ValueError("the hidden space view needs the layer right before the output layer")
    w, b = _output_line(out)
    h = np.array(hidden.output, dtype=float)
    output = ops.activation(out.activation)
    level = output.decision.level(output)
    if level is None:
        raise ValueError(f"a {out.activation} output has no class threshold to draw")
    x_range = _hidden_range(h[:, 0], hidden.activation, margin)
    y_range = _hidden_range(h[:, 1], hidden.activation, margin)
    return HiddenSpace(layer, h, _class_of(snapshot.targets), np.array(snapshot.inputs, dtype=float),
                       w, b, level, x_range, y_range, clip_line(w, b, level, x_range, y_range))


def _output_line(out) -> tuple[np.ndarray, float]:
    weight = np.asarray(out.weight, dtype=float)
    bias = np.zeros(weight.shape[0]) if out.bias is None else np.asarray(out.bias, dtype=float)
    if ops.activation(out.activation).decision.argmax and weight.shape[0] == 2:
        return weight[1] - weight[0], float(bias[1] - bias[0])
    if weight.shape[0] != 1:
        raise ValueError(f"the hidden space view needs one output (or a 2-class softmax), "
                         f"not {weight.shape[0]} outputs")
    return weight[0].copy(), float(bias[0])


def _hidden_range(values: np.ndarray, activation: str, margin: float) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    bounded = ops.activation(activation).bounded
    lo, hi = bounded or (0.0, 0.0)
    if bounded is None and finite.size:
        lo, hi = min(0.0, float(finite.min())), max(1.0, float(finite.max()))
    pad = margin * (hi - lo)
    return lo - pad, hi + pad


def clip_line(w: np.ndarray, b: float, level: float, x_range: tuple[float, float],
              y_range: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The segment of {h : w1h1 + w2h2 + b = level} inside the box, or None."""
    w1, w2 = float(w[0]), float(w[1])
    c = level - b
    if not all(map(math.isfinite, (w1, w2, c))) or (w1 == 0 and w2 == 0):
        return None
    (x0, x1), (y0, y1) = x_range, y_range
    tol = 1e-12 * max(1.0, abs(x1 - x0), abs(y1 - y0))
    hits: list[tuple[float, float]] = []
    if w2 != 0:
        for x in (x0, x1):
            y = (c - w1 * x) / w2
            if y0 - tol <= y <= y1 + tol:
                hits.append((x, min(max(y, y0), y1)))
    if w1 != 0:
        for y in (y0, y1):
            x = (c - w2 * y) / w1
            if x0 - tol <= x <= x1 + tol:
                hits.append((min(max(x, x0), x1), y))
    if len(hits) < 2:
        return None
    a, z = max(((p, q) for p in hits for q in hits), key=lambda pq: math.dist(*pq))
    return (a, z) if math.dist(a, z) > tol else None


# ------------------------------------------------------------------ activations


def activation_curve(name: str, zs: np.ndarray) -> np.ndarray:
    """f(z) for each z, with the engine's own activation modules (softmax has no 1-D curve)."""
    if not ops.activation(name).elementwise:
        raise ValueError(f"{name} is not a function of one number: it has no single curve")
    with torch.no_grad():
        return activation_module(name)(torch.tensor(np.asarray(zs, dtype=float), dtype=DTYPE)).numpy().copy()


@dataclass(frozen=True)
class ActivationPoints:
    """Each training row's (z, a) in one layer, to mark on the activation's curve."""

    layer: int
    activation: str
    z: np.ndarray                   # (rows, units) pre-activations
    a: np.ndarray                   # (rows, units) outputs
    z_range: tuple[float, float]    # covers every finite z (and at least −4…4), with a margin

    @property
    def has_curve(self) -> bool:
        """False for softmax: each a depends on the whole row's z, not one number."""
        return ops.activation(self.activation).elementwise

    def curve(self, points: int = 101) -> tuple[np.ndarray, np.ndarray]:
        """(zs, f(zs)) over `z_range` ‒ the function to draw under the points."""
        zs = np.linspace(*self.z_range, points)
        return zs, activation_curve(self.activation, zs)


def activation_points(snapshot: Snapshot, layer: int) -> ActivationPoints:
    """The rows' weighted sums and activations of `layer`, from the snapshot (no recomputation)."""
    if not 0 <= layer < len(snapshot.layers):
        raise ValueError(f"layer {layer} does not exist (the model has {len(snapshot.layers)} layers)")
    spec = snapshot.layers[layer]
    z = np.array(spec.pre_activation, dtype=float)
    finite = z[np.isfinite(z)]
    lo = min(-4.0, float(finite.min())) if finite.size else -4.0
    hi = max(4.0, float(finite.max())) if finite.size else 4.0
    pad = 0.05 * (hi - lo)
    return ActivationPoints(layer, spec.activation, z, np.array(spec.output, dtype=float),
                            (lo - pad, hi + pad))
