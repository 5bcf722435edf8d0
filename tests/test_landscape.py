"""Loss landscapes and the closed-form optimum, checked against direct computation.

Every batched grid value is compared with one ordinary evaluation: a copy of the trainer's model
with that parameter set, run through the engine's forward and loss. The optimum is compared with
numpy's lstsq done here, and with the loss around it.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

from dltui.engine import open_scenario
from dltui.engine.pictures import landscape as ls
from dltui.engine.explain.terms import update_lines
from dltui.engine.train.model import DTYPE, forward, loss_value
from dltui.engine.load.scenario import parse_scenario
from dltui.engine.train.trainer import Trainer

RTOL = 1e-12


def trained(name: str, steps: int) -> Trainer:
    t = Trainer(open_scenario(name))
    t.run(steps)
    return t


_COPIES: dict[int, tuple] = {}


def direct_loss(trainer: Trainer, vector: np.ndarray) -> float:
    """The loss with the model's parameters set to `vector`, evaluated the ordinary way.

    One deep copy of the trainer's model per trainer (the trainer itself is never changed).
    """
    if id(trainer) not in _COPIES:
        data = trainer.scenario.data
        x = torch.tensor(data.scaled(data.train_inputs), dtype=DTYPE)
        if data.classes:
            y = torch.tensor(data.train_targets, dtype=torch.long)
        else:
            y = torch.tensor(data.train_targets, dtype=DTYPE).reshape(len(x), -1)
        _COPIES.clear()
        _COPIES[id(trainer)] = (trainer, copy.deepcopy(trainer.model), x, y)
    _, model, x, y = _COPIES[id(trainer)]
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(torch.tensor(vector, dtype=DTYPE), model.parameters())
        return float(loss_value(trainer.scenario.train.loss, forward(model, x), y))


def current(trainer: Trainer) -> np.ndarray:
    return torch.nn.utils.parameters_to_vector(trainer.model.parameters()).detach().numpy().copy()


# --------------------------------------------------------------------------- names and order


def test_parameter_names_follow_the_lecture_and_explain():
    house = open_scenario("house_prices")
    assert ls.parameter_names(house) == ["w1", "w2", "w3", "b"]
    xor = Trainer(open_scenario("xor"))
    expected = ["L1 w[1,1]", "L1 w[1,2]", "L1 w[2,1]", "L1 w[2,2]", "L1 b[1]", "L1 b[2]",
                "L2 w[1,1]", "L2 w[1,2]", "L2 b[1]"]
    assert ls.parameter_names(xor.scenario) == expected
    xor.step()
    assert ls.parameter_names(xor.snapshot()) == expected == [u.name for u in update_lines(xor.snapshot())]
    refs = ls.parameter_refs(xor.snapshot())
    assert [r.index for r in refs] == list(range(9))
    assert (refs[3].layer, refs[3].kind, refs[3].unit, refs[3].input) == (0, "w", 1, 1)
    assert ls.parameter_names(open_scenario("guess_19")) == ["w1"]   # bias = false


def test_flat_order_is_the_models_parameter_order():
    t = trained("xor", 3)
    np.testing.assert_array_equal(ls.flat_parameters(t), current(t))
    np.testing.assert_array_equal(ls.flat_parameters(t.snapshot()), current(t))


# --------------------------------------------------------------------------- grids vs direct


@pytest.mark.parametrize("name,steps", [("house_prices", 3), ("house_prices_mse", 3), ("xor", 40)])
def test_every_1d_point_equals_a_direct_evaluation(name, steps):
    t = trained(name, steps)
    base = current(t)
    for index in range(len(base)):
        land = ls.landscape_1d(t, index, points=21)
        assert len(land.xs) == 21 and land.xs[10] == base[index] == land.current_x
        assert land.label == ls.parameter_names(t.snapshot())[index]
        np.testing.assert_allclose(land.current_loss, t.snapshot().loss, rtol=RTOL)
        direct = []
        for x in land.xs:
            vector = base.copy()
            vector[index] = x
            direct.append(direct_loss(t, vector))
        np.testing.assert_allclose(land.losses, direct, rtol=RTOL)


@pytest.mark.parametrize("name,steps,i,j,nx,ny", [
    ("house_prices", 3, 0, 3, 12, 7),
    ("house_prices_mse", 3, 2, 3, 12, 7),
    ("xor", 40, 6, 7, 60, 30),
    ("xor", 40, 0, 8, 9, 5),
])
def test_every_2d_point_equals_a_direct_evaluation(name, steps, i, j, nx, ny):
    t = trained(name, steps)
    base = current(t)
    land = ls.landscape_2d(t.snapshot(), i, j, nx, ny)
    assert land.losses.shape == (ny, nx) and land.xs.shape == (nx,) and land.ys.shape == (ny,)
    assert land.current == (base[i], base[j])
    np.testing.assert_allclose(land.current_loss, t.snapshot().loss, rtol=RTOL)
    direct = np.empty((ny, nx))
    for row, y in enumerate(land.ys):
        for col, x in enumerate(land.xs):
            vector = base.copy()
            vector[i], vector[j] = x, y
            direct[row, col] = direct_loss(t, vector)
    np.testing.assert_allclose(land.losses, direct, rtol=RTOL)


def test_given_span_and_auto_span():
    t = trained("house_prices_mse", 2)
    land = ls.landscape_1d(t, 3, span=0.25, points=5)
    np.testing.assert_allclose(land.xs, current(t)[3] + np.array([-0.25, -0.125, 0, 0.125, 0.25]))
    auto = ls.landscape_1d(t, 2)                      # w3 = ~4 → about ±6
    assert auto.span == pytest.approx(ls.SPAN_FACTOR * abs(current(t)[2]))
    wide = ls.landscape_1d(t, 2, cover=[20.0])
    assert wide.xs[-1] >= 20.0
    with pytest.raises(ValueError):
        ls.landscape_1d(t, 4)
    with pytest.raises(ValueError):
        ls.landscape_2d(t, 1, 1)


def test_chunked_evaluation_gives_the_same_grid(monkeypatch):
    t = trained("xor", 40)
    whole = ls.landscape_2d(t, 0, 1, 15, 7)
    monkeypatch.setattr(ls, "CHUNK_ELEMENTS", 8 * 4 * 2)   # a few grid points per chunk
    chunked = ls.landscape_2d(t, 0, 1, 15, 7)
    np.testing.assert_allclose(chunked.losses, whole.losses, rtol=RTOL)


def test_cross_entropy_landscape_matches_direct():
    t = trained("iris", 2)
    base = current(t)
    land = ls.landscape_2d(t, 0, 14, 5, 4)
    direct = np.empty(land.losses.shape)
    for row, y in enumerate(land.ys):
        for col, x in enumerate(land.xs):
            vector = base.copy()
            vector[0], vector[14] = x, y
            direct[row, col] = direct_loss(t, vector)
    np.testing.assert_allclose(land.losses, direct, rtol=RTOL)


def test_a_diverged_state_gives_non_finite_losses_without_raising():
    t = trained("learning_rate:large", 2000)
    assert t.diverged
    land = ls.landscape_2d(t, 0, 3, 6, 4)
    assert land.losses.shape == (4, 6)
    ls.landscape_1d(t, 1, points=7)


# --------------------------------------------------------------------------- path


def test_path_points_are_the_recorded_losses_and_lie_on_the_slice():
    t = trained("house_prices_mse", 6)
    steps, visited = ls.visited_parameters(t)
    assert steps.tolist() == list(range(7))
    np.testing.assert_array_equal(visited[-1], current(t))
    land = ls.landscape_1d(t, 0, points=11, path=visited)
    np.testing.assert_allclose(land.path.losses, np.asarray(t.history.losses), rtol=RTOL)
    np.testing.assert_array_equal(land.path.xs, visited[:, 0])
    base = current(t)
    direct = []
    for x in land.path.xs:
        vector = base.copy()
        vector[0] = x
        direct.append(direct_loss(t, vector))
    np.testing.assert_allclose(land.path.slice_losses, direct, rtol=RTOL)
    # auto span reaches the recent path
    assert land.xs[0] <= visited[:, 0].min() and land.xs[-1] >= visited[:, 0].max()
    again = ls.path_on(land, visited)
    np.testing.assert_allclose(again.slice_losses, land.path.slice_losses, rtol=RTOL)

    flat = ls.landscape_2d(t, 1, 2, 7, 5, path=visited)
    np.testing.assert_array_equal(flat.path.ys, visited[:, 2])
    np.testing.assert_allclose(flat.path.losses, np.asarray(t.history.losses), rtol=RTOL)
    vector = base.copy()
    vector[1], vector[2] = visited[0, 1], visited[0, 2]
    np.testing.assert_allclose(flat.path.slice_losses[0], direct_loss(t, vector), rtol=RTOL)


def test_visited_parameters_samples_long_runs():
    t = trained("xor", 300)
    steps, visited = ls.visited_parameters(t, max_points=50)
    assert steps[0] == 0 and steps[-1] == 300 and len(steps) <= 50
    assert visited.shape == (len(steps), 9)
    np.testing.assert_allclose(ls.evaluate_losses(t, visited), np.asarray(t.history.losses)[steps], rtol=RTOL)


# --------------------------------------------------------------------------- closed form


def lstsq_reference(trainer: Trainer) -> np.ndarray:
    data = trainer.scenario.data
    x = data.scaled(data.train_inputs)
    y = np.asarray(data.train_targets, dtype=float)
    if trainer.scenario.layers[0].has_bias:
        x = np.hstack([x, np.ones((len(x), 1))])
    return np.linalg.lstsq(x, y, rcond=None)[0].T.reshape(-1)


@pytest.mark.parametrize("name", ["house_prices_mse", "house_prices", "feature_scaling:standard",
                                  "guess_19", "paint_mixing"])
def test_least_squares_optimum_is_lstsq_and_no_grid_point_beats_it(name):
    t = Trainer(open_scenario(name))
    optimum = ls.least_squares_optimum(t.scenario)
    assert optimum is not None
    np.testing.assert_allclose(optimum, lstsq_reference(t), rtol=1e-12, atol=1e-14)
    best = direct_loss(t, optimum)
    assert best == pytest.approx(ls.evaluate_losses(t, optimum)[0], rel=RTOL, abs=1e-15)
    rng = np.random.default_rng(0)
    around = optimum + rng.normal(scale=0.05, size=(200, len(optimum))) * np.maximum(np.abs(optimum), 0.1)
    assert best <= ls.evaluate_losses(t, around).min() + 1e-12
    # and on landscapes through the optimum: no grid point is lower
    at_optimum = snapshot_with(t.snapshot(), optimum)
    for i in range(len(optimum)):
        land = ls.landscape_1d(at_optimum, i, points=41)
        assert best <= land.losses.min() + 1e-12
    if len(optimum) > 1:
        land = ls.landscape_2d(at_optimum, 0, len(optimum) - 1, 21, 11)
        assert best <= land.losses.min() + 1e-12
        np.testing.assert_allclose(land.current_loss, best, rtol=1e-9, atol=1e-15)


def snapshot_with(snapshot, vector: np.ndarray):
    """The same snapshot with its layers' parameters replaced by the flat `vector`."""
    layers, offset = [], 0
    for layer in snapshot.layers:
        n = layer.weight.size
        weight = vector[offset:offset + n].reshape(layer.weight.shape)
        offset += n
        bias = None
        if layer.bias is not None:
            bias = vector[offset:offset + layer.bias.size]
            offset += layer.bias.size
        layers.append(dataclasses.replace(layer, weight=weight, bias=bias))
    return dataclasses.replace(snapshot, layers=tuple(layers))


