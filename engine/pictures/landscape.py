"""Loss landscapes: the training loss over one or two parameters, the others held where they are.

The lecture draws "walk down the slope" by hand; these grids are the real thing. Every grid is ONE
batched evaluation: `torch.func.vmap` over `functional_call` of a shadow of the model (the same
`Linear → activation` modules and the same `loss_value` the trainer uses), with one stacked
parameter vector per grid point. The shadow lives on torch's meta device and only ever sees
parameters passed in, so the trainer's own model is never touched (functional_call swaps
parameters in place, which would race with training if a worker thread used the live model).

Everything takes a `Snapshot` (preferred: immutable, safe in a worker) or a `Trainer` (its
current snapshot is used). Losses are over the full training set, like `Snapshot.loss`, not the
mini-batch of the step in progress. A diverged state gives non-finite losses; nothing raises.

Flat parameter order, used by every index here: layer by layer, the weight row-major
(`(units, inputs)`, nn.Linear's layout) then the bias ‒ the order of `model.parameters()`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, vmap

from dltui.engine import ops
from dltui.engine.explain.terms import parameter_label
from dltui.engine.naming import is_single_neuron
from dltui.engine.train.model import DTYPE, Forward, activation_module, forward, loss_value
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Snapshot

if TYPE_CHECKING:  # pragma: no cover - typing only
    from dltui.engine.train.trainer import Trainer

# vmap evaluates grid points in chunks of at most this many (points × rows × widest layer) numbers,
# so a 60×30 grid on thousands of CSV rows stays a few tens of MB; the lecture's data is one chunk.
CHUNK_ELEMENTS = 1 << 22
RECENT_STEPS = 20     # how much of the path the automatic span reaches for
SPAN_FACTOR = 1.5     # automatic half-width = SPAN_FACTOR × max(|value|, movement, floor)
MIN_SPAN = 1e-3


# ------------------------------------------------------------------ parameter names


@dataclass(frozen=True)
class ParameterRef:
    """One scalar parameter: its flat index, its label (explain.parameter_label) and place."""

    index: int
    label: str
    layer: int
    kind: str            # "w" or "b"
    unit: int
    input: int | None    # weight column; None for a bias


def parameter_refs(source: Scenario | Snapshot) -> tuple[ParameterRef, ...]:
    """Every scalar parameter in flat order, from a scenario (before torch loads) or a snapshot."""
    if isinstance(source, Scenario):
        fan_in = source.data.n_features
        shapes = []
        for spec in source.layers:
            shapes.append((spec.units, fan_in, spec.has_bias))
            fan_in = spec.units
    else:
        shapes = [(layer.weight.shape[0], layer.weight.shape[1], layer.bias is not None)
                  for layer in source.layers]
    single = is_single_neuron(shapes)
    refs: list[ParameterRef] = []
    for layer, (units, inputs, has_bias) in enumerate(shapes):
        for unit in range(units):
            for col in range(inputs):
                refs.append(ParameterRef(len(refs), parameter_label(layer, "w", unit, col, single),
                                         layer, "w", unit, col))
        if has_bias:
            for unit in range(units):
                refs.append(ParameterRef(len(refs), parameter_label(layer, "b", unit, None, single),
                                         layer, "b", unit, None))
    return tuple(refs)


def parameter_names(source: Scenario | Snapshot) -> list[str]:
    """Labels in flat order (`w1, w2, w3, b`; `L1 w[1,2]`, `L1 b[1]`): position = flat index."""
    return [ref.label for ref in parameter_refs(source)]


def flat_parameters(source: "Snapshot | Trainer") -> np.ndarray:
    """The current parameters as one flat float64 vector (a copy), in flat order."""
    snapshot = as_snapshot(source)
    parts = []
    for layer in snapshot.layers:
        parts.append(np.asarray(layer.weight, dtype=float).reshape(-1))
        if layer.bias is not None:
            parts.append(np.asarray(layer.bias, dtype=float).reshape(-1))
    return np.concatenate(parts)


def visited_parameters(trainer: "Trainer", max_points: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """(steps, parameter vectors [k, P]) of the steps so far: `Trainer.parameter_path`."""
    return trainer.parameter_path(max_points)


# ------------------------------------------------------------------ batched evaluation


def as_snapshot(source: "Snapshot | Trainer") -> Snapshot:
    """A snapshot for either kind of source (a Trainer's is cached until its state changes)."""
    if isinstance(source, Snapshot):
        return source
    if hasattr(source, "snapshot"):
        return source.snapshot()
    raise TypeError(f"expected a Snapshot or a Trainer, not {type(source).__name__}")


def shadow_model(snapshot: Snapshot) -> nn.Sequential:
    """The model's modules without storage (meta device): parameters always come from outside."""
    modules: list[nn.Module] = []
    for layer in snapshot.layers:
        units, inputs = layer.weight.shape
        modules += [nn.Linear(inputs, units, bias=layer.bias is not None, device="meta", dtype=DTYPE),
                    activation_module(layer.activation)]
    return nn.Sequential(*modules)


class _LossOf(nn.Module):
    """The engine's own loss of the engine's own forward pass, as one module to functional_call."""

    def __init__(self, net: nn.Sequential, loss: str):
        super().__init__()
        self.net, self.loss = net, loss

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return loss_value(self.loss, forward(self.net, x), y)


class _ForwardOf(nn.Module):
    def __init__(self, net: nn.Sequential):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        fwd = forward(self.net, x)
        return fwd.pre_activations, fwd.outputs


def _split(module: nn.Module, vector: torch.Tensor) -> dict[str, torch.Tensor]:
    """A flat parameter vector as functional_call's {name: tensor} (views, no copies)."""
    out, offset = {}, 0
    for name, p in module.named_parameters():
        size = p.numel()
        out[name] = vector[offset:offset + size].view(p.shape)
        offset += size
    return out


def targets_tensor(snapshot: Snapshot) -> torch.Tensor:
    """Training targets as the trainer's loss sees them (class indices, or (rows, outputs))."""
    targets = np.asarray(snapshot.targets)
    if ops.loss(snapshot.loss_name).class_targets:
        return torch.tensor(targets, dtype=torch.long).reshape(-1)
    return torch.tensor(targets, dtype=DTYPE).reshape(len(targets), -1)


class _Evaluator:
    """Training loss at many parameter vectors in one vmap call."""

    def __init__(self, snapshot: Snapshot):
        self.module = _LossOf(shadow_model(snapshot), snapshot.loss_name)
        self.x = torch.tensor(np.asarray(snapshot.model_inputs), dtype=DTYPE)
        self.y = targets_tensor(snapshot)
        self.base = flat_parameters(snapshot)
        widest = max([self.x.shape[1]] + [layer.weight.shape[0] for layer in snapshot.layers])
        self.chunk = max(1, CHUNK_ELEMENTS // max(1, len(self.x) * widest))

    def losses(self, thetas: np.ndarray) -> np.ndarray:
        """Loss at each row of `thetas` [G, P]: one batched evaluation."""
        thetas = torch.as_tensor(np.ascontiguousarray(thetas, dtype=float))
        if len(thetas) == 0:
            return np.empty(0)
        module, x, y = self.module, self.x, self.y

        def one(vector: torch.Tensor) -> torch.Tensor:
            return functional_call(module, _split(module, vector), (x, y))

        with torch.no_grad():
            chunk = self.chunk if len(thetas) > self.chunk else None
            return vmap(one, chunk_size=chunk)(thetas).numpy().copy()


def evaluate_losses(source: "Snapshot | Trainer", thetas: np.ndarray) -> np.ndarray:
    """The training loss at each parameter vector of `thetas` [G, P] (batched)."""
    return _Evaluator(as_snapshot(source)).losses(np.atleast_2d(thetas))


def model_forward(snapshot: Snapshot, model_inputs: np.ndarray,
                  parameters: np.ndarray | None = None) -> Forward:
    """One batched forward of the snapshot's model (or `parameters`) on scaled inputs [N, F]."""
    module = _ForwardOf(shadow_model(snapshot))
    vector = torch.as_tensor(flat_parameters(snapshot) if parameters is None
                             else np.ascontiguousarray(parameters, dtype=float))
    x = torch.tensor(np.asarray(model_inputs, dtype=float), dtype=DTYPE)
    with torch.no_grad():
        zs, outs = functional_call(module, _split(module, vector), (x,))
    return Forward(list(zs), list(outs))


# ------------------------------------------------------------------ spans and grids


def auto_span(values: np.ndarray, index: int, path: np.ndarray | None = None,
              cover: Sequence[float] = ()) -> float:
    """Half-width of a grid around parameter `index`.

    SPAN_FACTOR ⋅ max(|value|, how far the last RECENT_STEPS visited points lie from it, a floor
    of 0.1 ⋅ the RMS of all parameters, MIN_SPAN) ‒ and wide enough to reach every `cover`
    value (e.g. the least-squares optimum's coordinate). Non-finite inputs are ignored.
    """
    value = float(values[index])
    if not math.isfinite(value):
        return 1.0
    finite = values[np.isfinite(values)]
    floor = max(MIN_SPAN, 0.1 * float(np.sqrt(np.mean(finite ** 2))) if finite.size else 0.0)
    movement = 0.0
    if path is not None and len(path):
        recent = np.asarray(path, dtype=float)[-RECENT_STEPS:, index]
        recent = recent[np.isfinite(recent)]
        if recent.size:
            movement = float(np.max(np.abs(recent - value)))
    half = SPAN_FACTOR * max(abs(value), movement, floor)
    for c in cover:
        if math.isfinite(c):
            half = max(half, 1.1 * abs(float(c) - value))
    return half


GRID_WORK_BUDGET = 1e8   # rows × parameters × grid points: ≈ 25 ms on the 2-core dev machine


def fit_grid(source: "Snapshot | Trainer", nx: int, ny: int = 1,
             budget: float = GRID_WORK_BUDGET) -> tuple[int, int]:
    """(nx, ny) shrunk, keeping their ratio, so a grid's cost stays within `budget`.

    A grid costs about points ⋅ training rows ⋅ parameters: nothing for the lecture's tables,
    but a 60x30 grid over 3,341 abalone rows takes ~0.3 s. Never below 3 points an axis.
    """
    snapshot = as_snapshot(source)
    per_point = max(1, snapshot.n_rows) * max(1, sum(l.weight.size + (0 if l.bias is None else l.bias.size)
                                                     for l in snapshot.layers))
    points = nx * ny
    if points * per_point <= budget:
        return nx, ny
    shrink = math.sqrt(budget / (points * per_point)) if ny > 1 else budget / (points * per_point)
    return max(3, int(nx * shrink)), (max(3, int(ny * shrink)) if ny > 1 else ny)


def _axis(value: float, span: float, points: int) -> np.ndarray:
    """`points` values over [value − span, value + span]; the middle one is exactly `value`."""
    if points < 2:
        raise ValueError(f"a landscape axis needs at least 2 points, not {points}")
    xs = np.linspace(value - span, value + span, points)
    if points % 2:
        xs[points // 2] = value
    return xs


@dataclass(frozen=True)
class PathOn:
    """The visited steps seen on a landscape.

    `xs` (and `ys` for 2-D) are the visited values of the chosen parameter(s).
    `slice_losses`: the loss at those values with every OTHER parameter held at its CURRENT value,
    i.e. the points lie exactly on the drawn curve / heatmap (the lecture's ball on the slope).
    `losses`: the loss at the visited parameter vectors themselves, i.e. each step's recorded
    training loss (off the curve whenever other parameters moved too).
    """

    xs: np.ndarray
    ys: np.ndarray | None
    slice_losses: np.ndarray
    losses: np.ndarray


@dataclass(frozen=True)
class Landscape1D:
    """loss(theta_i) over `xs` with the other parameters held at their current values."""

    index: int
    label: str
    xs: np.ndarray
    losses: np.ndarray
    current_x: float
    current_loss: float
    span: float                      # half-width: xs cover current_x ± span
    path: PathOn | None = None       # given `path=` to landscape_1d
    _evaluator: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Landscape2D:
    """loss(theta_i, theta_j): `losses[row, col]` is at (xs[col], ys[row]); shape [len(ys), len(xs)]."""

    index_x: int
    index_y: int
    label_x: str
    label_y: str
    xs: np.ndarray
    ys: np.ndarray
    losses: np.ndarray
    current: tuple[float, float]
    current_loss: float
    span: tuple[float, float]
    path: PathOn | None = None
    _evaluator: Any = field(default=None, repr=False, compare=False)


def _check_index(evaluator: _Evaluator, index: int) -> int:
    n = len(evaluator.base)
    if not 0 <= index < n:
        raise ValueError(f"parameter index {index} is out of range (the model has {n} parameters)")
    return int(index)


def landscape_1d(source: "Snapshot | Trainer", param_index: int, span: float | None = None,
                 points: int = 61, path: np.ndarray | None = None,
                 cover: Sequence[float] = ()) -> Landscape1D:
    """The loss as a function of one parameter around its current value, in one batched call.

    `span` is the half-width (default: `auto_span`, which reaches the recent `path` and `cover`).
    `path` (visited parameter vectors [k, P], e.g. from `visited_parameters`) also fills
    `.path` in the same batched evaluation. With an odd `points` the middle x is the current value.
    """
    snapshot = as_snapshot(source)
    ev = _Evaluator(snapshot)
    i = _check_index(ev, param_index)
    path = None if path is None else np.asarray(path, dtype=float).reshape(-1, len(ev.base))
    half = float(span) if span is not None else auto_span(ev.base, i, path, cover)
    xs = _axis(float(ev.base[i]), half, points)
    thetas = np.repeat(ev.base[None, :], points + 1, axis=0)
    thetas[:points, i] = xs                       # the last row is the current point itself
    extra = _path_thetas(ev.base, path, (i,))
    losses = ev.losses(np.concatenate([thetas, extra]) if extra is not None else thetas)
    current_loss = float(losses[points])
    path_on_ = _path_from(losses[points + 1:], path, (i,)) if path is not None else None
    return Landscape1D(i, parameter_names(snapshot)[i], xs, losses[:points], float(ev.base[i]),
                       current_loss, half, path_on_, ev)


def landscape_2d(source: "Snapshot | Trainer", i: int, j: int, points_x: int = 41,
                 points_y: int = 21, span_x: float | None = None, span_y: float | None = None,
                 path: np.ndarray | None = None,
                 cover: Sequence[tuple[float, float]] = ()) -> Landscape2D:
    """The loss over two parameters (x = theta_i, y = theta_j) around the current point, one batched call."""
    snapshot = as_snapshot(source)
    ev = _Evaluator(snapshot)
    i, j = _check_index(ev, i), _check_index(ev, j)
    if i == j:
        raise ValueError("a 2-D landscape needs two different parameters")
    path = None if path is None else np.asarray(path, dtype=float).reshape(-1, len(ev.base))
    hx = float(span_x) if span_x is not None else auto_span(ev.base, i, path, [c[0] for c in cover])
    hy = float(span_y) if span_y is not None else auto_span(ev.base, j, path, [c[1] for c in cover])
    xs = _axis(float(ev.base[i]), hx, points_x)
    ys = _axis(float(ev.base[j]), hy, points_y)
    n = points_x * points_y
    thetas = np.repeat(ev.base[None, :], n + 1, axis=0)
    gy, gx = np.meshgrid(ys, xs, indexing="ij")   # [ny, nx] each, row-major like `losses`
    thetas[:n, i] = gx.reshape(-1)
    thetas[:n, j] = gy.reshape(-1)
    extra = _path_thetas(ev.base, path, (i, j))
    losses = ev.losses(np.concatenate([thetas, extra]) if extra is not None else thetas)
    names = parameter_names(snapshot)
    path_on_ = _path_from(losses[n + 1:], path, (i, j)) if path is not None else None
    return Landscape2D(i, j, names[i], names[j], xs, ys, losses[:n].reshape(points_y, points_x),
                       (float(ev.base[i]), float(ev.base[j])), float(losses[n]), (hx, hy),
                       path_on_, ev)


def _path_thetas(base: np.ndarray, path: np.ndarray | None, indices: tuple[int, ...]) -> np.ndarray | None:
    """Rows to evaluate for a path: the slice points (others at base), then the visited vectors."""
    if path is None or len(path) == 0:
        return None
    on_slice = np.repeat(base[None, :], len(path), axis=0)
    on_slice[:, list(indices)] = path[:, list(indices)]
    return np.concatenate([on_slice, path])


def _path_from(losses: np.ndarray, path: np.ndarray, indices: tuple[int, ...]) -> PathOn:
    k = len(path)
    ys = path[:, indices[1]].copy() if len(indices) == 2 else None
    return PathOn(path[:, indices[0]].copy(), ys, losses[:k].copy(), losses[k:2 * k].copy())


def path_on(landscape: Landscape1D | Landscape2D, visited: np.ndarray) -> PathOn:
    """Project visited parameter vectors [k, P] onto a landscape's parameter(s) (one batched call).

    See `PathOn` for the two losses given. Also marks a single point: `path_on(ls, optimum[None])`.
    """
    ev: _Evaluator = landscape._evaluator
    visited = np.asarray(visited, dtype=float).reshape(-1, len(ev.base))
    indices = ((landscape.index,) if isinstance(landscape, Landscape1D)
               else (landscape.index_x, landscape.index_y))
    extra = _path_thetas(ev.base, visited, indices)
    losses = ev.losses(extra) if extra is not None else np.empty(0)
    return _path_from(losses, visited, indices)


# ------------------------------------------------------------------ closed form


@dataclass(frozen=True)
class LeastSquares:
    """The least-squares (MSE) solution of a linear-regression scenario, in flat order.

    `optimal` says whether it minimises the scenario's own loss: always for mse; for mae only when
    it fits every training row exactly (zero residuals minimise the MAE too), else it is just the
    MSE optimum. With fewer rows than parameters (the lecture's 3 houses, 4 parameters) there are
    many exact fits; numpy gives the smallest-norm one.
    """

    parameters: np.ndarray
    loss_name: str
    optimal: bool
    exact_fit: bool
    label: str
    unique: bool = True      # False: fewer independent rows than parameters, one fit of many


def linear_regression(scenario: Scenario) -> bool:
    """One layer, identity activation, mse or mae: a linear least-squares problem."""
    return (len(scenario.layers) == 1 and not ops.activation(scenario.layers[0].activation).shows_value
            and ops.loss(scenario.train.loss).regression and not scenario.data.classes)


def least_squares_fit(scenario: Scenario) -> LeastSquares | None:
    """`numpy.linalg.lstsq` on the scaled inputs (+ a column of ones with a bias); None if not linear."""
    if not linear_regression(scenario):
        return None
    data = scenario.data
    x = np.asarray(data.scaled(data.train_inputs), dtype=float)
    y = np.asarray(data.train_targets, dtype=float).reshape(len(x), -1)
    has_bias = scenario.layers[0].has_bias
    design = np.hstack([x, np.ones((len(x), 1))]) if has_bias else x
    solution, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)     # [inputs (+1), outputs]
    weight = solution[:x.shape[1]].T                          # nn.Linear's (units, inputs)
    parts = [weight.reshape(-1)] + ([solution[x.shape[1]]] if has_bias else [])
    params = np.concatenate(parts)
    residual = design @ solution - y
    exact = bool(np.all(np.abs(residual) <= 1e-9 * max(1.0, float(np.max(np.abs(y))))))
    optimal = ops.loss(scenario.train.loss).least_squares_optimal or exact
    label = ("least-squares optimum" if optimal
             else "least-squares (MSE) optimum ‒ not the MAE optimum")
    return LeastSquares(params, scenario.train.loss, optimal, exact, label, unique=int(rank) == design.shape[1])


def least_squares_optimum(scenario: Scenario) -> np.ndarray | None:
    """Closed-form optimal parameters (flat order) where the formula answers directly, else None.

    mse: always (for a linear-regression scenario); mae: only for an exact fit. `least_squares_fit`
    gives the MSE solution in every linear case, labelled.
    """
    fit = least_squares_fit(scenario)
    return fit.parameters if fit is not None and fit.optimal else None
