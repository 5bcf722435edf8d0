"""The maths on screen is called what it is: the perceptron rule's correction is no gradient
(a step unit's ∂L/∂w is 0), the lecture's SSE/(n−2) beside the mean, a played rate as reached."""

from __future__ import annotations

from cli_inprocess import run_cli
from dltui.engine import open_scenario
from dltui.engine.train.snapshot import Phase
from dltui.engine.train.trainer import Trainer
from dltui.tui.panels import phase_text


def backward_of(name: str):
    trainer = Trainer(open_scenario(name))
    snapshot = trainer.advance()
    while snapshot.phase is not Phase.BACKWARD:
        snapshot = trainer.advance()
    return snapshot


def test_the_perceptron_rule_names_its_correction_not_a_gradient():
    perceptron = backward_of("perceptron_or")
    assert phase_text(perceptron, "ko") == "퍼셉트론 규칙의 보정"
    assert phase_text(perceptron, "en") == "perceptron rule's correction"
    assert phase_text(backward_of("house_prices"), "ko") == "기울기 (역전파)"      # gradient descent keeps its name
    result = run_cli("run", "perceptron_or", "--explain", "--steps", "1", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    assert "퍼셉트론 규칙의 보정 g = −Σ (타겟 − 예측)⋅x" in result.stdout
    assert "∂L/∂w" not in result.stdout and "𝜕L/𝜕w" not in result.stdout
    assert "학습률 ⋅ 보정" in result.stdout
