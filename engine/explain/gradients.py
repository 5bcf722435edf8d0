"""Where each gradient and each optimizer step comes from, with the snapshot's numbers plugged in.

For one layer the lecture's form: `𝜕L/𝜕w1 = (sign(5.8 − 6)⋅32 + ⋯) / 3 = -33.666667` (MAE:
mean of sign(predict − target) ⋅ x). For deeper networks the chain rule, layer by layer, with
its factors named: 𝜕L/𝜕a, 𝜕a/𝜕z = f'(z), 𝜕L/𝜕z, then 𝜕L/𝜕w = Σ 𝜕L/𝜕z⋅𝜕z/𝜕w. For the update,
momentum's and Adam's extra state. Every number is computed here in numpy from the snapshot's
own values (forward activity, targets, batch rows) so the screen can show the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dltui.engine import ops
from dltui.engine.explain.terms import parameter_label, update_lines
from dltui.engine.numbers import cancelled, fmt
from dltui.engine.load.scenario import TrainSpec
from dltui.engine.train.snapshot import Phase, Snapshot

ADAM_EPS = ops.ADAM_EPS
MAX_TERMS = 6            # longer sums show their first three terms, "…", and the last


def _n(value: float) -> str:
    """A number inside an expression: negative ones in parentheses."""
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


def _sum_text(terms: list[str], joiner: str = " + ") -> str:
    if len(terms) > MAX_TERMS:
        terms = terms[:3] + ["⋯"] + terms[-1:]
    return joiner.join(terms)


def _symbol(name: str) -> str:
    return name.split(" ", 1)[-1]


# --------------------------------------------------------------------------- one layer, lecture form


@dataclass(frozen=True)
class RowTerm:
    """One batch row's part of one parameter's gradient: factor(predict, target) ⋅ f'(z) ⋅ x."""

    row: int
    predict: float
    target: float
    slope: float | None      # f'(z) when the loss does not fold the activation in (None: identity/folded)
    input: float | None      # x for a weight, None for a bias

    def product(self, loss: str) -> float:
        """`loss`: the gradient rule's name (a loss, or the perceptron rule)."""
        factor = float(ops.rule(loss).factor(np.float64(self.predict - self.target)))
        return factor * (1.0 if self.slope is None else self.slope) * (1.0 if self.input is None else self.input)

    def text(self, loss: str) -> str:
        head = ops.rule(loss).head(_n(self.predict), _n(self.target))
        tail = "" if self.slope is None else f"⋅{_n(self.slope)}"
        return head + tail + ("" if self.input is None else f"⋅{_n(self.input)}")


@dataclass(frozen=True)
class ParameterGradient:
    """𝜕L/𝜕(one parameter) as the mean over the batch of per-row products (the perceptron: −sum)."""

    name: str
    layer: int
    kind: str                # "w" | "b"
    unit: int
    index: int | None
    loss: str                # the gradient rule: a loss's name, or the optimizer's own (ops.rule)
    activation: str
    terms: tuple[RowTerm, ...]
    divisor: int             # rows × outputs, rows for per-row losses, 1 for a summed rule
    value: float

    # The formula's words ("mean of sign(predict − target) × x1") are dltui.words' to write; the
    # engine gives its pieces: the symbol, the rule, the slope's activation, the input.

    @property
    def symbol(self) -> str:
        return _symbol(self.name)

    @property
    def slope_activation(self) -> str | None:
        """The activation whose f'(z) is a factor of every row's term; None when there is none."""
        return None if self.terms and self.terms[0].slope is None else self.activation

    @property
    def input_symbol(self) -> str | None:
        """`x2` for a weight on input 2; None for a bias (𝜕z/𝜕b = 1)."""
        return None if self.kind == "b" else f"x{self.index + 1}"

    @property
    def summed(self) -> bool:
        """−Σ over the rows (the perceptron rule) rather than the mean."""
        return not ops.rule(self.loss).mean

    def text(self) -> str:
        joined = _sum_text([t.text(self.loss) for t in self.terms])
        magnitude = sum(abs(t.product(self.loss)) for t in self.terms)
        shown = cancelled(self.value, magnitude / max(self.divisor, 1))
        return ops.rule(self.loss).text(_symbol(self.name), joined, self.divisor, shown)


