"""Gradient and update explanations: every number recomputed here in numpy from the snapshot.

The reference is written independently of the module: a plain numpy forward pass from the
snapshot's weights and inputs, hand-written backpropagation, hand-written optimizer updates.
The strings' numbers are parsed back and compared with the reference; the final values equal
the trainer's own gradients (after its BACKWARD phase) and parameters (after UPDATE) to 1e-12.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from dltui.engine import Phase, load_scenario, open_scenario, ops
from dltui.engine.explain.gradients import activation_slope, gradient_terms, update_terms
from dltui.engine.train.trainer import Trainer
from dltui.words.explain import gradient_formula, gradient_lines, layer_lines

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
POWER = re.compile(r"\^\d+")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_erf = np.vectorize(math.erf, otypes=[float])


def phi(z):
    """The standard normal CDF, for GELU."""
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))


# Keyed by the registry's names (test_every_activation_has_a_reference checks the keys match).
ACT = {"identity": lambda z: z, "sigmoid": sigmoid, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0),
       "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z), "step": lambda z: (z > 0).astype(float),
       "softmax": softmax, "gelu": lambda z: z * phi(z), "softplus": lambda z: np.log1p(np.exp(z))}
SLOPE = {"identity": lambda z: np.ones_like(z), "sigmoid": lambda z: sigmoid(z) * (1 - sigmoid(z)),
         "tanh": lambda z: 1 - np.tanh(z) ** 2, "relu": lambda z: (z > 0).astype(float),
         "leaky_relu": lambda z: np.where(z > 0, 1.0, 0.01), "step": np.zeros_like,
         "gelu": lambda z: phi(z) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi), "softplus": sigmoid}


def test_every_activation_has_a_reference():
    assert set(ACT) == set(ops.ACTIVATION_NAMES)
    assert set(SLOPE) == {a for a in ops.ACTIVATION_NAMES if ops.activation(a).elementwise}


def test_activation_slope_refuses_what_it_does_not_know():
    with pytest.raises(KeyError, match="swish"):
        activation_slope("swish", np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="softmax"):
        activation_slope("softmax", np.zeros((1, 2)), np.full((1, 2), 0.5))


@pytest.mark.parametrize("name", [a for a in ops.ACTIVATION_NAMES if ops.activation(a).elementwise])
def test_activation_slope_matches_the_reference(name):
    z = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(activation_slope(name, z, ACT[name](z)), SLOPE[name](z), rtol=1e-12, atol=1e-15)


def at_backward(name_or_scenario, steps: int) -> Trainer:
    scenario = open_scenario(name_or_scenario) if isinstance(name_or_scenario, str) else name_or_scenario
    t = Trainer(scenario)
    t.run(steps)
    while t.phase is not Phase.BACKWARD:
        t.advance()
    return t


class Reference:
    """Forward and backward for the batch in progress, in numpy, from a snapshot's parameters."""

    def __init__(self, s):
        self.s = s
        self.rows = s.batch
        a = s.model_inputs[self.rows]
        self.ins, self.zs, self.outs = [], [], []
        for layer in s.layers:
            self.ins.append(a)
            z = a @ layer.weight.T + (0.0 if layer.bias is None else layer.bias)
            a = ACT[layer.activation](z)
            self.zs.append(z)
            self.outs.append(a)
        p = self.outs[-1]
        n, units = p.shape
        if s.loss_name == "cross_entropy":
            self.y = np.eye(units)[s.targets[self.rows].astype(int)]
            self.divisor = n
        else:
            self.y = np.asarray(s.targets[self.rows], dtype=float).reshape(n, -1)
            self.divisor = n * units
        z, act = self.zs[-1], s.layers[-1].activation
        if s.loss_name in ("bce", "cross_entropy"):
            delta = (p - self.y) / self.divisor
        else:
            g = (np.sign(p - self.y) if s.loss_name == "mae" else 2 * (p - self.y)) / self.divisor
            if act == "softmax":
                delta = p * (g - (p * g).sum(axis=1, keepdims=True))
            else:
                delta = g * SLOPE[act](z)
        self.deltas = [None] * len(s.layers)
        self.grads = [None] * len(s.layers)
        for i in range(len(s.layers) - 1, -1, -1):
            self.deltas[i] = delta
            self.grads[i] = (delta.T @ self.ins[i], delta.sum(axis=0))
            if i:
                delta = (delta @ s.layers[i].weight) * SLOPE[s.layers[i - 1].activation](self.zs[i - 1])


