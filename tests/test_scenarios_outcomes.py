"""Every bundled scenario keeps the promise its description makes.

Each test trains a bundled scenario headless through the engine's Python API and checks the
outcome the learner is told to expect. Losses and accuracies are recomputed here from the
predictions and targets (and predictions from the reported weights), never read from the
engine's own summary fields, so a wrong loss or a wrong forward pass in the engine fails here too.
The numbers in the comments are the measured values the scenario descriptions quote.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from marks import slow_beyond

from dltui.engine import bundled_names, open_scenario
from dltui.engine.train.trainer import Trainer

LN2 = math.log(2.0)


# --------------------------------------------------------------------------- helpers


def trainer(name: str) -> Trainer:
    return Trainer(open_scenario(name))


def snapshots(name: str, steps: int, every: int = 1) -> list:
    """Snapshots of steps 0, every, 2·every, … up to `steps` (and the diverged step, if any)."""
    t = trainer(name)
    out = [t.snapshot()]
    done = 0
    while done < steps and not t.diverged:
        done += t.run(min(every, steps - done))
        out.append(t.snapshot())
    return out


ACTIVATIONS = {
    "identity": lambda z: z,
    "step": lambda z: (z > 0).astype(float),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "softmax": lambda z: np.exp(z - z.max(axis=1, keepdims=True))
    / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
}


def forward(snapshot, model_inputs: np.ndarray) -> np.ndarray:
    """The network's output recomputed in numpy from the snapshot's weights and biases."""
    a = np.asarray(model_inputs, dtype=float)
    for layer in snapshot.layers:
        z = a @ layer.weight.T + (0.0 if layer.bias is None else layer.bias)
        a = ACTIVATIONS[layer.activation](z)
    return a


def predictions(snapshot, scenario=None, test: bool = False) -> np.ndarray:
    """The snapshot's predictions (training rows, or the test rows with `scenario` and
    `test=True`), checked against our own forward pass over its weights."""
    if test:
        reported = snapshot.test_predictions
        model_inputs = scenario.data.scaled(snapshot.test_inputs)
    else:
        reported = snapshot.predictions
        model_inputs = snapshot.model_inputs
    np.testing.assert_allclose(reported, forward(snapshot, model_inputs), rtol=1e-9, atol=1e-12)
    return np.asarray(reported)


def mse(p: np.ndarray, y: np.ndarray) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean((np.asarray(p) - np.asarray(y).reshape(np.shape(p))) ** 2))


def mae(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.abs(np.asarray(p) - np.asarray(y).reshape(np.shape(p)))))


def bce(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(np.asarray(p, dtype=float), 1e-300, 1 - 1e-16)
    y = np.asarray(y, dtype=float).reshape(p.shape)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_entropy(p: np.ndarray, classes: np.ndarray) -> float:
    p = np.asarray(p, dtype=float)
    return float(-np.mean(np.log(p[np.arange(len(p)), np.asarray(classes, dtype=int)])))


def binary_accuracy(p: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows right, reading an output above 0.5 as class 1."""
    decided = (np.asarray(p).reshape(-1) > 0.5).astype(float)
    return float(np.mean(decided == np.asarray(y, dtype=float).reshape(-1)))


def class_accuracy(p: np.ndarray, classes: np.ndarray) -> float:
    return float(np.mean(np.asarray(p).argmax(axis=1) == np.asarray(classes).reshape(-1)))


def params(snapshot) -> np.ndarray:
    parts = []
    for layer in snapshot.layers:
        parts.append(layer.weight.ravel())
        if layer.bias is not None:
            parts.append(layer.bias.ravel())
    return np.concatenate(parts)


# --------------------------------------------------------------------------- every scenario


TESTED = {
    "house_prices", "house_prices_mse", "guess_19", "paint_mixing",
    "perceptron_and", "perceptron_or", "xor_perceptron", "xor_linear", "xor", "xor_relu",
    "iris", "abalone",
    # comparisons: their runs are tested below (NAME:RUN) and in test_comparisons.py
    "adam_vs_sgd", "step_vs_sigmoid", "learning_rate", "feature_scaling", "xor_depth", "momentum",
    # the course's lessons, tested in test_course_outcomes.py
    "house_no_bias", "mae_exercise_1", "mae_exercise_3", "xor_hidden_linear", "xor_feature", "xor_deep",
    "lecture_code", "house_test",
}


