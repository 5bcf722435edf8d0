"""The engine's first training steps against an independent numpy reference.

The reference below is written by hand: forward pass, loss, gradients by the chain rule, and the
update rules of SGD, SGD with momentum (torch's form v ← μv + g, w ← w − lr·v), Adam (torch's
default form with bias correction, eps = 1e-8) and the perceptron rule w ← w + lr·Σ(y − ŷ)x.
Scenarios are TOML files written from parameters with explicit weights; the engine is stepped
phase by phase and compared after each phase at rtol 1e-10. The only thing taken from the engine
is which rows a minibatch step uses (`Trainer.batch_rows`), which is checked separately.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from dltui.engine import Phase, load_scenario, ops
from dltui.engine.train.trainer import Trainer

RTOL = 1e-10
ATOL = 1e-14
LEAKY = 0.01
STEPS = 3


# --------------------------------------------------------------------------- TOML writer


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(value)


def write_scenario(folder: Path, *, features, rows, layers, loss="mse", optimizer="sgd",
                   learning_rate=0.1, target="y", batch_size=None, seed=None, momentum=None,
                   normalize=None, classes=None, test_rows=None, name="scenario.toml",
                   title="test scenario") -> Path:
    """A scenario file from parameters. `layers` holds dicts with units, activation and,
    optionally, weight and bias (bias=False for none)."""
    lines = [f"title = {toml_value(title)}", "", "[data]",
             f"features = {toml_value(list(features))}", f"target = {toml_value(target)}",
             f"rows = {toml_value(rows)}"]
    if test_rows is not None:
        lines.append(f"test_rows = {toml_value(test_rows)}")
    if normalize is not None:
        lines.append(f"normalize = {toml_value(normalize)}")
    if classes is not None:
        lines.append(f"classes = {toml_value(list(classes))}")
    for layer in layers:
        lines += ["", "[[model.layers]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in layer.items()]
    lines += ["", "[train]", f"loss = {toml_value(loss)}", f"optimizer = {toml_value(optimizer)}",
              f"learning_rate = {toml_value(learning_rate)}"]
    for key, value in (("batch_size", batch_size), ("seed", seed), ("momentum", momentum)):
        if value is not None:
            lines.append(f"{key} = {toml_value(value)}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- numpy reference


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_erf = np.vectorize(math.erf, otypes=[float])


def _gelu_cdf(z):
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))


# Every activation by hand: f(z), and dL/dz from (z, a, dL/da). Keyed by the registry's names; a
# name the registry adds without an entry here fails `test_every_operation_has_a_numpy_reference`.
ACT_FORWARD = {
    "identity": lambda z: z.copy(),
    "step": lambda z: (z > 0).astype(float),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY * z),
    "softmax": _softmax,
    "gelu": lambda z: z * _gelu_cdf(z),
    "softplus": lambda z: np.where(z > 20, z, np.log1p(np.exp(np.minimum(z, 20)))),   # torch's threshold
}
ACT_BACKWARD = {
    "identity": lambda z, a, da: da,
    "step": lambda z, a, da: np.zeros_like(da),
    "sigmoid": lambda z, a, da: da * a * (1.0 - a),
    "tanh": lambda z, a, da: da * (1.0 - a * a),
    "relu": lambda z, a, da: np.where(z > 0, da, 0.0),
    "leaky_relu": lambda z, a, da: np.where(z > 0, da, LEAKY * da),
    "softmax": lambda z, a, da: a * (da - (da * a).sum(axis=1, keepdims=True)),   # s_i (g_i − Σ g_j s_j)
    "gelu": lambda z, a, da: da * (_gelu_cdf(z) + z * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)),
    "softplus": lambda z, a, da: da * np.where(z > 20, 1.0, 1.0 / (1.0 + np.exp(-np.minimum(z, 20)))),
}


def act(name: str, z: np.ndarray) -> np.ndarray:
    return ACT_FORWARD[name](z)


def act_backward(name: str, z: np.ndarray, a: np.ndarray, da: np.ndarray) -> np.ndarray:
    """dL/dz from dL/da."""
    return ACT_BACKWARD[name](z, a, da)


def logsumexp(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]


@dataclass
class Reference:
    weights: list[np.ndarray]
    biases: list[np.ndarray | None]
    activations: list[str]
    loss: str
    optimizer: str
    lr: float
    momentum: float = 0.9
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    t: int = 0
    state: dict = field(default_factory=dict)

    def forward(self, x):
        zs, outs = [], []
        a = x
        for w, b, name in zip(self.weights, self.biases, self.activations):
            z = a @ w.T + (0.0 if b is None else b)
            a = act(name, z)
            zs.append(z)
            outs.append(a)
        return zs, outs

    def loss_value(self, x, y) -> float:
        zs, outs = self.forward(x)
        return float(LOSS_VALUE[self.loss](zs[-1], outs[-1], y))

    def gradients(self, x, y):
        zs, outs = self.forward(x)
        dz = LOSS_DZ[self.loss](self.activations[-1], zs[-1], outs[-1], y)
        grads = [None] * len(self.weights)
        for i in reversed(range(len(self.weights))):
            a_prev = x if i == 0 else outs[i - 1]
            grads[i] = (dz.T @ a_prev, None if self.biases[i] is None else dz.sum(axis=0))
            if i:
                da = dz @ self.weights[i]
                dz = act_backward(self.activations[i - 1], zs[i - 1], outs[i - 1], da)
        return grads

    def perceptron_gradients(self, x, y):
        """The rule's step written as w ← w − lr·g: g = −Σ (y − ŷ)·x."""
        _, outs = self.forward(x)
        error = y - outs[-1]
        return [(-(error.T @ x), None if self.biases[0] is None else -error.sum(axis=0))]

    def update(self, x, y):
        grads = OWN_GRADIENTS[self.optimizer](self, x, y) if self.optimizer in OWN_GRADIENTS else self.gradients(x, y)
        self.t += 1
        params = []
        for i in range(len(self.weights)):
            params.append(("w", i))
            if self.biases[i] is not None:
                params.append(("b", i))
        for kind, i in params:
            g = grads[i][0] if kind == "w" else grads[i][1]
            p = self.weights[i] if kind == "w" else self.biases[i]
            new = OPTIMIZER_STEP[self.optimizer](self, (kind, i), p, g)
            if kind == "w":
                self.weights[i] = new
            else:
                self.biases[i] = new
        return grads


