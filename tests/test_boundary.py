"""Decision grids, the hidden layer's space, activation points and the network diagram's data,
checked against direct computation (single forwards of the trainer's model, numpy formulas)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from dltui.engine import open_scenario, ops
from dltui.engine.pictures import boundary as bd
from dltui.engine.pictures.landscape import parameter_names
from dltui.engine.train.model import DTYPE, forward
from dltui.engine.pictures.network import network_layout
from dltui.engine.load.scenario import parse_scenario
from dltui.engine.train.trainer import Trainer

RTOL = 1e-12


def trained(name: str, steps: int) -> Trainer:
    t = Trainer(open_scenario(name))
    t.run(steps)
    return t


def single_output(trainer: Trainer, raw_point) -> np.ndarray:
    """One ordinary forward of the trainer's own model on one raw input point."""
    x = torch.tensor(trainer.scenario.data.scaled(np.array([raw_point], dtype=float)), dtype=DTYPE)
    with torch.no_grad():
        return forward(trainer.model, x).predictions[0].numpy().copy()


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- decision grid


def test_xor_grid_values_equal_single_forwards():
    t = trained("xor", 300)
    grid = bd.decision_grid(t, None, 40, 20)
    assert grid.decision.name == "probability" and grid.values.shape == (20, 40) and grid.threshold == 0.5
    assert grid.xs[0] == pytest.approx(-0.25) and grid.xs[-1] == pytest.approx(1.25)
    assert grid.ys[0] == pytest.approx(-0.25) and grid.ys[-1] == pytest.approx(1.25)
    direct = np.array([[single_output(t, (x, y))[0] for x in grid.xs] for y in grid.ys])
    np.testing.assert_allclose(grid.values, direct, rtol=RTOL)
    np.testing.assert_array_equal(grid.classes, (direct >= 0.5).astype(int))
    np.testing.assert_array_equal(grid.train.x1, [0, 1, 0, 1])
    np.testing.assert_array_equal(grid.train.x2, [0, 0, 1, 1])
    np.testing.assert_array_equal(grid.train.classes, [0, 1, 1, 0])
    assert len(grid.test.x1) == 0 and grid.feature_names == ("x1", "x2")
    # same from the snapshot with the scenario given
    again = bd.decision_grid(t.snapshot(), t.scenario, 40, 20)
    np.testing.assert_array_equal(again.values, grid.values)


def test_step_output_grid_is_zero_or_one():
    t = trained("perceptron_and", 3)
    grid = bd.decision_grid(t, None, 9, 7)
    assert grid.decision.name == "step" and set(np.unique(grid.values)) <= {0.0, 1.0}
    direct = np.array([[single_output(t, (x, y))[0] for x in grid.xs] for y in grid.ys])
    np.testing.assert_array_equal(grid.values, direct)


def _two_feature_scenario(tmp_path: Path, **overrides) -> "object":
    doc = {"title": "blobs",
           "data": {"features": ["height", "weight"], "target": "kind",
                    "rows": [[150, 50, "a"], [160, 65, "b"], [170, 60, "c"], [180, 90, "b"],
                             [155, 70, "a"], [175, 55, "c"]],
                    "test_rows": [[165, 75, "b"], [190, 40, "c"]],
                    "classes": ["a", "b", "c"], "normalize": "standard"},
           "model": {"layers": [{"units": 3, "activation": "softmax"}]},
           "train": {"loss": "cross_entropy", "learning_rate": 0.5, "seed": 3}}
    doc.update(overrides)
    return parse_scenario(doc, tmp_path / "blobs.toml")


def test_softmax_grid_on_scaled_inputs_with_test_points(tmp_path):
    t = Trainer(_two_feature_scenario(tmp_path))
    t.run(20)
    grid = bd.decision_grid(t, None, 12, 8, margin=0.1)
    assert grid.decision.name == "argmax" and grid.probabilities.shape == (8, 12, 3) and grid.threshold is None
    assert grid.xs[0] == pytest.approx(150 - 4) and grid.xs[-1] == pytest.approx(190 + 4)
    direct = np.array([[single_output(t, (x, y)) for x in grid.xs] for y in grid.ys])
    np.testing.assert_allclose(grid.probabilities, direct, rtol=RTOL)
    np.testing.assert_array_equal(grid.classes, direct.argmax(axis=2))
    np.testing.assert_allclose(grid.values, direct.max(axis=2), rtol=RTOL)
    np.testing.assert_array_equal(grid.test.classes, [1, 2])
    np.testing.assert_array_equal(grid.test.x1, [165, 190])
    assert grid.class_names == ("a", "b", "c")