def test_least_squares_not_offered_where_the_formula_does_not_answer(tmp_path: Path):
    assert ls.least_squares_optimum(open_scenario("xor")) is None
    assert ls.least_squares_optimum(open_scenario("perceptron_and")) is None
    doc = {"title": "mae line", "data": {"features": ["x"], "target": "y",
                                         "rows": [[0, 0.0], [1, 1.5], [2, 1.9], [3, 3.4], [4, 3.7]]},
           "model": {"layers": [{"units": 1, "activation": "identity"}]},
           "train": {"loss": "mae", "learning_rate": 0.1}}
    mae = parse_scenario(doc, tmp_path / "mae.toml")
    assert ls.least_squares_optimum(mae) is None
    fit = ls.least_squares_fit(mae)
    assert not fit.optimal and not fit.exact_fit and "not the MAE optimum" in fit.label
    x = np.array([[0, 1], [1, 1], [2, 1], [3, 1], [4, 1.0]])
    np.testing.assert_allclose(fit.parameters, np.linalg.lstsq(x, [0, 1.5, 1.9, 3.4, 3.7], rcond=None)[0])
    exact = ls.least_squares_fit(open_scenario("house_prices"))   # 3 rows, 4 parameters: exact
    assert exact.optimal and exact.exact_fit


def test_fit_grid_keeps_small_problems_and_shrinks_big_ones():
    assert ls.fit_grid(Trainer(open_scenario("xor")), 60, 30) == (60, 30)
    big = Trainer(open_scenario("abalone")).snapshot()
    nx, ny = ls.fit_grid(big, 60, 30)
    assert 3 <= ny < nx < 60 and nx * ny * big.n_rows * len(ls.parameter_names(big)) <= ls.GRID_WORK_BUDGET
    n, one = ls.fit_grid(big, 61)
    assert one == 1 and 3 <= n <= 61