def _plain_step(ref, key, p, g):
    return p - ref.lr * g


def _momentum_step(ref, key, p, g):
    v = ref.momentum * ref.state.get(key, np.zeros_like(g)) + g
    ref.state[key] = v
    return p - ref.lr * v


def _adam_step(ref, key, p, g):
    b1, b2 = ref.betas
    m = b1 * ref.state.get(("m", *key), np.zeros_like(g)) + (1 - b1) * g
    v = b2 * ref.state.get(("v", *key), np.zeros_like(g)) + (1 - b2) * g * g
    ref.state[("m", *key)], ref.state[("v", *key)] = m, v
    m_hat = m / (1 - b1 ** ref.t)
    v_hat = v / (1 - b2 ** ref.t)
    return p - ref.lr * m_hat / (np.sqrt(v_hat) + ref.eps)


def _onehot(z, y):
    out = np.zeros_like(z)
    out[np.arange(len(y)), y] = 1.0
    return out


# Every loss by hand: its mean value from (z, p, y), and dL/dz of the output layer.
LOSS_VALUE = {
    "mae": lambda z, p, y: np.mean(np.abs(p - y)),
    "mse": lambda z, p, y: np.mean((p - y) ** 2),
    "bce": lambda z, p, y: np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))),  # stable, on logits
    "cross_entropy": lambda z, p, y: np.mean(logsumexp(z) - z[np.arange(len(y)), y]),
}
LOSS_DZ = {
    "mae": lambda out, z, p, y: act_backward(out, z, p, np.sign(p - y) / p.size),
    "mse": lambda out, z, p, y: act_backward(out, z, p, 2.0 * (p - y) / p.size),
    "bce": lambda out, z, p, y: (act("sigmoid", z) - y) / p.size,
    "cross_entropy": lambda out, z, p, y: (act("softmax", z) - _onehot(z, y)) / len(y),
}
# Every optimizer's update of one parameter; the perceptron also has its own gradient.
OPTIMIZER_STEP = {"sgd": _plain_step, "momentum": _momentum_step, "adam": _adam_step,
                  "perceptron": _plain_step}
OWN_GRADIENTS = {"perceptron": Reference.perceptron_gradients}


# --------------------------------------------------------------------------- fixtures of data