def test_every_bundled_scenario_has_an_outcome_test():
    assert set(bundled_names()) == TESTED


@pytest.mark.parametrize("name", sorted(TESTED))
def test_title_and_lesson_are_in_korean_and_english(name):
    scenario = open_scenario(name)
    hangul = re.compile(r"[\uac00-\ud7a3]")
    assert hangul.search(scenario.title) and re.search(r"[A-Za-z]{3}", scenario.title)
    korean, english = scenario.description("ko"), scenario.description("en")
    assert korean != english, "needs a lesson per language"
    assert hangul.search(korean) and re.search(r"\b(the|step|one)\b", english)
    for text in (korean, english):
        for key in ("`space`", "`.`", "`b`", "`p`"):  # what to press
            assert key in text


# --------------------------------------------------------------------------- house table


def test_house_prices_starts_at_the_lecture_figures_and_mae_falls():
    snaps = snapshots("house_prices", 100, every=10)
    np.testing.assert_allclose(predictions(snaps[0]).ravel(), [5.8, 6.7, 7.3], atol=1e-12)
    assert mae(predictions(snaps[0]), snaps[0].targets) == pytest.approx(1.7 / 3, abs=1e-12)
    losses = [mae(predictions(s), s.targets) for s in snaps]
    assert losses[1] < losses[0] and losses[-1] < losses[0]


def test_house_prices_mse_falls_every_step_and_is_below_0_18_by_step_10():
    snaps = snapshots("house_prices_mse", 100)
    losses = [mse(predictions(s), s.targets) for s in snaps]
    assert losses[0] == pytest.approx((0.2**2 + 0.3**2 + 1.2**2) / 3, abs=1e-12)  # 0.5233
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[10] < 0.18  # 0.1785


def test_feature_scaling_without_scaling_crawls_and_diverges_at_the_scaled_rate():
    t = trainer("feature_scaling:raw")
    start = t.snapshot()
    assert mse(predictions(start), start.targets) == pytest.approx(52.4166667, abs=1e-6)
    assert t.run(2000) == 2000
    end = t.snapshot()
    assert 0.1 < mse(predictions(end), end.targets) < 0.4  # 0.345: still far from 0

    t = trainer("feature_scaling:raw")
    t.set_learning_rate(0.2)  # feature_scaling_standard's rate
    t.run(200)
    last = t.snapshot()
    assert t.step_count < 200  # stopped: diverged (at step 58)
    assert not np.isfinite(mse(last.predictions, last.targets)) or not np.isfinite(params(last)).all()


def test_feature_scaling_standard_converges_within_13_steps():
    snaps = snapshots("feature_scaling:standard", 100)
    losses = [mse(predictions(s), s.targets) for s in snaps]
    assert losses[0] == pytest.approx(52.4166667, abs=1e-6)  # the same start as feature_scaling
    assert losses[13] < 1e-4  # 8.9e-05
    assert losses[100] < 1e-10
    np.testing.assert_allclose(predictions(snaps[100]).ravel(), [6.0, 7.0, 8.5], atol=1e-5)


def test_learning_rate_small_barely_moves():
    snaps = snapshots("learning_rate:small", 100)
    losses = [mse(predictions(s), s.targets) for s in snaps]
    assert all(b < a for a, b in zip(losses, losses[1:]))  # the right direction ...
    assert losses[10] > 0.5  # 0.508 ... but barely
    assert losses[100] > 0.39  # 0.396
    assert np.abs(params(snaps[100]) - params(snaps[0])).max() < 0.01
    # house_prices_mse, at a 100x larger rate, is at 0.179 after 10 steps
    faster = snapshots("house_prices_mse", 10)[-1]
    assert mse(predictions(faster), faster.targets) < 0.18