@pytest.mark.parametrize("name", ["iris", "house_prices", "paint_mixing"])
def test_grid_refuses_what_is_not_two_input_classification(name):
    scenario = open_scenario(name)
    assert bd.boundary_problem(scenario)
    with pytest.raises(ValueError):
        bd.decision_grid(Trainer(scenario), None, 10, 10)


def test_grid_accepts_regression_shaped_classification():
    t = trained("step_vs_sigmoid:sigmoid", 5)    # sigmoid + mse on 0/1 targets
    assert bd.boundary_problem(t.scenario) is None
    assert bd.decision_grid(t, None, 5, 5).decision.name == "probability"


# --------------------------------------------------------------------------- hidden space


def test_xor_hidden_space_is_the_numpy_forward_and_the_line_is_w_h_plus_b_zero():
    t = trained("xor", 1500)
    snap = t.snapshot()
    space = bd.hidden_space(snap, 0)
    w1, b1 = snap.layers[0].weight, snap.layers[0].bias
    x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    np.testing.assert_allclose(space.h, sigmoid(x @ w1.T + b1), rtol=RTOL)
    np.testing.assert_array_equal(space.classes, [0, 1, 1, 0])
    np.testing.assert_array_equal(space.inputs, x)
    np.testing.assert_array_equal(space.weight, snap.layers[1].weight[0])
    assert space.bias == snap.layers[1].bias[0] and space.level == 0.0
    assert space.x_range == pytest.approx((-0.05, 1.05)) and space.y_range == pytest.approx((-0.05, 1.05))
    assert space.line is not None
    for hx, hy in space.line:
        assert space.weight @ np.array([hx, hy]) + space.bias == pytest.approx(0.0, abs=1e-9)
        assert space.x_range[0] - 1e-12 <= hx <= space.x_range[1] + 1e-12
        assert space.y_range[0] - 1e-12 <= hy <= space.y_range[1] + 1e-12
    # trained to 100%: the line separates the classes in hidden space
    side = space.h @ space.weight + space.bias > 0
    np.testing.assert_array_equal(side, space.classes == 1)


def test_clip_line_cases():
    line = bd.clip_line(np.array([1.0, 1.0]), -1.0, 0.0, (0.0, 1.0), (0.0, 1.0))
    assert sorted(line) == [(0.0, 1.0), (1.0, 0.0)]
    vertical = bd.clip_line(np.array([2.0, 0.0]), -1.0, 0.0, (0.0, 1.0), (-1.0, 1.0))
    assert sorted(vertical) == [(0.5, -1.0), (0.5, 1.0)]
    assert bd.clip_line(np.array([1.0, 1.0]), -5.0, 0.0, (0.0, 1.0), (0.0, 1.0)) is None
    assert bd.clip_line(np.array([0.0, 0.0]), 1.0, 0.0, (0.0, 1.0), (0.0, 1.0)) is None
    level = bd.clip_line(np.array([1.0, 0.0]), 0.0, 0.5, (0.0, 1.0), (0.0, 1.0))
    assert sorted(level) == [(0.5, 0.0), (0.5, 1.0)]


def test_hidden_space_needs_a_two_unit_layer_before_the_output():
    with pytest.raises(ValueError):
        bd.hidden_space(trained("xor_relu", 0).snapshot(), 0)       # 4 hidden units
    with pytest.raises(ValueError):
        bd.hidden_space(trained("xor", 0).snapshot(), 1)            # the output layer


# --------------------------------------------------------------------------- activations