# --------------------------------------------------------------------------- chain rule, any depth


@dataclass(frozen=True)
class Delta:
    """𝜕L/𝜕z of one unit on one row, as its chain-rule factors.

    Output layer: 𝜕L/𝜕a from the loss (or 𝜕L/𝜕z directly where the loss folds in sigmoid/softmax).
    Hidden layer: 𝜕L/𝜕a = sumₖ 𝜕L/𝜕z'ₖ⋅W'ₖⱼ over the next layer's units. Then 𝜕L/𝜕z = 𝜕L/𝜕a ⋅ f'(z).
    """

    layer: int
    unit: int
    row: int
    activation: str
    z: float
    a: float
    dl_da: float | None               # None where the loss gives ∂L/∂z directly (from logits)
    da_dz: float | None               # f'(z); None as above, and for softmax (not elementwise)
    dl_dz: float
    loss_term: tuple[str, float, float, int] | None = None   # output: (loss, predict, target, divisor)
    next_terms: tuple[tuple[float, float], ...] = ()       # hidden: (∂L/∂z'ₖ, W'ₖⱼ) pairs
    softmax_sum: float | None = None                        # softmax: Σₖ aₖ·∂L/∂aₖ

    def arithmetic(self) -> str:
        """The factors with their numbers; which row and unit it is, dltui.words says."""
        where = ""
        if self.loss_term is not None:
            loss, p, t, d = self.loss_term
            head = ops.rule(loss).head(_n(p), _n(t))
            if self.dl_da is None:
                return f"{where}𝜕L/𝜕z = {head} / {d} = {fmt(self.dl_dz)}"
            first = f"𝜕L/𝜕a = {head} / {d} = {fmt(self.dl_da)}"
        else:
            pairs = " + ".join(f"{_n(g)} ⋅ {_n(w)}" for g, w in self.next_terms)
            first = f"𝜕L/𝜕a = {pairs} = {fmt(self.dl_da)}"
        if self.softmax_sum is not None:
            return (f"{where}{first}; 𝜕L/𝜕z = a ⋅ (𝜕L/𝜕a − Σ a⋅𝜕L/𝜕a) = "
                    f"{_n(self.a)} ⋅ ({_n(self.dl_da)} − {_n(self.softmax_sum)}) = {fmt(self.dl_dz)}")
        return (f"{where}{first}; 𝜕a/𝜕z = {self.activation}'({fmt(self.z)}) = {fmt(self.da_dz)}; "
                f"𝜕L/𝜕z = {_n(self.dl_da)} ⋅ {_n(self.da_dz)} = {fmt(self.dl_dz)}")


@dataclass(frozen=True)
class ChainSum:
    """𝜕L/𝜕w = Σ over rows of 𝜕L/𝜕z ⋅ 𝜕z/𝜕w, where 𝜕z/𝜕w is the weight's input (1 for a bias)."""

    name: str
    layer: int
    kind: str
    unit: int
    index: int | None
    terms: tuple[tuple[float, float | None], ...]     # (∂L/∂z, input or None) per batch row
    value: float

    def text(self) -> str:
        if self.kind == "b":
            joined = _sum_text([_n(d) for d, _ in self.terms])
            return f"𝜕L/𝜕{_symbol(self.name)} = Σ 𝜕L/𝜕z{self.unit + 1} = {joined} = {fmt(self._shown())}"
        source = "x" if self.layer == 0 else "a"
        joined = _sum_text([f"{_n(d)} ⋅ {_n(x)}" for d, x in self.terms])
        return (f"𝜕L/𝜕{_symbol(self.name)} = Σ 𝜕L/𝜕z{self.unit + 1} ⋅ {source}{self.index + 1}"
                f" = {joined} = {fmt(self._shown())}")

    def _shown(self) -> float:
        return cancelled(self.value, sum(abs(d * (1.0 if x is None else x)) for d, x in self.terms))


