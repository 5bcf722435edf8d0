"""The course's new lessons keep the promises their descriptions make.

As in test_scenarios_outcomes.py, losses and accuracies are recomputed from the snapshots'
predictions (themselves checked against a numpy forward pass over the reported weights), and the
lecture's figures are written here by hand from its slides.
"""

from __future__ import annotations

import numpy as np
import pytest

from dltui.engine import open_scenario
from dltui.engine.train.trainer import Trainer
from test_scenarios_outcomes import (LN2, bce, binary_accuracy, class_accuracy, cross_entropy, mae, mse, params,
                                     predictions, snapshots)

HOUSES = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]])
PRICES = np.array([6.0, 7.0, 8.5])


# --------------------------------------------------------------------------- the house table


def test_house_no_bias_starts_at_the_lectures_5_3_6_2_6_8_and_only_predict_moves():
    snaps = snapshots("house_no_bias", 100)
    assert snaps[0].layers[0].bias is None
    # the lecture's own arithmetic: input × weight = prediction, no bias
    np.testing.assert_allclose(HOUSES @ [0.1, 0.3, 4], [5.3, 6.2, 6.8], atol=1e-12)
    np.testing.assert_allclose(predictions(snaps[0]).ravel(), [5.3, 6.2, 6.8], atol=1e-12)
    losses = [mae(predictions(s), s.targets) for s in snaps]
    assert losses[0] == pytest.approx(3.2 / 3, abs=1e-12)
    for s in snaps:   # the Target is fixed
        np.testing.assert_array_equal(np.asarray(s.targets).ravel(), PRICES)
    preds = [predictions(s).ravel() for s in snaps]
    assert all((b > a).all() for a, b in zip(preds[:7], preds[1:8]))    # the Predict changes, upwards
    assert all(b < a for a, b in zip(losses[:7], losses[1:8]))
    assert losses[7] == pytest.approx(0.306, abs=5e-4)
    assert all(0.29 < loss < 0.32 for loss in losses[7:])


@pytest.mark.parametrize("name, weight, expected, loss, falls_for", [
    ("mae_exercise_1", [0.1, 0.3, 3], [5.5, 6.2, 6.8], 1.0, 10),
    ("house_prices", [0.1, 0.3, 4], [5.8, 6.7, 7.3], 1.7 / 3, 4),
    ("mae_exercise_3", [0.1, 0.2, 2], [4.9, 5.4, 5.9], 5.3 / 3, 10),
])
def test_the_three_weight_sets_of_the_loss_exercise(name, weight, expected, loss, falls_for):
    snaps = snapshots(name, falls_for)
    layer = snaps[0].layers[0]
    np.testing.assert_array_equal(layer.weight, [weight])
    np.testing.assert_array_equal(layer.bias, [0.5])
    np.testing.assert_allclose(HOUSES @ weight + 0.5, expected, atol=1e-12)
    np.testing.assert_allclose(predictions(snaps[0]).ravel(), expected, atol=1e-12)
    losses = [mae(predictions(s), s.targets) for s in snaps]
    assert losses[0] == pytest.approx(loss, abs=1e-12)
    assert all(b < a for a, b in zip(losses, losses[1:]))


EXERCISE_POINTS = [(0.3, 3.0, 1.0), (0.3, 4.0, 1.7 / 3), (0.2, 2.0, 5.3 / 3)]


@pytest.mark.parametrize("name", ["mae_exercise_1", "house_prices", "mae_exercise_3"])
def test_the_three_weight_sets_are_three_points_on_one_map(name):
    """From any of the three lessons, the 2-D landscape over (w2, w3) at step 0 (the keys the
    lessons name: `v` `v` `y` `x`) holds all three exercises at the lecture's losses."""
    from dltui.engine.pictures.landscape import landscape_2d

    start = Trainer(open_scenario(name)).snapshot()
    path = np.array([[0.1, w2, w3, 0.5] for w2, w3, _ in EXERCISE_POINTS])
    land = landscape_2d(start, 1, 2, path=path)
    assert (land.label_x, land.label_y) == ("w2", "w3")
    drawn = landscape_2d(start, 1, 2)   # the map as the screen draws it, before any step
    for grid in (land, drawn):
        assert grid.xs.min() <= 0.2 and grid.xs.max() >= 0.3 and grid.ys.min() <= 2 and grid.ys.max() >= 4
    np.testing.assert_allclose(land.path.slice_losses, [loss for *_, loss in EXERCISE_POINTS], atol=1e-12)


# --------------------------------------------------------------------------- XOR