def test_learning_rate_large_diverges_within_120_steps():
    snaps = snapshots("learning_rate:large", 200)
    finite = [s for s in snaps if np.isfinite(mse(s.predictions, s.targets)) and np.isfinite(params(s)).all()]
    losses = [mse(predictions(s), s.targets) for s in finite]
    assert all(b > a for a, b in zip(losses, losses[1:]))  # grows at every step
    assert losses[1] > 100 and losses[2] > 10_000  # 167.5, 80,830
    last = snaps[-1]
    assert last.step <= 120  # 115
    assert not np.isfinite(mse(last.predictions, last.targets)) or not np.isfinite(params(last)).all()


@pytest.mark.slow
def test_adam_moves_every_parameter_by_the_rate_and_keeps_going_down():
    snaps = snapshots("adam_vs_sgd:adam", 3000)
    first_change = params(snaps[1]) - params(snaps[0])
    np.testing.assert_allclose(np.abs(first_change), 0.001, rtol=1e-4)
    losses = np.array([mse(predictions(s), s.targets) for s in snaps])
    assert losses.max() <= losses[0]
    assert losses[1000] < 0.1  # 0.074
    assert losses[3000] < 0.001  # 0.0006


def test_sgd_at_adams_rate_grows_every_step_and_diverges():
    snaps = snapshots("adam_vs_sgd:sgd", 2000, every=1)
    finite = [s for s in snaps if np.isfinite(mse(s.predictions, s.targets))]
    losses = [mse(predictions(s), s.targets) for s in finite[:200]]
    assert all(b > a for a, b in zip(losses, losses[1:]))  # 0.52 -> 0.76 -> 1.16 -> ...
    assert losses[100] > 1e20
    last = snaps[-1]
    assert last.step < 1400  # 1363
    assert not np.isfinite(mse(last.predictions, last.targets)) or not np.isfinite(params(last)).all()


# --------------------------------------------------------------------------- one parameter, paint


def test_guess_19_steps_from_3_to_19():
    snaps = snapshots("guess_19", 20)
    guesses = [float(predictions(s).ravel()[0]) for s in snaps]
    assert guesses[:3] == [3.0, 16.0, 18.4375]  # the joke: 3, 16, 18, ..., 19
    gaps = [abs(19 - g) for g in guesses]
    assert all(b < a for a, b in zip(gaps, gaps[1:]))
    assert gaps[4] > 0.01 and gaps[5] < 0.01  # 18.996 at step 5
    assert all(g < 0.01 for g in gaps[5:])


def test_paint_mixing_finds_half_red_half_yellow():
    snaps = snapshots("paint_mixing", 30)
    for s in snaps:
        colour = predictions(s).ravel()  # rows are R, G, B
        assert colour.shape == (3,) and ((0 <= colour) & (colour <= 1)).all()
    assert np.abs(params(snaps[10]) - [0.5, 0.5, 0.0]).max() < 0.01
    assert np.abs(predictions(snaps[30]).ravel() - snaps[30].targets.ravel()).max() < 0.001


# --------------------------------------------------------------------------- perceptrons


@pytest.mark.parametrize("name, solved_at", [("perceptron_and", 6), ("perceptron_or", 5)])
def test_perceptron_learns_and_and_or(name, solved_at):
    snaps = snapshots(name, 20)
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    assert accuracy.index(1.0) == solved_at <= 10
    assert all(a == 1.0 for a in accuracy[solved_at:])
    final = params(snaps[solved_at])
    assert all((params(s) == final).all() for s in snaps[solved_at:])  # no mistakes, no updates
    assert all(mae(predictions(s), s.targets) == 1.0 - a for s, a in zip(snaps, accuracy))


def test_xor_perceptron_never_gets_all_four():
    snaps = snapshots("xor_perceptron", 500)
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    assert max(accuracy) <= 0.5 < 1.0
    assert (params(snaps[2]) == params(snaps[4])).all() and (params(snaps[2]) != params(snaps[3])).any()
    assert all((params(s) == params(snaps[2 + (s.step % 2)])).all() for s in snaps[2:])