@dataclass(frozen=True)
class LayerGradients:
    layer: int
    activation: str
    output: bool
    deltas: tuple[Delta, ...]          # batch rows × units, row-major
    params: tuple[ChainSum, ...]

    def rows(self) -> list[int]:
        """The batch rows in the order their deltas come."""
        order = [d.row for d in self.deltas]
        return sorted(set(order), key=order.index)


@dataclass(frozen=True)
class GradientTerms:
    """The gradient explanation of one step: lecture form for one layer, chain rule for all."""

    parameters: tuple[ParameterGradient, ...]   # one layer with an elementwise activation; else ()
    layers: tuple[LayerGradients, ...]          # output layer first; () for the perceptron

    def values(self) -> dict[str, float]:
        """Every parameter's gradient by its name (lecture form when there is one)."""
        if self.parameters:
            return {p.name: p.value for p in self.parameters}
        return {p.name: p.value for layer in self.layers for p in layer.params}


def activation_slope(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f'(z) as torch's backward computes it (0 for step: the engine's step passes no gradient).

    An unknown name, or one with no elementwise slope (softmax), is an error ‒ never a fallback.
    """
    slope = ops.activation(name).slope
    if slope is None:
        raise ValueError(f"{name} is not elementwise: it has no single slope f'(z)")
    return slope(z, a)


def gradient_terms(snapshot: Snapshot) -> GradientTerms:
    """Explain the gradients of the batch in progress, from a snapshot taken before its update.

    Any phase but UPDATE (whose snapshot already holds the next step's parameters); the values
    equal the trainer's gradients once it has run BACKWARD.
    """
    if snapshot.phase is Phase.UPDATE:
        raise ValueError("gradient_terms needs a snapshot from before the update (phase FORWARD, LOSS "
                         "or BACKWARD); at UPDATE the parameters are already the next step's")
    rows = np.asarray(snapshot.batch)
    layers = snapshot.layers
    inputs = [snapshot.model_inputs[rows]] + [layer.output[rows] for layer in layers[:-1]]
    targets = _targets(snapshot, rows)
    single = len(layers) == 1 and layers[0].weight.shape[0] == 1
    rule = ops.gradient_rule(snapshot.loss_name, snapshot.optimizer)
    if ops.optimizer(snapshot.optimizer).rule is not None:   # its own rule: no loss gradient to chain
        return GradientTerms(_lecture(snapshot, rows, inputs[0], targets, rule, single), ())
    chain = _chain(snapshot, rows, inputs, targets, single)
    lecture = ()
    if len(layers) == 1 and (ops.activation(layers[0].activation).elementwise or rule.folds_activation):
        lecture = _lecture(snapshot, rows, inputs[0], targets, rule, single)
    return GradientTerms(lecture, chain)


def _targets(snapshot: Snapshot, rows: np.ndarray) -> np.ndarray:
    """(batch, outputs) targets; one-hot for class indices (cross-entropy)."""
    if ops.loss(snapshot.loss_name).class_targets:
        units = snapshot.layers[-1].weight.shape[0]
        return np.eye(units)[snapshot.targets[rows].astype(int)]
    return np.asarray(snapshot.targets[rows], dtype=float).reshape(len(rows), -1)


def _divisor(snapshot: Snapshot, n_rows: int) -> int:
    return ops.loss(snapshot.loss_name).divisor(n_rows, snapshot.layers[-1].weight.shape[0])


def _lecture(snapshot: Snapshot, rows: np.ndarray, x: np.ndarray, targets: np.ndarray, rule: ops.GradientRule,
             single: bool) -> tuple[ParameterGradient, ...]:
    layer = snapshot.layers[0]
    p = layer.output[rows]
    loss = rule.name
    folded = rule.folds_activation or not ops.activation(layer.activation).shows_value
    slope = None if folded else activation_slope(layer.activation, layer.pre_activation[rows], p)
    divisor = _divisor(snapshot, len(rows)) if rule.mean else 1
    out = []
    for unit in range(layer.weight.shape[0]):
        columns = [("w", k) for k in range(layer.weight.shape[1])] + ([("b", None)] if layer.bias is not None else [])
        for kind, k in columns:
            terms = tuple(RowTerm(int(r), float(p[i, unit]), float(targets[i, unit]),
                                  None if slope is None else float(slope[i, unit]),
                                  None if k is None else float(x[i, k])) for i, r in enumerate(rows))
            total = sum(t.product(loss) for t in terms)
            value = total / divisor if rule.mean else -total
            out.append(ParameterGradient(parameter_label(0, kind, unit, k, single), 0, kind, unit, k, loss,
                                         layer.activation, terms, divisor, value))
    return tuple(out)


def _chain(snapshot: Snapshot, rows: np.ndarray, inputs: list[np.ndarray], targets: np.ndarray,
           single: bool) -> tuple[LayerGradients, ...]:
    layers = snapshot.layers
    loss = snapshot.loss_name
    rule = ops.gradient_rule(loss, snapshot.optimizer)
    divisor = _divisor(snapshot, len(rows))
    result = []
    delta = next_layer = None
    for index in range(len(layers) - 1, -1, -1):
        layer = layers[index]
        z, a = layer.pre_activation[rows], layer.output[rows]
        items = []
        if index == len(layers) - 1:
            d = a - targets
            dl_da = None if rule.folds_activation else rule.factor(d) / divisor
        else:
            dl_da = delta @ next_layer.weight
        if dl_da is None:
            new_delta, slope, sums = d / divisor, None, None
        else:
            new_delta, slope, sums = ops.activation(layer.activation).chain(z, a, dl_da)
        for i, r in enumerate(rows):
            for j in range(z.shape[1]):
                items.append(Delta(
                    index, j, int(r), layer.activation, float(z[i, j]), float(a[i, j]),
                    None if dl_da is None else float(dl_da[i, j]),
                    None if slope is None else float(slope[i, j]),
                    float(new_delta[i, j]),
                    loss_term=(loss, float(a[i, j]), float(targets[i, j]), divisor)
                    if index == len(layers) - 1 else None,
                    next_terms=() if index == len(layers) - 1 else tuple(
                        (float(delta[i, k]), float(next_layer.weight[k, j])) for k in range(delta.shape[1])),
                    softmax_sum=None if sums is None else float(sums[i]),
                ))
        params = []
        x = inputs[index]
        for j in range(layer.weight.shape[0]):
            for k in range(layer.weight.shape[1]):
                params.append(ChainSum(parameter_label(index, "w", j, k, single), index, "w", j, k,
                                       tuple((float(new_delta[i, j]), float(x[i, k])) for i in range(len(rows))),
                                       float(new_delta[:, j] @ x[:, k])))
            if layer.bias is not None:
                params.append(ChainSum(parameter_label(index, "b", j, None, single), index, "b", j, None,
                                       tuple((float(v), None) for v in new_delta[:, j]),
                                       float(new_delta[:, j].sum())))
        result.append(LayerGradients(index, layer.activation, index == len(layers) - 1, tuple(items), tuple(params)))
        delta, next_layer = new_delta, layer
    return tuple(result)


# --------------------------------------------------------------------------- the update


@dataclass(frozen=True)
class UpdateTerm:
    """One parameter's update with the optimizer's state before and after, named.

    sgd / perceptron: w ← w − lr⋅g. momentum (torch's SGD): v ← mu⋅v + g; w ← w − lr⋅v.
    adam: m ← beta1⋅m + (1 − beta1)⋅g; v ← beta2⋅v + (1 − beta2)⋅g^2; m_hat = m / (1 − beta1ᵗ); v_hat = v / (1 − beta2ᵗ);
    w ← w − lr⋅m_hat / (sqrt(v_hat) + eps).
    """

    name: str
    kind: str                # "w" | "b": the letter the update is written with
    optimizer: str
    before: float
    grad: float
    learning_rate: float
    after: float
    state_before: dict[str, float] = field(default_factory=dict)   # "v" (momentum); "m", "v" (adam)
    state: dict[str, float] = field(default_factory=dict)          # the same after; adam adds m̂, v̂
    hyper: dict[str, float] = field(default_factory=dict)          # μ; β1, β2, ε, t

    def lines(self) -> list[str]:
        worked = ops.optimizer(self.optimizer).lines
        if worked is not None:   # the optimizer's own state, step by step
            return worked(self)
        w, g, lr = fmt(self.before), _n(self.grad), fmt(self.learning_rate)
        p = self.kind
        return [f"{self.name}: {p} ← {p} − lr ⋅ g = {w} − {lr} ⋅ {g} = {fmt(self.after)}"]

    def text(self) -> str:
        return "\n".join(self.lines())


PLAIN_OPTIMIZERS = tuple(n for n in ops.OPTIMIZER_NAMES if ops.optimizer(n).plain)  # w ← w − lr·g only


def update_explanation(snapshot: Snapshot, train: TrainSpec, previous: Snapshot | None = None) -> list[str]:
    """The update lines a screen or handout shows: the lecture's `w − lr ⋅ g = w'` for plain
    gradient steps, every optimizer state named for momentum and Adam."""
    if ops.optimizer(snapshot.optimizer).plain:
        return [line.text() for line in update_lines(snapshot)]
    return [line for term in update_terms(snapshot, train, previous) for line in term.lines()]


def update_terms(snapshot: Snapshot, train: TrainSpec, previous: Snapshot | None = None) -> list[UpdateTerm]:
    """Every parameter's update, from the optimizer state before it.

    At BACKWARD: the update about to happen (state before = the snapshot's). At UPDATE: the update
    just made; the state before comes from `previous` (any snapshot of the step before), or else
    is recovered from the state after (exact to rounding).
    """
    after_update = snapshot.phase is Phase.UPDATE
    t = snapshot.step if after_update else snapshot.step + 1
    single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
    lr = snapshot.rate_of_step
    out = []
    for index, layer in enumerate(snapshot.layers):
        pieces = [("w", 0, layer.weight, layer.weight_grad, layer.weight_change)]
        if layer.bias is not None:
            pieces.append(("b", 1, layer.bias, layer.bias_grad, layer.bias_change))
        for kind, slot, value, grad, change in pieces:
            if grad is None or (after_update and change is None):
                continue
            old_state = (_state(previous.layers[index], slot, train.optimizer)
                         if previous is not None else None)
            if not after_update:
                old_state = _state(layer, slot, train.optimizer)
            for pos in np.ndindex(value.shape):
                unit, k = (pos[0], pos[1]) if kind == "w" else (pos[0], None)
                before = float(value[pos] - change[pos]) if after_update else float(value[pos])
                g = float(grad[pos])
                if old_state is not None:
                    state0 = {key: float(arr[pos]) for key, arr in old_state.items()}
                else:
                    state0 = _recover(train, _state(layer, slot, train.optimizer), pos, g, t)
                name = parameter_label(index, kind, unit, k, single)
                out.append(_update(name, kind, train, before, g, lr, state0, t))
    return out


def _state(layer, slot: int, optimizer: str) -> dict[str, np.ndarray]:
    """The optimizer's per-parameter buffers of a layer's weight (slot 0) or bias (slot 1), by
    the symbol the explanation uses (torch's `exp_avg` is Adam's m)."""
    names = ops.optimizer(optimizer).state_names
    return {names[key]: pair[slot] for key, pair in layer.optimizer_state.items()
            if key in names and pair[slot] is not None}


def _recover(train: TrainSpec, state_after: dict, pos, g: float, t: int) -> dict[str, float]:
    """The state before an update from the state after it (when no earlier snapshot is at hand)."""
    recover = ops.optimizer(train.optimizer).recover
    if t <= 1 or not state_after or recover is None:
        return {}
    return recover(train, state_after, pos, g, t)


def _update(name: str, kind: str, train: TrainSpec, w: float, g: float, lr: float, state0: dict, t: int) -> UpdateTerm:
    maths = ops.optimizer(train.optimizer).update(train, w, g, lr, state0, t)
    return UpdateTerm(name, kind, train.optimizer, w, g, lr, maths.after, maths.state_before, maths.state,
                      maths.hyper)
