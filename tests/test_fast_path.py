"""The lean path (`Trainer.run`, engine/train/fast.py) gives the phase machine's numbers exactly.

- Hand-written gradients equal autograd's to the last bit on every combination the registry allows
  (hypothesis draws them, as in test_registry_combinations), and a combination without them falls
  back to autograd with the same result.
- After 2,000 house_prices steps the weights, the losses and every saved state are bit-identical
  to stepping through the phases.
- A run that diverges mid-chunk stops at the same step, with the same history.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dltui.engine import ScenarioError, open_scenario, ops
from dltui.engine.train import fast
from dltui.engine.train.model import forward, loss_value
from dltui.engine.train.trainer import Trainer
from test_registry_combinations import combinations, scenario_for


def _same_run(a: Trainer, b: Trainer) -> None:
    assert a.step_count == b.step_count
    assert a.diverged == b.diverged and a._diverged_at == b._diverged_at
    assert torch.equal(a._flat_params(), b._flat_params())
    for name in ("losses", "test_losses", "learning_rates"):
        np.testing.assert_array_equal(np.frombuffer(getattr(a.history, name)),
                                      np.frombuffer(getattr(b.history, name)))
    assert a.history._steps == b.history._steps
    for step in a.history._steps:
        np.testing.assert_array_equal(a.history._states[step], b.history._states[step])
    np.testing.assert_array_equal(a._capture(), b._capture())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(combinations, st.floats(-2.0, 2.0))
def test_hand_gradients_are_autograds_on_every_combination(choice, shift):
    try:
        scenario = scenario_for(choice)
    except ScenarioError:
        return
    trainer = Trainer(scenario)
    with torch.no_grad():     # somewhere other than the seeded start: saturated units, dead ReLUs
        for p in trainer._params:
            p.add_(shift * torch.linspace(-1.0, 1.0, p.numel(), dtype=p.dtype).view_as(p))
    x, y = trainer._x, trainer._y
    fwd = forward(trainer.model, x)
    loss_value(scenario.train.loss, fwd, y).backward()
    autograd = [p.grad.clone() for p in trainer._params]
    if fast.hand_written(scenario):
        with torch.no_grad():
            hand = fast.hand_gradients(scenario, trainer._linears, x, forward(trainer.model, x), y)
        assert len(hand) == len(autograd)
        for h, a in zip(hand, autograd):
            assert h.shape == a.shape and torch.equal(h, a)
    # hand-written or not: run(n) is the phase machine's n steps
    lean, phases = Trainer(scenario), Trainer(scenario)
    assert lean.run(6) == phases._run_phases(6)
    _same_run(lean, phases)


def test_the_registry_says_which_gradients_are_hand_written():
    """Every activation but the non-elementwise / erf ones and every loss has its torch form;
    a scenario through an activation without one is not hand-written (autograd is used)."""
    assert all(ops.loss(name).gradient is not None for name in ops.LOSS_NAMES)
    missing = {name for name in ops.ACTIVATION_NAMES if ops.activation(name).backward is None}
    assert missing and all(not ops.activation(name).elementwise or name in missing for name in missing)
    base = open_scenario("xor")
    assert fast.hand_written(base)
    from dataclasses import replace
    without = replace(base, layers=(replace(base.layers[0], activation=sorted(missing)[0]), *base.layers[1:]))
    assert not fast.hand_written(without)


@pytest.mark.slow
def test_two_thousand_house_steps_are_bit_identical_to_the_phases():
    scenario = open_scenario("house_prices")
    lean, phases = Trainer(scenario), Trainer(scenario)
    assert lean.run(2000) == 2000
    phases._run_phases(2000)
    _same_run(lean, phases)
    assert lean.snapshot().phase is phases.snapshot().phase
    np.testing.assert_array_equal(lean.snapshot().predictions, phases.snapshot().predictions)
    # and going back from the lean run restores the exact earlier state
    np.testing.assert_array_equal(lean.go_to(1500).layers[0].weight, phases.go_to(1500).layers[0].weight)


@pytest.mark.parametrize("name", ["abalone", "iris", "momentum", "perceptron_and", "house_test"])
def test_minibatches_adam_momentum_and_the_perceptron_match_too(name):
    scenario = open_scenario(name)
    lean, phases = Trainer(scenario), Trainer(scenario)
    lean.run(60)
    phases._run_phases(60)
    _same_run(lean, phases)


def test_a_run_that_diverges_mid_chunk_stops_where_the_phases_stop():
    from dltui.engine.load.overrides import with_overrides

    scenario = with_overrides(open_scenario("house_prices_mse"), {"train.learning_rate": 0.01})
    lean, phases = Trainer(scenario), Trainer(scenario)
    lean.run(20)                           # the next chunk starts at 20 and diverges inside it
    phases._run_phases(20)
    done = lean.run(fast.CHUNK * 2)
    assert done == phases._run_phases(fast.CHUNK * 2)
    assert 1 < done < fast.CHUNK and lean.diverged
    _same_run(lean, phases)


@pytest.mark.parametrize("lr, steps", [(0.0001, fast.CHUNK + 7), (0.01, fast.CHUNK * 2)])
def test_a_full_batch_through_autograd_reuses_the_evaluations_forward_exactly(monkeypatch, lr, steps):
    """Every combination without hand-written gradients takes its step's forward from the
    evaluation after the previous update: across a chunk's end, and through a divergence's rollback."""
    from dltui.engine.load.overrides import with_overrides

    monkeypatch.setattr(fast, "hand_written", lambda scenario: False)
    scenario = with_overrides(open_scenario("house_prices_mse"), {"train.learning_rate": lr})
    lean, phases = Trainer(scenario), Trainer(scenario)
    lean.run(3)
    phases._run_phases(3)
    assert lean.run(steps) == phases._run_phases(steps)
    assert lean.diverged == (lr == 0.01)
    _same_run(lean, phases)


def test_a_trainer_back_from_a_pickle_steps_its_own_parameters():
    """Play hands its run back as a pickle: what the run reads its parameters through must be the
    unpickled parameters, not copies of them made apart in the pickle."""
    import pickle

    scenario = open_scenario("house_prices")
    lean, phases = pickle.loads(pickle.dumps(Trainer(scenario))), Trainer(scenario)
    assert lean.run(fast.CHUNK + 3) == phases._run_phases(fast.CHUNK + 3)
    _same_run(lean, phases)


@pytest.mark.parametrize("name", ["house_prices", "momentum"])
def test_each_steps_change_is_its_parameters_difference(name):
    """The last change a state keeps (and the parameters table shows) is after − before of the
    parameters of the two steps, computed here from the history's states."""
    trainer = Trainer(open_scenario(name))
    trainer.run(fast.CHUNK + 2)
    n = sum(trainer._sizes)
    for step in (1, fast.CHUNK, fast.CHUNK + 1):
        before, after = trainer.history._states[step - 1], trainer.history._states[step]
        np.testing.assert_array_equal(after[2 * n:3 * n], after[:n] - before[:n])


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_a_state_read_through_the_last_steps_views_is_a_fresh_reading(optimizer):
    """States read the optimizer's buffers through the views of the step before while they are the
    same tensors: after each step, a restore (new tensors) and steps on, a capture is what a codec
    reading the optimizer afresh captures."""
    from dltui.engine.load.overrides import with_overrides
    from dltui.engine.train.state import StateCodec

    trainer = Trainer(with_overrides(open_scenario("xor"), {"train.optimizer": optimizer, "train.learning_rate": 0.1}))

    def fresh():
        codec = StateCodec(trainer._linears, trainer._optimizer, list(trainer._codec.layouts))
        return codec.capture(trainer._change, trainer._diverged_at, trainer._grads_fresh)

    for steps in (1, 1, 1, 1, "back to 2", fast.CHUNK + 2, "back", 1):
        if steps == "back to 2":
            trainer.go_to(2)
        elif steps == "back":
            trainer.back()
        else:   # what the history keeps for the step reached is that step's own state too
            trainer.run(steps)
            np.testing.assert_array_equal(trainer.history._states[trainer.step_count], fresh())
        np.testing.assert_array_equal(trainer._capture(), fresh())