@pytest.mark.slow
def test_xor_linear_never_beats_ln2():
    snaps = snapshots("xor_linear", 2000)
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    losses = [bce(predictions(s), s.targets) for s in snaps]
    assert max(accuracy) <= 0.75
    assert min(losses) >= LN2 - 1e-9
    np.testing.assert_allclose(predictions(snaps[-1]).ravel(), 0.5, atol=1e-3)


@pytest.mark.parametrize("name, within", slow_beyond([("xor", 1500), ("xor_relu", 100)], fast=[("xor_relu", 100)]))
def test_a_hidden_layer_solves_xor(name, within):
    snaps = snapshots(name, within + 100)
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    first = accuracy.index(1.0)  # measured: xor 782, xor_relu 72
    assert first <= within
    assert all(a == 1.0 for a in accuracy[first:])
    if name == "xor_relu":
        assert bce(predictions(snaps[200]), snaps[200].targets) < 0.05  # 0.032


def test_step_activation_does_not_move_under_gradient_descent():
    snaps = snapshots("step_vs_sigmoid:step", 200)
    start = params(snaps[0])
    assert all((params(s) == start).all() for s in snaps)
    assert all(binary_accuracy(predictions(s), s.targets) == 0.25 for s in snaps)
    assert all(mse(predictions(s), s.targets) == 0.75 for s in snaps)


def test_sigmoid_activation_learns_the_same_problem():
    snaps = snapshots("step_vs_sigmoid:sigmoid", 200)
    step = snapshots("step_vs_sigmoid:step", 0)[0]
    assert (params(snaps[0]) == params(step)).all()  # same start as the step version
    losses = [mse(predictions(s), s.targets) for s in snaps]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    accuracy = [binary_accuracy(predictions(s), s.targets) for s in snaps]
    assert accuracy.index(1.0) == 30 <= 40
    assert all(a == 1.0 for a in accuracy[30:])
    assert losses[50] < 0.1  # 0.097


# --------------------------------------------------------------------------- real data


def test_iris_classifies_held_out_flowers():
    scenario = open_scenario("iris")
    assert (scenario.data.n_train, scenario.data.n_test) == (120, 30)
    t = Trainer(scenario)
    start = t.snapshot()
    start_test_loss = cross_entropy(predictions(start, scenario, test=True), start.test_targets)
    t.run(300)
    at300 = t.snapshot()
    t.run(200)
    at500 = t.snapshot()
    assert class_accuracy(predictions(at300, scenario, test=True), at300.test_targets) > 0.9  # 28/30
    assert class_accuracy(predictions(at500, scenario, test=True), at500.test_targets) >= 29 / 30
    assert start_test_loss == pytest.approx(1.45, abs=0.01)
    assert cross_entropy(predictions(at300, scenario, test=True), at300.test_targets) < 0.2  # 0.161
    assert class_accuracy(predictions(at500), at500.targets) > 0.95  # training rows: 0.967


def test_abalone_learns_in_seeded_minibatches():
    scenario = open_scenario("abalone")
    assert (scenario.data.n_train, scenario.data.n_test) == (3342, 835)
    assert scenario.train.batch_size == 64
    t = Trainer(scenario)
    assert len(t.batch_rows(0)) == 64 and len(set(t.batch_rows(0)) & set(t.batch_rows(1))) == 0
    start = t.snapshot()
    t.run(300)
    at300 = t.snapshot()
    t.run(700)
    at1000 = t.snapshot()
    baseline = mse(np.full(len(start.test_targets), start.targets.mean()), start.test_targets)
    assert baseline == pytest.approx(9.70, abs=0.01)
    assert mse(predictions(start, scenario, test=True), start.test_targets) > 100  # about 106
    assert mse(predictions(at300, scenario, test=True), at300.test_targets) < 5.5  # 4.90
    assert mse(predictions(at1000, scenario, test=True), at1000.test_targets) < 5.0  # 4.49
    assert mse(predictions(at1000), at1000.targets) < 5.0  # training rows: 4.53