def numbers(text: str) -> list[float]:
    """The numbers of an explanation line: in each `; `-part, its last two `=`-segments."""
    out = []
    for part in text.split("; "):
        for segment in part.split(" = ")[-2:]:
            out += [float(v) for v in NUMBER.findall(POWER.sub("", segment))]   # g^2: a power, not a number
    return out


def assert_numbers(text: str, expected: list[float]) -> None:
    got = numbers(text)
    assert len(got) == len(expected), text
    # printed with up to 6 decimals (4 significant digits in scientific notation)
    np.testing.assert_allclose(got, expected, rtol=5.01e-5, atol=5.01e-7, err_msg=text)


def shown(count: int) -> list[int]:
    return list(range(count)) if count <= 6 else [0, 1, 2, count - 1]


# --------------------------------------------------------------------------- the lecture's lines


def test_lecture_first_step_mae():
    t = at_backward("house_prices", 0)
    terms = gradient_terms(t.snapshot())
    texts = [p.text() for p in terms.parameters]
    assert texts == [
        "𝜕L/𝜕w1 = (sign(5.8 − 6)⋅32 + sign(6.7 − 7)⋅33 + sign(7.3 − 8.5)⋅36) / 3 = -33.666667",
        "𝜕L/𝜕w2 = (sign(5.8 − 6)⋅3 + sign(6.7 − 7)⋅3 + sign(7.3 − 8.5)⋅4) / 3 = -3.333333",
        "𝜕L/𝜕w3 = (sign(5.8 − 6)⋅0.3 + sign(6.7 − 7)⋅0.5 + sign(7.3 − 8.5)⋅0.5) / 3 = -0.433333",
        "𝜕L/𝜕b = (sign(5.8 − 6) + sign(6.7 − 7) + sign(7.3 − 8.5)) / 3 = -1",
    ]
    assert gradient_formula(terms.parameters[0], "en") == "𝜕L/𝜕w1 = mean of sign(predict − target) ⋅ x1"
    assert gradient_formula(terms.parameters[3], "en") == "𝜕L/𝜕b = mean of sign(predict − target)"
    update = update_terms(t.snapshot(), t.scenario.train)
    assert update[2].text() == "w3: w ← w − lr ⋅ g = 4 − 0.0001 ⋅ (-0.433333) = 4.000043"
    assert update[3].text() == "b: b ← b − lr ⋅ g = 0.5 − 0.0001 ⋅ (-1) = 0.5001"


# --------------------------------------------------------------------------- gradients


CUSTOM = """
title = "custom"
[data]
features = ["a", "b"]
target = {target}
rows = [{rows}]
[[model.layers]]
units = {hidden_units}
activation = "{hidden}"
[[model.layers]]
units = {units}
activation = "{output}"
[train]
loss = "{loss}"
optimizer = "{optimizer}"
learning_rate = 0.1
seed = 3
"""
ROWS_1 = "[0.5, 1.0, 1.2], [1.5, -0.5, 0.3], [-1.0, 2.0, 2.5], [0.2, 0.1, -0.4]"
ROWS_2 = "[0.5, 1.0, 0.2, 0.4], [1.5, -0.5, 0.3, 0.1], [-1.0, 2.0, 0.5, 0.3], [0.2, 0.1, 0.4, 0.3]"


def custom(tmp_path, hidden="tanh", output="identity", loss="mse", optimizer="sgd", units=1, hidden_units=3):
    rows, target = (ROWS_1, '"t"') if units == 1 else (ROWS_2, '["t1", "t2"]')
    path = tmp_path / f"{hidden}_{output}_{loss}_{optimizer}.toml"
    path.write_text(CUSTOM.format(rows=rows, target=target, hidden=hidden, output=output, loss=loss,
                                  optimizer=optimizer, units=units, hidden_units=hidden_units))
    return load_scenario(path)


SCENARIOS = [
    ("house_prices", 0), ("house_prices", 4), ("house_prices_mse", 2), ("xor_linear", 3),
    ("step_vs_sigmoid:sigmoid", 2), ("step_vs_sigmoid:step", 1), ("iris", 3), ("guess_19", 1),
    ("xor", 6), ("xor_relu", 3), ("abalone", 2), ("paint_mixing", 1),
]
CUSTOMS = [
    dict(hidden="tanh"), dict(hidden="leaky_relu", loss="mae"), dict(hidden="relu", output="softmax",
                                                                       units=2),
    dict(hidden="sigmoid", output="sigmoid", loss="mse", units=2), dict(hidden="identity"),
] + [dict(hidden=a, output=a, loss="mae", hidden_units=2)       # every elementwise activation, from
     for a in ops.ACTIVATION_NAMES if ops.activation(a).elementwise   # the registry, hidden and output
     and a not in ("identity", "step")]