def test_a_step_in_progress_is_finished_first():
    scenario = open_scenario("house_prices")
    lean, phases = Trainer(scenario), Trainer(scenario)
    lean.advance(), lean.advance()          # mid forward pass
    phases.advance(), phases.advance()
    assert lean.run(10) == phases._run_phases(10) == 10
    _same_run(lean, phases)


def _records_through_the_phases(scenario, steps: int) -> list[dict]:
    trainer = Trainer(scenario)
    records = [trainer.record()]
    while len(records) <= steps and not records[-1]["diverged"]:
        trainer._run_phases(1)
        records.append(trainer.record())
    return records


@pytest.mark.parametrize("name, overrides, steps", [("house_prices", {}, 300),
                                                    ("house_prices_mse", {"train.learning_rate": 0.01}, 400),
                                                    ("iris", {}, 40)])
def test_dltui_runs_records_are_the_phases_records(name, overrides, steps):
    """`dltui run` (export.fresh_records, lean chunks): every step's record as stepping through the
    phases gives it, ending with the diverged step when the run diverges."""
    from dltui.engine.export import fresh_records
    from dltui.engine.load.overrides import with_overrides

    scenario = with_overrides(open_scenario(name), overrides)
    expected = _records_through_the_phases(scenario, steps)
    assert list(fresh_records(scenario, steps)) == expected
    assert expected[-1]["diverged"] == bool(overrides)
