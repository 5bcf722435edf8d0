"""Tests for one-line engine bugs a hand-made mutation pass found no test catching (issue 16).

Each test names the mistake it is there for; each was checked by making that mistake by hand
and watching the test fail. References are numpy written here, not the engine's own code.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest

from dltui.cli.main import main
from dltui.engine import Phase, load_scenario, open_scenario
from dltui.engine.explain.gradients import gradient_terms
from dltui.engine.explain.terms import loss_terms
from dltui.engine.numbers import fmt_loss
from dltui.engine.train.trainer import Trainer


def at_phase(trainer: Trainer, phase: Phase):
    snapshot = trainer.advance()
    while snapshot.phase is not phase:
        snapshot = trainer.advance()
    return snapshot


# ------------------------------------------------- a minibatch's loss is divided by its own rows


@pytest.fixture(scope="module")
def abalone_at_loss():
    trainer = Trainer(open_scenario("abalone"))
    trainer.run(3)                  # a later batch, not the first
    return at_phase(trainer, Phase.LOSS)


def test_minibatch_loss_terms_are_divided_by_the_batch_rows(abalone_at_loss):
    """Mistake: dividing the batch's loss terms by all training rows (`7249.47 / 64 = 2.169`
    while the batch loss is 113.27)."""
    s = abalone_at_loss
    batch = np.asarray(s.batch)
    assert 1 < len(batch) < s.n_rows
    # numpy by hand: MSE of the batch rows at the current parameters
    by_hand = float(np.mean((s.predictions[batch] - np.asarray(s.targets, float).reshape(s.n_rows, -1)[batch]) ** 2))
    terms = loss_terms(s, batch)
    assert len(terms.rows) == len(batch)
    assert terms.mean == pytest.approx(by_hand, rel=1e-12)
    assert terms.mean == pytest.approx(s.batch_loss, rel=1e-12)
    assert terms.total == pytest.approx(by_hand * len(batch), rel=1e-12)
    text = terms.reduction_text()
    assert text.endswith(f" / {len(batch)} = {fmt_loss(by_hand)}"), text
    assert f"/ {s.n_rows}" not in text


def test_explain_text_shows_the_batch_loss():
    """The same mistake seen where a learner reads it: `dltui run abalone --explain`."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", "abalone", "--steps", "1", "--explain", "--lang", "en"]) == 0
    line = next(l for l in out.getvalue().splitlines() if l.startswith("loss = ("))
    trainer = Trainer(open_scenario("abalone"))
    s = at_phase(trainer, Phase.LOSS)
    divisors = re.findall(r"/ (\d+)", line)
    assert divisors == [str(len(s.batch))] * 2, line
    assert float(line.rsplit("= ", 1)[1]) == pytest.approx(s.batch_loss, rel=1e-3)


# ------------------------------------------------- the perceptron follows a live learning rate


def test_perceptron_update_uses_the_learning_rate_in_force():
    """Mistake: the perceptron rule using the file's learning rate after `]` changed it."""
    trainer = Trainer(open_scenario("perceptron_and"))
    scenario = trainer.scenario
    file_rate = scenario.train.learning_rate
    new_rate = file_rate * 4 + 0.125
    before = trainer.snapshot()
    x = np.asarray(before.model_inputs, float)
    y = np.asarray(before.targets, float).reshape(len(x), -1)
    w, b = before.layers[0].weight.copy(), before.layers[0].bias.copy()
    y_hat = (x @ w.T + b > 0).astype(float)                 # the step output, by hand
    assert (y_hat != y).any(), "the start must misclassify a row, or nothing moves"
    trainer.set_learning_rate(new_rate)
    after = trainer.step()
    error = y - y_hat
    np.testing.assert_allclose(after.layers[0].weight, w + new_rate * error.T @ x, rtol=1e-12)
    np.testing.assert_allclose(after.layers[0].bias, b + new_rate * error.sum(axis=0), rtol=1e-12)
    # and the history replays it: back one step and forward again gives the same numbers
    trainer.go_to(0)
    trainer.set_learning_rate(new_rate)
    np.testing.assert_array_equal(trainer.step().layers[0].weight, after.layers[0].weight)