_erf = np.vectorize(math.erf, otypes=[float])
CURVES = {   # every elementwise activation of the registry, by hand
    "identity": lambda z: z,
    "step": lambda z: (z > 0).astype(float),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "gelu": lambda z: z * 0.5 * (1 + _erf(z / math.sqrt(2))),
    "softplus": lambda z: np.log1p(np.exp(z)),
}


def test_every_curve_has_a_reference():
    assert set(CURVES) == {a for a in ops.ACTIVATION_NAMES if ops.activation(a).elementwise}


@pytest.mark.parametrize("name", sorted(CURVES))
def test_activation_curve(name):
    zs = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(bd.activation_curve(name, zs), CURVES[name](zs), rtol=RTOL, atol=1e-300)


@pytest.mark.parametrize("name", [a for a in sorted(CURVES) if ops.activation(a).half_at is not None])
def test_class_threshold_is_where_the_curve_crosses_one_half(name):
    """The hidden-space line's level: the z where a single output reaches 0.5."""
    z = ops.activation(name).half_at
    if name == "step":
        assert CURVES[name](np.array([z]))[0] == 0.0 and CURVES[name](np.array([z + 1e-9]))[0] == 1.0
    else:
        assert CURVES[name](np.array([z]))[0] == pytest.approx(0.5, abs=1e-12)


def test_activation_curve_refuses_softmax():
    with pytest.raises(ValueError):
        bd.activation_curve("softmax", np.zeros(3))


def test_activation_points_are_the_rows_z_and_a():
    t = trained("xor", 50)
    snap = t.snapshot()
    points = bd.activation_points(snap, 0)
    x = snap.model_inputs
    z = x @ snap.layers[0].weight.T + snap.layers[0].bias
    np.testing.assert_allclose(points.z, z, rtol=RTOL)
    np.testing.assert_allclose(points.a, sigmoid(z), rtol=RTOL)
    np.testing.assert_allclose(bd.activation_curve("sigmoid", points.z), points.a, rtol=RTOL)
    assert points.z_range[0] < -4 and points.z_range[1] > 4
    zs, fs = points.curve(21)
    assert len(zs) == 21 and zs[0] == points.z_range[0]
    np.testing.assert_allclose(fs, sigmoid(zs), rtol=RTOL)


# --------------------------------------------------------------------------- network view


def test_network_layout_of_xor():
    t = trained("xor", 10)
    snap = t.snapshot()
    layout = network_layout(snap, t.scenario, row=1)
    assert [len(c) for c in layout.columns] == [2, 2, 1]
    assert [n.label for n in layout.nodes] == ["x1", "x2", "h1", "h2", "y"]
    assert len(layout.edges) == 6
    names = parameter_names(snap)
    weights = [n for n in names if " w[" in n]
    assert [e.label for e in layout.edges] == weights
    all_w = np.concatenate([snap.layers[0].weight.ravel(), snap.layers[1].weight.ravel()])
    np.testing.assert_allclose([e.weight for e in layout.edges], all_w)
    assert max(e.magnitude for e in layout.edges) == 1.0
    for e in layout.edges:
        assert e.magnitude == pytest.approx(abs(e.weight) / np.abs(all_w).max())
        assert e.sign == np.sign(e.weight)
    h2 = layout.nodes[3]
    assert (h2.layer, h2.index, h2.activation) == (1, 1, "sigmoid")
    assert h2.value == snap.layers[0].output[1, 1] and h2.pre_activation == snap.layers[0].pre_activation[1, 1]
    assert h2.bias == snap.layers[0].bias[1]
    assert layout.nodes[0].value == snap.model_inputs[1, 0]
    e = layout.edges[3]   # L1 w[2,2]: x2 → h2
    assert (e.source, e.target) == (1, 3)
    assert network_layout(snap, row=None).nodes[2].value is None


def test_network_layout_single_neuron_uses_lecture_names():
    t = trained("house_prices", 0)
    layout = network_layout(t.snapshot(), t.scenario)
    assert [e.label for e in layout.edges] == ["w1", "w2", "w3"]
    assert layout.nodes[-1].label == "집 값" and layout.nodes[0].label == "평수"
    assert layout.nodes[-1].value == pytest.approx(5.8)