@pytest.mark.slow
def test_a_linear_hidden_layer_never_separates_xor():
    snaps = snapshots("xor_hidden_linear", 2000)
    first = snaps[0]
    assert first.layers[0].activation == "identity" and first.layers[0].weight.shape == (2, 2)
    rows = [tuple(r) for r in np.asarray(first.inputs, dtype=int)]
    at = {r: i for i, r in enumerate(rows)}
    for s in snaps:
        layer = s.layers[0]
        h = np.asarray(s.model_inputs) @ layer.weight.T + layer.bias   # identity: h = W x + b
        np.testing.assert_allclose(layer.output, h, rtol=1e-9, atol=1e-12)
        # the XOR square lands on a parallelogram whose diagonals carry the two classes: no line
        # separates them (the midpoints of the two diagonals coincide)
        np.testing.assert_allclose(h[at[(0, 0)]] + h[at[(1, 1)]], h[at[(1, 0)]] + h[at[(0, 1)]], atol=1e-9)
        p = predictions(s)
        assert binary_accuracy(p, s.targets) <= 0.75
        assert bce(p, s.targets) >= LN2 - 1e-9
    np.testing.assert_allclose(predictions(snaps[-1]).ravel(), 0.5, atol=1e-3)


def test_a_hand_made_feature_separates_xor_with_one_layer():
    snaps = snapshots("xor_feature", 500)
    assert len(snaps[0].layers) == 1
    inputs = np.asarray(snaps[0].inputs)
    np.testing.assert_array_equal(inputs[:, 2], inputs[:, 0] * inputs[:, 1])   # the feature is x1·x2
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    first = accuracy.index(1.0)
    assert first == 32 <= 40
    assert all(a == 1.0 for a in accuracy[first:])
    losses = [bce(predictions(s), s.targets) for s in snaps]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[300] < 0.1 < LN2
    assert snaps[-1].layers[0].weight[0, 2] < 0   # the feature's weight plays XOR's −2·x1·x2


@pytest.mark.slow
def test_two_hidden_layers_learn_xor():
    snaps = snapshots("xor_deep", 1000)
    shapes = [layer.weight.shape for layer in snaps[0].layers]
    assert shapes == [(3, 2), (2, 3), (1, 2)]   # three matrices stacked
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    first = accuracy.index(1.0)
    assert first == 184 <= 250
    assert all(a == 1.0 for a in accuracy[first:])
    losses = [bce(predictions(s), s.targets) for s in snaps]
    assert losses[0] == pytest.approx(0.718, abs=5e-4)
    assert losses[300] < 0.05 and losses[1000] < 0.01


# --------------------------------------------------------------------------- the lecture's code


@pytest.mark.slow
def test_the_lectures_code_cross_entropy_and_adam_at_0_001():
    scenario = open_scenario("lecture_code")
    assert (scenario.train.loss, scenario.train.optimizer, scenario.train.learning_rate) == \
        ("cross_entropy", "adam", 0.001)
    from dltui.engine.explain.codegen import training_code

    code = training_code(scenario).text
    assert "criterion = nn.CrossEntropyLoss()" in code and "optim.Adam(params=model.parameters(), lr=0.001" in code
    snaps = snapshots("lecture_code", 3000)
    accuracy = [class_accuracy(predictions(s), s.targets) for s in snaps]
    first = accuracy.index(1.0)
    assert first == 111 <= 150
    assert all(a == 1.0 for a in accuracy[first:])
    losses = [cross_entropy(predictions(s), s.targets) for s in snaps]
    assert losses[0] == pytest.approx(0.705, abs=5e-4)
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:]))
    assert losses[1000] < 0.1
    moved = np.abs(params(snaps[1]) - params(snaps[0]))
    assert np.all((np.abs(moved - 0.001) < 1e-7) | (moved == 0))   # Adam: lr·g/(|g| + eps) and (moved > 0).sum() > len(moved) / 2


# --------------------------------------------------------------------------- test rows


@pytest.mark.slow
def test_house_test_prices_houses_it_never_trained_on():
    scenario = open_scenario("house_test")
    assert (scenario.data.n_train, scenario.data.n_test) == (9, 3)
    np.testing.assert_array_equal(scenario.data.train_inputs[:3], HOUSES)   # the lecture's table first
    snaps = snapshots("house_test", 2000)
    train = [mse(predictions(s), s.targets) for s in snaps]
    test = [mse(predictions(s, scenario, test=True), s.test_targets) for s in snaps]
    assert test[0] == pytest.approx(53.64, abs=0.01)
    assert test[100] < 0.02
    assert all(b < a for a, b in zip(train, train[1:]))
    lowest = int(np.argmin(test))
    assert lowest == 247 and test[lowest] == pytest.approx(0.0104, abs=1e-4)
    assert test[2000] > test[lowest] + 0.002   # then it creeps up while training keeps falling
