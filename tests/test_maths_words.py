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


def test_softmax_is_written_with_all_its_logits():
    import numpy as np
    from dltui.engine.explain.terms import forward_terms

    trainer = Trainer(open_scenario("lecture_code"))
    snapshot = trainer.advance()                      # the first forward row
    out = forward_terms(snapshot, int(snapshot.batch[snapshot.row]))[-1]
    z = np.array([s.z for s in out])
    by_hand = np.exp(z) / np.exp(z).sum()
    for unit, neuron in enumerate(out):
        logits = ", ".join(f"{v:.6f}".rstrip("0") for v in z)
        assert neuron.activation_text().startswith(f"softmax({logits})[{unit + 1}] = ")
        assert float(neuron.activation_text().split(" = ")[-1]) == np.round(by_hand[unit], 6)


def test_play_shows_the_rate_reached_not_the_rate_asked():
    from dltui.tui.play_rate import PlayRate
    from dltui.words import t

    rate = PlayRate()
    assert rate.reached(10) is None                   # not playing
    rate.start(100, now=50.0)
    assert rate.reached(140, now=50.2) is None        # too soon to tell
    assert rate.reached(400, now=51.0) == 300         # 300 steps in a second, whatever was asked
    assert t("playing", "ko", reached=300, speed=20000) == "재생 중 300/s (목표 20000/s)"
