"""Every label tells the truth: the arithmetic of a step shows the rate that step used, and so on.

References are independent: the numbers a line shows are parsed back and recomputed.
"""

from __future__ import annotations

import re

import pytest

from dltui.engine import Phase, open_scenario
from dltui.engine.explain.gradients import update_explanation
from dltui.engine.train.trainer import Trainer

NUMBER = r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)"
SGD_LINE = re.compile(rf"^(\S+): {NUMBER} − {NUMBER} ⋅ \(?{NUMBER}\)? = {NUMBER}$")


@pytest.mark.parametrize("name,factor", [("guess_19", 0.5), ("house_prices", 2.0), ("xor", 0.5)])
def test_changing_the_rate_after_a_step_keeps_that_steps_arithmetic(name, factor):
    """guess_19 used to show `w1: 3 − 0.8125 ⋅ -32 = 16` after `[`: a step taken at 0.40625."""
    scenario = open_scenario(name)
    trainer = Trainer(scenario)
    used = trainer.learning_rate
    snapshot = trainer.step()
    lines_before = update_explanation(snapshot, scenario.train)
    changed = trainer.set_learning_rate(used * factor)
    assert changed.phase is Phase.UPDATE and changed.learning_rate == used * factor
    lines_after = update_explanation(changed, scenario.train)
    assert lines_after == lines_before
    for line in lines_after:
        match = SGD_LINE.match(line)
        if match is None:      # momentum/Adam lines are checked in test_gradient_terms
            continue
        _name, before, rate, grad, after = match.groups()
        assert float(rate) == pytest.approx(used, rel=1e-6)
        assert float(before) - float(rate) * float(grad) == pytest.approx(float(after), rel=1e-4, abs=1e-4)


def test_the_next_step_uses_and_shows_the_new_rate():
    scenario = open_scenario("house_prices")
    trainer = Trainer(scenario)
    trainer.step()
    trainer.set_learning_rate(trainer.learning_rate * 2)
    new = trainer.learning_rate
    snapshot = trainer.step()
    assert snapshot.rate_of_step == new
    rates = [float(SGD_LINE.match(line).group(3)) for line in update_explanation(snapshot, scenario.train)]
    assert rates and all(rate == pytest.approx(new, rel=1e-6) for rate in rates)


def test_least_squares_is_labelled_for_what_it_is_and_offered_only_where_it_exists():
    from dltui.engine.pictures.landscape import least_squares_fit
    from dltui.words import least_squares_label

    house = least_squares_fit(open_scenario("house_prices"))        # 3 rows, 4 parameters
    assert house.exact_fit and not house.unique
    assert least_squares_label(house, "ko") == "최소제곱 (정확한 해 여럿 중 하나)"
    assert least_squares_label(house, "en") == "least squares (one of many exact fits)"
    # a different exact fit: move along the design's null space, the fit stays exact
    import numpy as np
    scenario = open_scenario("house_prices")
    x = np.hstack([scenario.data.train_inputs, np.ones((3, 1))])
    null = np.linalg.svd(x)[2][-1]
    y = np.asarray(scenario.data.train_targets, float).reshape(-1)
    assert np.allclose(x @ (house.parameters + 5 * null), y)
    unique = least_squares_fit(open_scenario("house_no_bias"))      # 3 rows, 3 weights
    assert unique.unique and least_squares_label(unique, "en") == "least squares"
    for name in ("xor", "perceptron_and", "iris", "step_vs_sigmoid:step"):
        assert least_squares_fit(open_scenario(name)) is None


def test_a_gradient_that_cancels_to_rounding_noise_reads_0():
    """XOR's bias gradient is exactly 0 by symmetry; float64 leaves 1.3878e-17, which is not meant."""
    from dltui.engine.explain.gradients import gradient_terms
    from dltui.words import gradient_lines

    trainer = Trainer(open_scenario("xor_linear"))
    snapshot = trainer.advance()
    while snapshot.phase is not Phase.BACKWARD:
        snapshot = trainer.advance()
    raw = abs(snapshot.layers[0].bias_grad[0])
    assert 0 < raw < 1e-15                                  # the noise really is there
    line = [t for t in gradient_lines(gradient_terms(snapshot), "en") if t.strip().startswith("𝜕L/𝜕b = (")][0]
    assert line.endswith("= 0") and "e-17" not in line