def check_gradients(t: Trainer) -> None:
    s = t.snapshot()
    terms = gradient_terms(s)
    ref = Reference(s)
    # the final values: the trainer's own gradients and the independent reference
    values = terms.values()
    for i, layer in enumerate(s.layers):
        for p in (terms.parameters if terms.parameters else [q for lg in terms.layers for q in lg.params]):
            if p.layer != i:
                continue
            trainer_grad = layer.weight_grad[p.unit, p.index] if p.kind == "w" else layer.bias_grad[p.unit]
            ref_grad = ref.grads[i][0][p.unit, p.index] if p.kind == "w" else ref.grads[i][1][p.unit]
            scale = max(1.0, np.abs(layer.weight_grad).max())
            assert abs(values[p.name] - trainer_grad) <= 1e-12 * scale, p.name
            assert abs(values[p.name] - ref_grad) <= 1e-12 * scale, p.name
    for lg in terms.layers:          # the chain form exists for every model and agrees too
        for p in lg.params:
            g = s.layers[p.layer].weight_grad[p.unit, p.index] if p.kind == "w" else s.layers[p.layer].bias_grad[p.unit]
            assert abs(p.value - g) <= 1e-12 * max(1.0, abs(g)), p.name
    check_lecture_numbers(terms, ref)
    check_chain_numbers(terms, ref)


def check_lecture_numbers(terms, ref: Reference) -> None:
    s = ref.s
    layer = s.layers[0]
    for p in terms.parameters:
        expected = []
        z, out = ref.zs[0][:, p.unit], ref.outs[0][:, p.unit]
        y = ref.y[:, p.unit]
        x = ref.ins[0][:, p.index] if p.kind == "w" else np.ones(len(y))
        folded = s.loss_name in ("bce", "cross_entropy") or layer.activation == "identity"
        slope = np.ones_like(z) if folded else SLOPE[layer.activation](z)
        for i in shown(len(y)):
            expected += [2.0] if s.loss_name == "mse" else []
            expected += [out[i], y[i]]
            expected += [] if folded else [slope[i]]
            expected += [x[i]] if p.kind == "w" else []
        factor = {"mae": np.sign(out - y), "mse": 2 * (out - y)}.get(s.loss_name, out - y)
        value = (factor * slope * x).sum() / ref.divisor
        assert_numbers(p.text(), expected + [ref.divisor, value])
        assert value == pytest.approx(p.value, rel=1e-12, abs=1e-15)


def check_chain_numbers(terms, ref: Reference) -> None:
    s = ref.s
    last = len(s.layers) - 1
    for lg in terms.layers:
        i = lg.layer
        z, a, delta = ref.zs[i], ref.outs[i], ref.deltas[i]
        lines = layer_lines(lg, "en", max_rows=len(ref.rows))
        deltas = [line.strip() for line in lines if line.strip().startswith("row ")]
        assert len(deltas) == len(ref.rows) * z.shape[1]
        for line in deltas:
            r, u = (int(v) - 1 for v in re.match(r"row (\d+), unit (\d+)", line).groups())
            b = list(ref.rows).index(r)
            line = line.split(": ", 1)[1]
            if i == last and s.loss_name in ("bce", "cross_entropy"):
                expected = [a[b, u], ref.y[b, u], ref.divisor, delta[b, u]]
            else:
                if i == last:
                    g = (np.sign(a - ref.y) if s.loss_name == "mae" else 2 * (a - ref.y)) / ref.divisor
                    expected = ([2.0] if s.loss_name == "mse" else []) + [a[b, u], ref.y[b, u], ref.divisor, g[b, u]]
                else:
                    nxt = s.layers[i + 1].weight
                    g = ref.deltas[i + 1] @ nxt
                    expected = [v for k in range(nxt.shape[0]) for v in (ref.deltas[i + 1][b, k], nxt[k, u])]
                    expected.append(g[b, u])
                if lg.activation == "softmax":
                    total = (a[b] * g[b]).sum()
                    expected += [a[b, u], g[b, u], total, delta[b, u]]
                else:
                    slope = SLOPE[lg.activation](z)[b, u]
                    expected += [z[b, u], slope, g[b, u], slope, delta[b, u]]
            assert_numbers(line, expected)
        for p in lg.params:
            column = delta[:, p.unit]
            x = ref.ins[i][:, p.index] if p.kind == "w" else None
            expected = []
            for k in shown(len(column)):
                expected += [column[k]] if x is None else [column[k], x[k]]
            text = p.text().split(" = ", 1)[1]       # past the symbolic Σ (which names z1, x2, …)
            assert_numbers(text, expected + [(column if x is None else column * x).sum()])


