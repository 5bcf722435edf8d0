"""Hand edits of a parameter (issue 13): the lecture's exercise numbers, edits as history (back
undoes, reset returns to the file, replays are bit for bit), exports carrying them, the
gradient's advice, and setup changes that keep what fits.

The lecture's figures are checked against hand-written numpy (X⋅w + b, the mean of |error|);
back-exactness compares the engine with itself bit for bit (`tobytes()`).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from dltui.engine import Phase, open_scenario
from dltui.engine.export import journal_records
from dltui.engine.train.trainer import Trainer
from said import refused
from test_trainer import assert_same, trainer_for, with_state, write

HOUSE_X = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]])
HOUSE_Y = np.array([6.0, 7.0, 8.5])


def mae(weights, bias):
    return float(np.mean(np.abs(HOUSE_X @ np.array(weights) + bias - HOUSE_Y)))


def set_weights(trainer: Trainer, weights, bias=None):
    for i, value in enumerate(weights):
        trainer.edit(trainer.parameter_index(0, "w", 0, i), value)
    if bias is not None:
        trainer.edit(trainer.parameter_index(0, "b", 0), bias)
    return trainer.snapshot()


def test_the_lectures_exercise_by_editing_weights():
    trainer = Trainer(open_scenario("house_prices"))
    snap = set_weights(trainer, [0.1, 0.3, 3])
    assert (snap.step, snap.phase) == (0, Phase.START)   # no training step ran
    assert snap.predictions[:, 0] == pytest.approx([5.5, 6.2, 6.8], abs=1e-12)
    assert snap.loss == pytest.approx(1.0, abs=1e-12) == pytest.approx(mae([0.1, 0.3, 3], 0.5))
    snap = set_weights(trainer, [0.1, 0.2, 2])
    assert snap.loss == pytest.approx(5.3 / 3, abs=1e-12) and f"{snap.loss:.3f}" == "1.767"
    snap = set_weights(trainer, [0.1, 0.3, 4], bias=0.5)
    assert snap.loss == pytest.approx(1.7 / 3, abs=1e-12) and f"{snap.loss:.3f}" == "0.567"
    assert trainer.history.losses[0] == snap.loss     # the loss chart shows the edited state
    assert len(trainer.history.edits_at(0)) == 10   # 3 + 3 + 4, each one undoable


def test_back_undoes_edits_one_by_one_then_steps_back():
    trainer = Trainer(open_scenario("house_prices"))
    start = trainer.snapshot()
    trainer.run(2)
    at2 = trainer.go_to(2)
    first = trainer.edit(0, 0.2)
    second = trainer.edit(3, 1.5)
    assert first.loss != at2.loss and second.loss != first.loss
    assert second.layers[0].weight[0, 0] == 0.2 and second.layers[0].bias[0] == 1.5
    assert_same(trainer.back(), first, "undo the second edit", with_state())
    assert_same(trainer.back(), at2, "undo the first edit", with_state())
    trainer.back()
    trainer.back()
    assert_same(trainer.snapshot(), start, "back to step 0", with_state())
    assert trainer.at_beginning


def test_training_goes_on_from_the_edited_weights():
    """An edit at step 0 followed by a step: the update starts from the edited weights (SGD on MAE:
    w ← w − lr ⋅ mean(sign(error) ⋅ x), by hand)."""
    trainer = Trainer(open_scenario("house_prices"))
    set_weights(trainer, [0.1, 0.3, 3])
    snap = trainer.step()
    w, b = np.array([0.1, 0.3, 3.0]), 0.5
    sign = np.sign(HOUSE_X @ w + b - HOUSE_Y)
    expected_w = w - 0.0001 * (sign[:, None] * HOUSE_X).mean(axis=0)
    expected_b = b - 0.0001 * sign.mean()
    assert snap.layers[0].weight[0] == pytest.approx(expected_w, abs=1e-15)
    assert snap.layers[0].bias[0] == pytest.approx(expected_b, abs=1e-15)


def test_history_across_edits_is_bit_exact_even_from_thinned_states(tmp_path):
    """Edits at several steps, then back all the way: every state equals the one seen going
    forward, with a history budget so small that going back replays through the edits."""
    for budget in (32 << 20, 3_000):
        trainer = trainer_for(write(tmp_path, optimizer="adam", batch_size=4), history_budget_bytes=budget)
        trainer.history.keep_recent = 1   # thin even the newest states
        seen = [trainer.snapshot()]
        for step in range(12):
            if step % 3 == 0:
                trainer.edit(step % trainer.parameter_index(1, "b", 0), 0.25 * (step + 1))
                seen.append(trainer.snapshot())
            trainer.step()
            seen.append(trainer.go_to(trainer.step_count))
        trainer.edit(0, -0.5)
        seen.append(trainer.snapshot())
        if budget < 10_000:
            assert len(trainer.history._steps) < 8   # states were thinned: back replays
        for expected in reversed(seen[:-1]):
            assert_same(trainer.back(), expected, f"budget {budget}", with_state())
        assert trainer.at_beginning
        # and forward again: the same numbers as the first time (deterministic)
        assert_same(trainer.edit(0, 0.25), seen[1], "the same edit again", with_state())
        trainer.run(1)
        assert_same(trainer.go_to(1), seen[2], "the same step again", with_state())


def test_go_to_replays_edits_from_a_thinned_state(tmp_path):
    path = write(tmp_path, optimizer="momentum", batch_size=3)
    full = trainer_for(path)
    thin = trainer_for(path, history_budget_bytes=3_000)
    thin.history.keep_recent = 1
    for trainer in (full, thin):
        for step in range(40):
            if step in (5, 17, 30):
                trainer.edit(step % 4, 0.1 * step)
            trainer.run(1)
    assert thin.history.nearest_state(18)[0] < 17   # really replays across the edit at 17
    for step in (39, 31, 18, 17, 6):   # newest first: going back forgets the future
        assert_same(thin.go_to(step), full.go_to(step), f"step {step}", with_state())


def test_reset_goes_back_to_the_file():
    trainer = Trainer(open_scenario("house_prices"))
    start = trainer.snapshot()
    set_weights(trainer, [1, 2, 3], bias=4)
    trainer.run(3)
    trainer.edit(0, 9.0)
    assert_same(trainer.reset(), start, "reset", with_state())
    assert trainer.history.edits == {} and len(trainer.history) == 1


def test_an_edit_mid_step_starts_the_step_over():
    trainer = Trainer(open_scenario("house_prices"))
    trainer.advance()
    trainer.advance()   # forward, row 2
    snap = trainer.edit(2, 3.0)
    assert (snap.step, snap.phase) == (0, Phase.START)
    assert snap.loss == pytest.approx(mae([0.1, 0.3, 3], 0.5), abs=1e-12)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "abc", None, "1e999"])
def test_a_value_that_is_not_a_finite_number_changes_nothing(bad):
    trainer = Trainer(open_scenario("house_prices"))
    before = trainer.snapshot()
    with pytest.raises(ValueError):
        trainer.edit(0, bad)
    assert_same(trainer.snapshot(), before, "after a refused edit", with_state())
    assert trainer.history.edits == {}


def test_parameter_index_names_weights_and_biases(tmp_path):
    trainer = trainer_for(write(tmp_path))   # 2 inputs → 3 tanh units → 1
    assert trainer.parameter_index(0, "w", 2, 1) == 5
    assert trainer.parameter_index(0, "b", 2) == 8
    assert trainer.parameter_index(1, "w", 0, 2) == 11
    assert trainer.parameter_index(1, "b", 0) == 12
    trainer.edit(trainer.parameter_index(1, "w", 0, 2), 0.75)
    assert trainer.snapshot().layers[1].weight[0, 2] == 0.75
    for bad in ((2, "w", 0, 0), (0, "w", 3, 0), (0, "w", 0, 2), (1, "b", 1, None)):
        with pytest.raises(ValueError):
            trainer.parameter_index(*bad)


def test_the_gradients_advice_is_the_loss_slope_by_hand():
    """MAE on the house table: 𝜕L/𝜕w = mean(sign(error)⋅x), 𝜕L/𝜕b = mean(sign(error))."""
    trainer = Trainer(open_scenario("house_prices"))
    set_weights(trainer, [0.1, 0.3, 3], bias=0.5)
    sign = np.sign(HOUSE_X @ np.array([0.1, 0.3, 3.0]) + 0.5 - HOUSE_Y)
    expected = np.append((sign[:, None] * HOUSE_X).mean(axis=0), sign.mean())
    before = trainer.snapshot()
    assert trainer.loss_gradient() == pytest.approx(expected, abs=1e-12)
    assert_same(trainer.snapshot(), before, "advice touches nothing", with_state())
    # stepping against the advice lowers the loss
    index = 0
    lower = trainer.edit(index, 0.1 - 0.001 * np.sign(expected[index]))
    assert lower.loss < before.loss


def test_exports_carry_the_edits_bit_for_bit(tmp_path):
    trainer = trainer_for(write(tmp_path, optimizer="adam", batch_size=4))
    live = []
    for step in range(6):
        if step in (0, 3):
            trainer.edit(1, -0.4 + step)
        live.append(trainer.record())
        trainer.run(1)
    live.append(trainer.record())
    replayed = list(journal_records(trainer.journal()))
    assert len(replayed) == 7
    for a, b in zip(live, replayed):
        extra = b.pop("edits", None)
        assert a == b
        if a["step"] in (0, 3):
            assert extra == [{"parameter": "L1 w[1,2]", "value": -0.4 + a["step"]}]
        else:
            assert extra is None
    json.dumps(replayed)


# --------------------------------------------------------------------------- setup changes

HIDDEN = [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]


def test_adding_a_hidden_layer_to_xor_linear_learns_xor():
    trainer = Trainer(open_scenario("xor_linear"))
    trainer.run(5)
    change = trainer.change_setup({"model.layers": HIDDEN})
    assert change.reset_layers == (1, 2)
    assert change.snapshot.step == 5 and len(change.snapshot.layers) == 2
    trainer.run(2000)
    snap = trainer.snapshot()
    assert snap.accuracy() == 1.0 and snap.loss < 0.01
    assert trainer.history.losses[0] == Trainer(open_scenario("xor_linear")).history.losses[0]  # chart kept


def test_rate_optimizer_loss_and_activation_changes_keep_the_weights(tmp_path):
    trainer = trainer_for(write(tmp_path, optimizer="sgd"))
    trainer.run(4)
    before = trainer.snapshot()
    for overrides in ({"train.learning_rate": 0.5}, {"train.optimizer": "adam", "train.beta1": 0.8},
                      {"train.optimizer": "momentum", "train.momentum": 0.5}, {"train.loss": "mae"},
                      {"model.layers[1].activation": "relu"}):
        change = trainer.change_setup(overrides)
        assert change.reset_layers == ()
        for old, new in zip(before.layers, change.snapshot.layers):
            assert old.weight.tobytes() == new.weight.tobytes()
            assert old.bias.tobytes() == new.bias.tobytes()
    assert trainer.snapshot().optimizer == "momentum" and trainer.snapshot().loss_name == "mae"
    assert trainer.snapshot().layers[0].activation == "relu"
    assert trainer.learning_rate == 0.5   # each change keeps the earlier ones
    assert trainer.scenario.train.momentum == 0.5


def test_resizing_a_layer_resets_it_and_the_next_one_only(tmp_path):
    trainer = trainer_for(write(tmp_path))   # 2 → 3 tanh → 1
    trainer.run(2)
    change = trainer.change_setup({"model.layers[1].units": 5})
    assert change.reset_layers == (1, 2)
    trainer.change_setup({"model.layers": [{"units": 5, "activation": "tanh"},
                                           {"units": 2, "activation": "relu"},
                                           {"units": 1, "activation": "identity"}]})
    snap = trainer.snapshot()
    assert [layer.weight.shape for layer in snap.layers] == [(5, 2), (2, 5), (1, 2)]


def test_back_across_setup_changes_is_exact_and_reset_returns_to_the_file():
    trainer = Trainer(open_scenario("xor_linear"))
    start = trainer.snapshot()
    trainer.run(3)
    trainer.edit(0, 0.5)
    at3 = trainer.snapshot()
    trainer.change_setup({"model.layers": HIDDEN})
    trainer.run(2)
    trainer.change_setup({"train.learning_rate": 0.25})
    changed = trainer.snapshot()
    trainer.edit(1, 0.125)
    assert_same(trainer.back(), changed, "undo the edit after the change", with_state())
    trainer.back()                        # undo the rate change: the 2-layer run at step 5
    assert trainer.learning_rate == 1.0 and trainer.step_count == 5
    trainer.back()
    trainer.back()
    trainer.back()                        # step 3, the change undone
    assert_same(trainer.snapshot(), at3, "before the first change", with_state())
    trainer.change_setup({"model.layers": HIDDEN})
    trainer.run(4)
    assert_same(trainer.reset(), start, "reset", with_state())
    assert trainer.at_beginning and len(trainer.snapshot().layers) == 1


def test_impossible_combinations_are_refused_with_checks_words_and_nothing_changes():
    from dltui.engine import ScenarioError

    trainer = Trainer(open_scenario("xor_linear"))
    trainer.run(2)
    before = trainer.snapshot()
    for overrides, words in (({"model.layers[1].activation": "relu"}, "loss 'bce' needs a sigmoid output"),
                             ({"train.batch_size": 9}, "only 4 training rows"),
                             ({"train.learning_rate": -1}, "must be greater than 0")):
        with refused(words):
            trainer.change_setup(overrides)
        assert_same(trainer.snapshot(), before, str(overrides), with_state())


def test_exports_replay_across_setup_changes(tmp_path):
    trainer = Trainer(open_scenario("xor_linear"))
    live = []
    for step in range(8):
        if step == 3:
            trainer.change_setup({"model.layers": HIDDEN, "train.optimizer": "adam",
                                  "train.learning_rate": 0.1})
        if step == 5:
            trainer.edit(2, 0.5)
        live.append(trainer.record())
        trainer.run(1)
    replayed = list(journal_records(trainer.journal()))
    assert [r["step"] for r in replayed] == list(range(9))
    for a, b in zip(live, replayed):
        b.pop("edits", None)
        assert a == b


def test_scaling_split_and_seed_changes_rebuild_the_data_and_keep_the_weights():
    trainer = Trainer(open_scenario("house_prices"))
    trainer.run(2)
    before = trainer.snapshot()
    snap = trainer.change_setup({"data.normalize": "standard"}).snapshot
    assert snap.layers[0].weight.tobytes() == before.layers[0].weight.tobytes()
    x = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]])
    scaled = (x - x.mean(axis=0)) / x.std(axis=0)
    assert snap.model_inputs == pytest.approx(scaled, abs=1e-12)
    assert snap.predictions[:, 0] == pytest.approx(scaled @ before.layers[0].weight[0] + before.layers[0].bias[0])
    iris = Trainer(open_scenario("iris"))
    n_test = iris.scenario.data.n_test
    split = iris.change_setup({"data.test_fraction": 0.5, "train.seed": 3}).snapshot
    assert len(split.test_targets) != n_test and iris.scenario.train.seed == 3
    assert iris.back().step == 0 and iris.scenario.data.n_test == n_test