# ------------------------------------------------- the softmax's class index


CLASSES_TOML = """
title = "three classes"
[data]
features = ["x1", "x2"]
target = "kind"
classes = ["a", "b", "c"]
rows = [[1.0, 0.0, "a"], [0.0, 1.0, "b"], [-1.0, -1.0, "c"], [0.5, 0.5, 2], [0.2, -0.4, 1], [-0.3, 0.8, 0]]
[[model.layers]]
units = 3
activation = "softmax"
weight = [[2.0, -1.0], [-0.5, 1.5], [-1.0, -1.0]]
bias = [0.1, 0.0, -0.2]
[train]
loss = "cross_entropy"
optimizer = "sgd"
learning_rate = 0.5
"""


def test_class_index_of_every_row(tmp_path):
    """Mistakes: a class name mapped to the wrong index, or a prediction's argmax taken over the
    wrong axis or shifted ‒ none of which crashes. Checked against numpy softmax by hand."""
    path = tmp_path / "classes.toml"
    path.write_text(CLASSES_TOML, encoding="utf-8")
    trainer = Trainer(load_scenario(path))
    s = trainer.snapshot()
    labels = np.array([0, 1, 2, 2, 1, 0])
    np.testing.assert_array_equal(s.targets, labels)
    x = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [0.5, 0.5], [0.2, -0.4], [-0.3, 0.8]])
    z = x @ np.array([[2.0, -1.0], [-0.5, 1.5], [-1.0, -1.0]]).T + np.array([0.1, 0.0, -0.2])
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(s.predictions, p, rtol=1e-12)
    np.testing.assert_array_equal(s.predicted_classes(), p.argmax(axis=1))
    assert s.accuracy() == pytest.approx(float(np.mean(p.argmax(axis=1) == labels)))
    assert 0 < s.accuracy() < 1                    # some right, some wrong: a shift would show
    np.testing.assert_allclose(s.row_losses, -np.log(p[np.arange(6), labels]), rtol=1e-12)
    # the trainer's gradient and the explanation's (its one-hot targets) put the 1 at the same class
    b = at_phase(trainer, Phase.BACKWARD)
    expected = (p - np.eye(3)[labels]).T @ x / 6
    np.testing.assert_allclose(b.layers[0].weight_grad, expected, rtol=1e-12)
    explained = gradient_terms(b).values()
    np.testing.assert_allclose([explained[f"L1 w[{u + 1},{i + 1}]"] for u in range(3) for i in range(2)],
                               expected.reshape(-1), rtol=1e-12)


# ------------------------------------------------- minibatches are reshuffled every epoch


def test_minibatches_reshuffle_every_epoch_as_trained(tmp_path):
    """Mistakes: one fixed order for every epoch, a fresh shuffle every step (rows repeat within
    an epoch), or the batch of step 0 used for every step. Read from what the trainer trains on."""
    rows = ", ".join(f"[{i}.0, {i % 3}.0, {0.5 * i}]" for i in range(8))
    path = tmp_path / "batches.toml"
    path.write_text(f"""
title = "batches"
[data]
features = ["a", "b"]
target = "y"
rows = [{rows}]
[[model.layers]]
units = 1
weight = [[0.1, 0.2]]
bias = [0.0]
[train]
loss = "mse"
optimizer = "sgd"
learning_rate = 0.001
batch_size = 3
seed = 4
""", encoding="utf-8")
    trainer = Trainer(load_scenario(path))
    per_epoch, epochs = 3, 5                       # 8 rows in batches of 3: 3, 3, 2
    used = []
    for _ in range(per_epoch * epochs):
        used.append(np.asarray(at_phase(trainer, Phase.LOSS).batch).tolist())
        trainer.step()
    orders = [sum(used[e * per_epoch:(e + 1) * per_epoch], []) for e in range(epochs)]
    assert [len(b) for b in used[:per_epoch]] == [3, 3, 2]
    for order in orders:
        assert sorted(order) == list(range(8)), "each epoch uses every row once"
    assert len({tuple(order) for order in orders}) == epochs, "a new order every epoch"
    assert orders[0] != list(range(8)), "shuffled, not in file order"