@pytest.mark.parametrize("name, steps", SCENARIOS)
def test_gradients_of_bundled_scenarios(name, steps):
    check_gradients(at_backward(name, steps))


@pytest.mark.parametrize("options", CUSTOMS, ids=lambda o: "-".join(map(str, o.values())))
def test_gradients_of_other_networks(tmp_path, options):
    check_gradients(at_backward(custom(tmp_path, **options), 2))


def test_single_layer_has_the_lecture_form_deeper_does_not():
    assert gradient_terms(at_backward("house_prices", 0).snapshot()).parameters
    deep = gradient_terms(at_backward("xor", 0).snapshot())
    assert not deep.parameters and [lg.layer for lg in deep.layers] == [1, 0]
    text = "\n".join(gradient_lines(deep, "en"))
    assert "layer 2 (output, sigmoid)" in text and "layer 1 (hidden, sigmoid)" in text
    assert "𝜕a/𝜕z = sigmoid'(" in text and "𝜕L/𝜕z = (" in text


def test_sigmoid_with_mse_includes_the_slope():
    terms = gradient_terms(at_backward("step_vs_sigmoid:sigmoid", 0).snapshot())
    assert gradient_formula(terms.parameters[0], "en") == "𝜕L/𝜕w1 = mean of 2⋅(predict − target) ⋅ sigmoid'(z) ⋅ x1"


def test_perceptron_rule():
    t = at_backward("perceptron_and", 1)
    s = t.snapshot()
    terms = gradient_terms(s)
    x, y = s.model_inputs[s.batch], s.targets[s.batch][:, 0]
    layer = s.layers[0]
    predict = ((x @ layer.weight.T + layer.bias)[:, 0] > 0).astype(float)
    for p in terms.parameters:
        inputs = x[:, p.index] if p.kind == "w" else np.ones(len(y))
        expected = []
        for i in range(len(y)):
            expected += [y[i], predict[i]] + ([inputs[i]] if p.kind == "w" else [])
        value = -((y - predict) * inputs).sum()
        assert_numbers(p.text(), expected + [value])
        trainer_grad = layer.weight_grad[0, p.index] if p.kind == "w" else layer.bias_grad[0]
        assert p.value == trainer_grad
    assert gradient_formula(terms.parameters[0], "en").startswith("g_w1 = −Σ (target − predict) ⋅ x1")


def test_long_sums_are_shortened():
    terms = gradient_terms(at_backward("iris", 0).snapshot())
    text = terms.parameters[0].text()
    assert " + ⋯ + " in text and text.endswith(f"/ 120 = {text.rsplit('= ', 1)[1]}")


# --------------------------------------------------------------------------- updates


def reference_update(opt, train, w, g, state, t, lr):
    """Hand-written optimizer rules; `state` is the state before (empty on the first update)."""
    if opt == "momentum":
        v = train.momentum * state["v"] + g if state else g
        return w - lr * v, {"v": v}
    if opt == "adam":
        b1, b2 = train.betas
        m = b1 * state.get("m", 0.0) + (1 - b1) * g
        v = b2 * state.get("v", 0.0) + (1 - b2) * g ** 2
        mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
        return w - lr * mh / (np.sqrt(vh) + 1e-8), {"m": m, "v": v, "m_hat": mh, "v_hat": vh}
    return w - lr * g, {}


STATE_KEYS = {"momentum": {"v": "momentum_buffer"}, "adam": {"m": "exp_avg", "v": "exp_avg_sq"}}