def regression_rows(n_rows: int, n_features: int, n_outputs: int, seed: int) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n_rows, n_features))
    y = rng.uniform(-1, 1, size=(n_rows, n_outputs))
    return np.hstack([x, y]).tolist()


def binary_rows(n_rows: int, n_features: int, seed: int) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n_rows, n_features))
    y = np.array([[0.0], [1.0]] * (n_rows // 2) + [[1.0]] * (n_rows % 2))
    return np.hstack([x, y]).tolist()


def random_layers(sizes: list[int], activations: list[str], seed: int, biases=True) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for fan_in, units, name in zip(sizes[:-1], sizes[1:], activations):
        layer = {"units": units, "activation": name,
                 "weight": rng.uniform(-1, 1, size=(units, fan_in)).tolist()}
        layer["bias"] = rng.uniform(-0.5, 0.5, size=units).tolist() if biases else False
        out.append(layer)
    return out


def reference_for(layers: list[dict], loss: str, optimizer: str, lr: float, momentum=0.9) -> Reference:
    return Reference(
        weights=[np.array(layer["weight"], dtype=float) for layer in layers],
        biases=[None if layer["bias"] is False else np.array(layer["bias"], dtype=float)
                for layer in layers],
        activations=[layer["activation"] for layer in layers],
        loss=loss, optimizer=optimizer, lr=lr, momentum=momentum)


def close(actual, expected, what: str, atol: float = ATOL):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=RTOL, atol=atol, err_msg=what)


def parameter_atol(ref: "Reference") -> float:
    """Adam divides by sqrt(v) + 1e-8: a gradient that cancels to about 1e-8 (mae's signs) turns the
    last bit of its sum, which differs between CPUs that fuse multiply-adds and those that do not,
    into up to lr/1e-8 times as much in the weight, and from there into everything after it (times
    the inputs' size): a millionth of a step is far below any real mistake."""
    return max(ATOL, 1e-6 * ref.lr) if ref.optimizer == "adam" else ATOL


# --------------------------------------------------------------------------- the comparison


def compare_steps(path: Path, ref: Reference, x_train: np.ndarray, y_train: np.ndarray,
                  x_test: np.ndarray | None = None, y_test: np.ndarray | None = None,
                  steps: int = STEPS) -> Trainer:
    """Step the engine phase by phase and check it against `ref` after every phase.

    `x_train` / `x_test` are the inputs as the model should see them (scaled by the test)."""
    trainer = Trainer(load_scenario(path))
    tol = parameter_atol(ref)

    def near(actual, expected, what):
        close(actual, expected, what, tol)

    n = len(x_train)
    for k in range(steps):
        snap = trainer.snapshot()
        assert snap.step == k and not snap.diverged
        check_parameters(snap, ref.weights, ref.biases, f"step {k}", tol)
        zs, outs = ref.forward(x_train)
        near(snap.model_inputs, x_train, f"step {k}: model inputs")
        near(snap.predictions, outs[-1], f"step {k}: predictions")
        for i, layer in enumerate(snap.layers):
            near(layer.pre_activation, zs[i], f"step {k}: layer {i} z")
            near(layer.output, outs[i], f"step {k}: layer {i} a")
        near(snap.loss, ref.loss_value(x_train, y_train), f"step {k}: loss")
        if x_test is not None:
            near(snap.test_loss, ref.loss_value(x_test, y_test), f"step {k}: test loss")
            near(snap.test_predictions, ref.forward(x_test)[1][-1], f"step {k}: test predictions")
        else:
            assert snap.test_loss is None

        rows = np.asarray(trainer.batch_rows(k))
        xb, yb = x_train[rows], y_train[rows]
        # FORWARD: one row per call for small batches, else the whole batch at once
        row_by_row = len(rows) <= 12
        for r in range(len(rows) if row_by_row else 1):
            snap = trainer.advance()
            assert snap.phase is Phase.FORWARD and snap.step == k
            assert snap.row == (r if row_by_row else len(rows) - 1)
        assert snap.batch.tolist() == rows.tolist()
        snap = trainer.advance()
        assert snap.phase is Phase.LOSS
        near(snap.batch_loss, ref.loss_value(xb, yb), f"step {k}: batch loss")
        assert all(layer.weight_grad is None for layer in snap.layers)
        snap = trainer.advance()
        assert snap.phase is Phase.BACKWARD
        before = [(w.copy(), None if b is None else b.copy()) for w, b in zip(ref.weights, ref.biases)]
        grads = ref.update(xb, yb)
        for i, layer in enumerate(snap.layers):
            near(layer.weight_grad, grads[i][0], f"step {k}: layer {i} weight gradient")
            if grads[i][1] is None:
                assert layer.bias is None and layer.bias_grad is None
            else:
                near(layer.bias_grad, grads[i][1], f"step {k}: layer {i} bias gradient")
        check_parameters(snap, [b[0] for b in before], [b[1] for b in before],
                         f"step {k} before its update", tol)
        snap = trainer.advance()
        assert snap.phase is Phase.UPDATE and snap.step == k + 1
        check_parameters(snap, ref.weights, ref.biases, f"step {k + 1}", tol)
        for i, layer in enumerate(snap.layers):
            np.testing.assert_allclose(layer.weight_change, ref.weights[i] - before[i][0],
                                       rtol=1e-8, atol=max(1e-15, tol),
                                       err_msg=f"step {k + 1}: weight change")
        check_optimizer_state(snap, ref, k + 1)
    assert n == snap.n_rows
    return trainer


def check_parameters(snap, weights, biases, what: str, atol: float = ATOL) -> None:
    assert len(snap.layers) == len(weights)
    for i, layer in enumerate(snap.layers):
        close(layer.weight, weights[i], f"{what}: layer {i} weight", atol)
        if biases[i] is None:
            assert layer.bias is None, what
        else:
            close(layer.bias, biases[i], f"{what}: layer {i} bias", atol)


def check_optimizer_state(snap, ref: Reference, t: int) -> None:
    for i, layer in enumerate(snap.layers):
        state = layer.optimizer_state
        if ref.optimizer == "momentum":
            w_buf, b_buf = state["momentum_buffer"]
            close(w_buf, ref.state[("w", i)], f"step {t}: layer {i} momentum buffer")
            if ref.biases[i] is not None:
                close(b_buf, ref.state[("b", i)], f"step {t}: layer {i} bias momentum buffer")
        elif ref.optimizer == "adam":
            close(state["exp_avg"][0], ref.state[("m", "w", i)], f"step {t}: layer {i} Adam m")
            close(state["exp_avg_sq"][0], ref.state[("v", "w", i)], f"step {t}: layer {i} Adam v")
            if ref.biases[i] is not None:
                close(state["exp_avg"][1], ref.state[("m", "b", i)], f"step {t}: layer {i} bias Adam m")
                close(state["exp_avg_sq"][1], ref.state[("v", "b", i)], f"step {t}: layer {i} bias Adam v")


# --------------------------------------------------------------------------- cases

# The lists come from the registry: a new operation is tested everywhere without editing them.
ACTIVATIONS = list(ops.ACTIVATION_NAMES)
GRADIENT_OPTIMIZERS = [o for o in ops.OPTIMIZER_NAMES if ops.optimizer(o).gradient is None]
LEARNING_RATES = {"sgd": 0.1, "momentum": 0.05, "adam": 0.02, "perceptron": 0.1}

# every (loss, output activation) pair the format allows with gradient optimizers
OUTPUT_PAIRS = [(loss, a) for loss in ops.LOSS_NAMES
                for a in ([ops.loss(loss).output_activation] if ops.loss(loss).output_activation else ACTIVATIONS)]
HIDDEN = [None] + [a for a in ACTIVATIONS if not ops.activation(a).output_only]


def test_every_operation_has_a_numpy_reference():
    """A name added to the registry without an independent reference here fails."""
    assert set(ACT_FORWARD) == set(ACT_BACKWARD) == set(ops.ACTIVATION_NAMES)
    assert set(LOSS_VALUE) == set(LOSS_DZ) == set(ops.LOSS_NAMES)
    assert set(OPTIMIZER_STEP) == set(ops.OPTIMIZER_NAMES) == set(LEARNING_RATES)
    assert set(OWN_GRADIENTS) == {o for o in ops.OPTIMIZER_NAMES if ops.optimizer(o).gradient is not None}

CLASSES = ["a", "b", "c"]


def problem(tmp_path: Path, loss: str, output: str, hidden: str | None, optimizer: str,
            data_seed: int, n_rows: int = 4, biases: bool = True, **extra):
    """Write a scenario for the combination; return its path, reference and data."""
    n_features = 3
    seed = data_seed
    if loss == "cross_entropy":
        rng = np.random.default_rng(seed)
        x = rng.uniform(-2, 2, size=(n_rows, n_features))
        labels = [i % 3 for i in range(n_rows)]
        rows = [xi + [CLASSES[c] if i % 2 else c] for i, (xi, c) in enumerate(zip(x.tolist(), labels))]
        y = np.array(labels)
        n_out, target, classes = 3, "label", CLASSES
    elif loss == "bce":
        rows = binary_rows(n_rows, n_features, seed)
        y = np.array(rows)[:, n_features:]
        n_out, target, classes = 1, "y", None
    else:
        n_out = max(1, ops.activation(output).min_units)
        rows = regression_rows(n_rows, n_features, n_out, seed)
        if output == "step":  # targets a step output can reach
            rows = [r[:n_features] + [float(i % 2)] * n_out for i, r in enumerate(rows)]
        y = np.array(rows)[:, n_features:]
        target = ["y1", "y2"] if n_out == 2 else "y"
        classes = None
    sizes = [n_features] + ([4] if hidden else []) + [n_out]
    acts = ([hidden] if hidden else []) + [output]
    layers = random_layers(sizes, acts, seed + 1, biases)
    lr = LEARNING_RATES[optimizer]
    path = write_scenario(tmp_path, features=["f1", "f2", "f3"], rows=rows, layers=layers, loss=loss,
                          optimizer=optimizer, learning_rate=lr, target=target, classes=classes,
                          **extra)
    x = np.array([r[:n_features] for r in rows], dtype=float)
    return path, reference_for(layers, loss, optimizer, lr), x, y


def _seed(loss, output, hidden, optimizer) -> int:
    return (ACTIVATIONS.index(output) * 31 + HIDDEN.index(hidden) * 7
            + GRADIENT_OPTIMIZERS.index(optimizer) * 3 + len(loss))


@pytest.mark.parametrize("optimizer", GRADIENT_OPTIMIZERS)
@pytest.mark.parametrize("loss, output", OUTPUT_PAIRS, ids=[f"{l}-{a}" for l, a in OUTPUT_PAIRS])
def test_one_layer_first_steps_match_numpy(tmp_path, loss, output, optimizer):
    """Every loss × output activation × optimizer on a single layer."""
    path, ref, x, y = problem(tmp_path, loss, output, None, optimizer,
                              _seed(loss, output, None, optimizer))
    compare_steps(path, ref, x, y)


# two layers: every hidden activation with every (loss, output) pair; the optimizer rotates so
# each hidden activation meets each optimizer several times
TWO_LAYER_CASES = [(loss, output, hidden, GRADIENT_OPTIMIZERS[(i + j) % 3])
                   for i, (loss, output) in enumerate(OUTPUT_PAIRS)
                   for j, hidden in enumerate(HIDDEN[1:])]


@pytest.mark.parametrize("loss, output, hidden, optimizer", TWO_LAYER_CASES,
                         ids=[f"{l}-{o}-hidden-{h}-{opt}" for l, o, h, opt in TWO_LAYER_CASES])
def test_two_layer_first_steps_match_numpy(tmp_path, loss, output, hidden, optimizer):
    path, ref, x, y = problem(tmp_path, loss, output, hidden, optimizer,
                              _seed(loss, output, hidden, optimizer))
    compare_steps(path, ref, x, y)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("optimizer", GRADIENT_OPTIMIZERS)
def test_two_layer_bias_free(tmp_path, hidden, optimizer):
    path, ref, x, y = problem(tmp_path, "mse", "identity", hidden, optimizer, 5, biases=False)
    compare_steps(path, ref, x, y)


@pytest.mark.parametrize("loss", ["mae", "mse"])
@pytest.mark.parametrize("biases", [True, False], ids=["bias", "no-bias"])
def test_perceptron_rule(tmp_path, loss, biases):
    rows = [[0.5, -1.2, 0.3, 1.0], [-0.7, 0.4, 1.1, 0.0], [1.3, 0.9, -0.6, 1.0],
            [-1.1, -0.3, 0.8, 0.0], [0.2, 1.4, -1.5, 1.0]]
    layers = [{"units": 1, "activation": "step", "weight": [[0.4, -0.6, 0.9]],
               "bias": [-0.2] if biases else False}]
    path = write_scenario(tmp_path, features=["a", "b", "c"], rows=rows, layers=layers, loss=loss,
                          optimizer="perceptron", learning_rate=0.25)
    ref = reference_for(layers, loss, "perceptron", 0.25)
    x, y = np.array(rows)[:, :3], np.array(rows)[:, 3:]
    # the rule by hand for the first step: w + lr·Σ(y − ŷ)x
    y_hat = (x @ np.array([[0.4, -0.6, 0.9]]).T + (-0.2 if biases else 0.0) > 0).astype(float)
    assert (y_hat != y).any(), "the example must misclassify a row, or nothing moves"
    expected_w1 = np.array([0.4, -0.6, 0.9]) + 0.25 * ((y - y_hat).T @ x)[0]
    trainer = compare_steps(path, ref, x, y)
    trainer.go_to(1)
    close(trainer.snapshot().layers[0].weight[0], expected_w1, "perceptron rule by hand")


MINIBATCH_CASES = [
    ("mse", "identity", None, "sgd"),
    ("mae", "tanh", "relu", "momentum"),
    ("bce", "sigmoid", "tanh", "adam"),
    ("cross_entropy", "softmax", "leaky_relu", "momentum"),
    ("cross_entropy", "softmax", "sigmoid", "adam"),
    ("mse", "sigmoid", "sigmoid", "adam"),
]


@pytest.mark.parametrize("loss, output, hidden, optimizer", MINIBATCH_CASES)
@pytest.mark.parametrize("batch_size", [2, 3])
def test_minibatches(tmp_path, loss, output, hidden, optimizer, batch_size):
    path, ref, x, y = problem(tmp_path, loss, output, hidden, optimizer, data_seed=11, n_rows=7,
                              batch_size=batch_size, seed=5)
    trainer = compare_steps(path, ref, x, y, steps=4)
    # the batches of one epoch: seeded, disjoint, covering every row, `batch_size` each (the
    # last one may be short)
    per_epoch = -(-7 // batch_size)
    for epoch in range(2):
        batches = [np.asarray(trainer.batch_rows(epoch * per_epoch + i)) for i in range(per_epoch)]
        assert [len(b) for b in batches] == [batch_size] * (per_epoch - 1) + [7 - batch_size * (per_epoch - 1)]
        assert sorted(np.concatenate(batches).tolist()) == list(range(7))


def test_minibatch_order_is_seeded_and_not_fixed(tmp_path):
    path, *_ = problem(tmp_path, "mse", "identity", None, "sgd", data_seed=1, n_rows=8, batch_size=2, seed=3)
    a, b = Trainer(load_scenario(path)), Trainer(load_scenario(path))
    firsts = [a.batch_rows(k).tolist() for k in range(12)]
    assert firsts == [b.batch_rows(k).tolist() for k in range(12)]
    epochs = [sorted(sum(firsts[e * 4:(e + 1) * 4], [])) for e in range(3)]
    assert all(e == list(range(8)) for e in epochs)
    assert firsts[0:4] != firsts[4:8] or firsts[4:8] != firsts[8:12], "reshuffled every epoch"


def scale(x: np.ndarray, how: str, reference_rows: np.ndarray) -> np.ndarray:
    if how == "standard":
        mean = reference_rows.sum(axis=0) / len(reference_rows)
        std = np.sqrt(((reference_rows - mean) ** 2).sum(axis=0) / len(reference_rows))  # ddof=0
        return (x - mean) / std
    low, high = reference_rows.min(axis=0), reference_rows.max(axis=0)
    return (x - low) / (high - low)


@pytest.mark.parametrize("normalize", ["standard", "minmax"])
@pytest.mark.parametrize("loss, output, hidden, optimizer", [
    ("mse", "identity", None, "sgd"),
    ("mae", "identity", "relu", "adam"),
    ("bce", "sigmoid", "tanh", "momentum"),
    ("cross_entropy", "softmax", None, "adam"),
])
def test_normalized_inputs_with_test_rows(tmp_path, normalize, loss, output, hidden, optimizer):
    rng = np.random.default_rng(42)
    # features on very different scales, like the lecture's 평수 and 거리
    x = np.column_stack([rng.uniform(20, 40, 6), rng.integers(1, 5, 6).astype(float), rng.uniform(0.1, 1.5, 6)])
    xt = np.column_stack([rng.uniform(20, 40, 3), rng.integers(1, 5, 3).astype(float), rng.uniform(0.1, 1.5, 3)])
    if loss == "cross_entropy":
        y, yt = np.array([0, 1, 2, 0, 1, 2]), np.array([2, 0, 1])
        rows = [r + [int(c)] for r, c in zip(x.tolist(), y)]
        test_rows = [r + [CLASSES[c]] for r, c in zip(xt.tolist(), yt)]
        n_out, target, classes = 3, "label", CLASSES
    else:
        if loss == "bce":
            y, yt = np.array([[0.], [1.], [1.], [0.], [1.], [0.]]), np.array([[1.], [0.], [1.]])
        else:
            y, yt = rng.uniform(5, 9, (6, 1)), rng.uniform(5, 9, (3, 1))
        rows, test_rows = np.hstack([x, y]).tolist(), np.hstack([xt, yt]).tolist()
        n_out, target, classes = 1, "y", None
    sizes = [3] + ([3] if hidden else []) + [n_out]
    layers = random_layers(sizes, ([hidden] if hidden else []) + [output], seed=9)
    lr = LEARNING_RATES[optimizer]
    path = write_scenario(tmp_path, features=["평수", "방 개수", "거리"], rows=rows, test_rows=test_rows,
                          layers=layers, loss=loss, optimizer=optimizer, learning_rate=lr,
                          target=target, classes=classes, normalize=normalize)
    ref = reference_for(layers, loss, optimizer, lr)
    trainer = compare_steps(path, ref, scale(x, normalize, x), y, scale(xt, normalize, x), yt)
    # raw inputs stay as written in the file for display
    close(trainer.snapshot().inputs, x, "raw inputs")


def test_standard_scaling_uses_population_std(tmp_path):
    """ddof=0: [1, 2, 3, 4] has std √1.25, so 1 scales to −1.5/√1.25."""
    rows = [[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0]]
    path = write_scenario(tmp_path, features=["x"], rows=rows, normalize="standard",
                          layers=[{"units": 1, "activation": "identity", "weight": [[1.0]], "bias": [0.0]}])
    snap = Trainer(load_scenario(path)).snapshot()
    expected = [v / math.sqrt(1.25) for v in (-1.5, -0.5, 0.5, 1.5)]
    close(snap.model_inputs[:, 0], expected, "standard scaling")


def test_minmax_scaling_maps_training_range_to_unit_interval(tmp_path):
    rows = [[2.0, 10.0, 0.0], [4.0, 30.0, 1.0], [3.0, 20.0, 0.0]]
    path = write_scenario(tmp_path, features=["x1", "x2"], rows=rows, normalize="minmax",
                          test_rows=[[6.0, 0.0, 1.0]],
                          layers=[{"units": 1, "activation": "identity", "weight": [[1.0, 1.0]],
                                   "bias": [0.0]}])
    snap = Trainer(load_scenario(path)).snapshot()
    close(snap.model_inputs, [[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]], "minmax scaling")
    # test rows use the training rows' statistics: (6 − 2) / 2 = 2, (0 − 10) / 20 = −0.5
    close(snap.test_predictions, [[1.5]], "test rows scaled with training statistics")


def test_multi_output_regression(tmp_path):
    rows = regression_rows(5, 2, 3, seed=77)
    layers = random_layers([2, 3, 3], ["tanh", "identity"], seed=78)
    path = write_scenario(tmp_path, features=["u", "v"], rows=rows, layers=layers, loss="mse",
                          optimizer="momentum", learning_rate=0.1, target=["p", "q", "r"], momentum=0.5)
    ref = reference_for(layers, "mse", "momentum", 0.1, momentum=0.5)
    compare_steps(path, ref, np.array(rows)[:, :2], np.array(rows)[:, 2:])


def test_large_batch_forward_is_one_phase(tmp_path):
    rows = regression_rows(20, 3, 1, seed=3)
    layers = random_layers([3, 1], ["identity"], seed=4)
    path = write_scenario(tmp_path, features=["f1", "f2", "f3"], rows=rows, layers=layers, loss="mae",
                          optimizer="sgd", learning_rate=0.1)
    ref = reference_for(layers, "mae", "sgd", 0.1)
    compare_steps(path, ref, np.array(rows)[:, :3], np.array(rows)[:, 3:])
