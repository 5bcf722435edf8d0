"""Any combination the registry allows either is refused by validation (a ScenarioError) or trains:
a trainer builds, steps phase by phase, and every explanation and picture of the engine works on
it. Combinations are drawn by hypothesis from the registry's own names, through `--set`-style
overrides of one small two-input scenario.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dltui.engine import Phase, ScenarioError, ops
from dltui.engine.explain.codegen import training_code
from dltui.engine.explain.gradients import gradient_terms, update_explanation
from dltui.engine.explain.terms import forward_terms, loss_terms
from dltui.engine.load.overrides import apply_and_parse
from dltui.engine.naming import parameter_name
from dltui.engine.pictures import boundary
from dltui.engine.train.trainer import Trainer

BASE = {
    "title": "combinations",
    "data": {"features": ["x1", "x2"], "target": "y",
             "rows": [[0.0, 0.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [0.5, 0.2, 1.0]]},
    "model": {"layers": [{"units": 2, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]},
    "train": {"loss": "bce", "optimizer": "sgd", "learning_rate": 0.5, "seed": 1},
}
CLASSES = {"data.classes": ["a", "b"], "data.rows": [[0.0, 0.0, "a"], [1.0, 0.0, "b"], [0.0, 1.0, "b"],
                                                      [1.0, 1.0, "a"], [0.5, 0.2, 1]]}

combinations = st.fixed_dictionaries({
    "model.layers[1].activation": st.sampled_from(ops.ACTIVATION_NAMES),
    "model.layers[2].activation": st.sampled_from(ops.ACTIVATION_NAMES),
    "model.layers[2].units": st.integers(1, 2),
    "train.loss": st.sampled_from(ops.LOSS_NAMES),
    "train.optimizer": st.sampled_from(ops.OPTIMIZER_NAMES),
    "train.batch_size": st.sampled_from([0, 2]),
    "data.normalize": st.sampled_from(["none", "standard"]),
}, optional={"classes": st.just(True), "one layer": st.just(True)})


def scenario_for(choice: dict):
    overrides = {k: v for k, v in choice.items() if "." in k}
    if choice.get("classes"):
        overrides.update(CLASSES)
    if choice.get("one layer"):
        overrides["model.layers"] = [{"units": overrides.pop("model.layers[2].units"),
                                      "activation": overrides.pop("model.layers[2].activation")}]
        overrides.pop("model.layers[1].activation")
    return apply_and_parse(BASE, Path("combinations.toml"), overrides)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(combinations)
def test_every_allowed_combination_trains_and_explains(choice):
    try:
        scenario = scenario_for(choice)
    except ScenarioError:
        return                                   # refused with a message: fine
    trainer = Trainer(scenario)
    for _ in range(2):
        s = trainer.advance()
        while s.phase is not Phase.BACKWARD:
            forward_terms(s, int(s.batch[0]))
            s = trainer.advance()
        loss_terms(s, s.batch)
        if not s.diverged:
            # one explained gradient per parameter, equal to the trainer's own
            values = gradient_terms(s).values()
            single = len(s.layers) == 1 and s.layers[0].weight.shape[0] == 1
            grads = {}
            for i, l in enumerate(s.layers):
                for (u, k), g in np.ndenumerate(l.weight_grad):
                    grads[parameter_name(i, "w", u, k, single)] = g
                for (u,), g in np.ndenumerate(l.bias_grad if l.bias is not None else np.empty(0)):
                    grads[parameter_name(i, "b", u, None, single)] = g
            assert values.keys() == grads.keys()
            np.testing.assert_allclose([values[n] for n in grads], list(grads.values()), rtol=1e-9, atol=1e-12)
        before = s
        s = trainer.advance()                    # UPDATE
        update_explanation(s, scenario.train, previous=before)
        assert s.diverged or math.isfinite(s.loss)
    training_code(scenario)
    for layer in range(len(s.layers)):
        points = boundary.activation_points(s, layer)
        if points.has_curve:
            assert np.all(np.isfinite(points.curve(9)[1]))
    if boundary.boundary_problem(scenario) is None:
        boundary.decision_grid(trainer, nx=4, ny=3)
    try:
        boundary.hidden_space(s)
    except ValueError:
        pass


def test_the_strategy_reaches_valid_and_refused_combinations():
    """Guard against a strategy that only ever produces refused files (a test that cannot fail)."""
    ok = scenario_for({"model.layers[1].activation": "gelu", "model.layers[2].activation": "sigmoid",
                       "model.layers[2].units": 1, "train.loss": "bce", "train.optimizer": "adam",
                       "train.batch_size": 2, "data.normalize": "standard"})
    assert ok.layers[0].activation == "gelu"
    with pytest.raises(ScenarioError):
        scenario_for({"model.layers[1].activation": "softmax", "model.layers[2].activation": "sigmoid",
                      "model.layers[2].units": 1, "train.loss": "bce", "train.optimizer": "sgd",
                      "train.batch_size": 0, "data.normalize": "none"})