def check_update(t: Trainer) -> None:
    before = t.snapshot()
    assert before.phase is Phase.BACKWARD
    train = t.scenario.train
    planned = update_terms(before, train)
    after = t.advance()
    assert after.phase is Phase.UPDATE
    with_previous = update_terms(after, train, previous=before)
    recovered = update_terms(after, train)
    assert len(planned) == len(with_previous) == len(recovered) == sum(
        layer.weight.size + (0 if layer.bias is None else layer.bias.size) for layer in after.layers)
    keys = STATE_KEYS.get(train.optimizer, {})
    index = 0
    for li, (old, new) in enumerate(zip(before.layers, after.layers)):
        pieces = [(old.weight, old.weight_grad, new.weight, 0)]
        if old.bias is not None:
            pieces.append((old.bias, old.bias_grad, new.bias, 1))
        for w_old, grads, w_new, slot in pieces:
            for pos in np.ndindex(w_old.shape):
                state = {k: float(old.optimizer_state[name][slot][pos]) for k, name in keys.items()
                         if name in old.optimizer_state}
                w_ref, state_ref = reference_update(train.optimizer, train, float(w_old[pos]), float(grads[pos]),
                                                    state, after.step, after.learning_rate)
                for term in (planned[index], with_previous[index], recovered[index]):
                    assert term.after == pytest.approx(float(w_new[pos]), rel=1e-12, abs=1e-14)
                    assert term.after == pytest.approx(w_ref, rel=1e-12, abs=1e-14)
                    for k, name in keys.items():
                        assert term.state[k] == pytest.approx(float(new.optimizer_state[name][slot][pos]),
                                                              rel=1e-12, abs=1e-16)
                check_update_numbers(planned[index], train, state, float(w_old[pos]), float(grads[pos]),
                                     w_ref, state_ref, after.step, after.learning_rate)
                assert [round(v, 9) for v in numbers(planned[index].text())] == \
                    [round(v, 9) for v in numbers(with_previous[index].text())]
                index += 1


def check_update_numbers(term, train, state, w, g, w_ref, state_ref, t, lr) -> None:
    lines = term.lines()
    if train.optimizer == "momentum":
        v0 = state.get("v", 0.0)
        assert_numbers(lines[0], [train.momentum, v0, g, state_ref["v"]])
        assert_numbers(lines[1], [w, lr, state_ref["v"], w_ref])
    elif train.optimizer == "adam":
        b1, b2 = train.betas
        m0, v0 = state.get("m", 0.0), state.get("v", 0.0)
        assert_numbers(lines[0], [b1, m0, 1 - b1, g, state_ref["m"]])
        assert_numbers(lines[1], [b2, v0, 1 - b2, g, state_ref["v"]])
        assert_numbers(lines[2], [state_ref["m"], 1 - b1 ** t, state_ref["m_hat"]])
        assert_numbers(lines[3], [state_ref["v"], 1 - b2 ** t, state_ref["v_hat"]])
        assert_numbers(lines[4], [w, lr, state_ref["m_hat"], np.sqrt(state_ref["v_hat"]), 1e-8, w_ref])
    else:
        assert_numbers(lines[0], [w, lr, g, w_ref])


@pytest.mark.parametrize("name, steps", [("adam_vs_sgd:adam", 0), ("adam_vs_sgd:adam", 5), ("iris", 3),
                                         ("house_prices", 2), ("perceptron_and", 1), ("xor", 2)])
def test_updates_of_bundled_scenarios(name, steps):
    check_update(at_backward(name, steps))


@pytest.mark.parametrize("steps", [0, 1, 4])
def test_momentum_update(tmp_path, steps):
    t = at_backward(custom(tmp_path, optimizer="momentum"), steps)
    check_update(t)
    lines = update_terms(t.snapshot(), t.scenario.train)[0].lines()
    assert lines[0].startswith("L1 w[1,1]: v ← mu⋅v + g = 0.9 ⋅ ")
    assert " ← w − lr⋅v = " in lines[1]


def test_adam_lines_name_every_piece():
    t = at_backward("adam_vs_sgd:adam", 0)
    lines = update_terms(t.snapshot(), t.scenario.train)[0].lines()
    assert [line.rsplit(" = ", 2)[0] for line in lines] == [
        "w1: m ← beta1⋅m + (1 − beta1)⋅g", "w1: v ← beta2⋅v + (1 − beta2)⋅g^2", "w1: m_hat = m / (1 − beta1^1)",
        "w1: v_hat = v / (1 − beta2^1)", "w1: w ← w − lr⋅m_hat / (sqrt(v_hat) + eps)"]
    # Adam's first step moves every parameter by the learning rate (m̂ / √v̂ = ±1)
    assert lines[4].endswith("= 0.101")


def test_gradient_terms_refuse_an_update_snapshot():
    t = at_backward("house_prices", 0)
    with pytest.raises(ValueError, match="before the update"):
        gradient_terms(t.advance())
