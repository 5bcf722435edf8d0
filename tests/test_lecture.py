"""The lecture's own figures, exactly.

Every expected number below is written by hand from the lecture's table (평수, 방 개수,
지하철 역과의 거리 → 집 값: [32, 3, 0.3] → 6.0, [33, 3, 0.5] → 7.0, [36, 4, 0.5] → 8.5),
never read back from the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dltui.engine import load_scenario, open_scenario
from dltui.engine.explain import terms as explain
from dltui.engine.train.trainer import Trainer
from house_file import house_file

def house(tmp_path: Path, weight: str, bias: str, loss: str = "mae", lr: str = "0.0001") -> Path:
    return house_file(tmp_path, weight, bias, loss, lr)


def snapshot_of(path: Path):
    return Trainer(load_scenario(path)).snapshot()


def test_weights_without_bias_predict_5_3_6_2_6_8(tmp_path):
    snap = snapshot_of(house(tmp_path, "[[0.1, 0.3, 4]]", "false"))
    assert snap.layers[0].bias is None
    assert snap.predictions[:, 0].tolist() == pytest.approx([5.3, 6.2, 6.8], rel=1e-12, abs=1e-12)
    # |6.0 − 5.3| + |7.0 − 6.2| + |8.5 − 6.8| = 0.7 + 0.8 + 1.7 = 3.2, over 3 rows
    assert snap.loss == pytest.approx(3.2 / 3, rel=1e-12, abs=1e-12)
    text = explain.forward_terms(snap, 0)[0][0].text()
    assert text == "32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 = 5.3"


@pytest.mark.parametrize("weight, bias, predictions, row_errors, mae", [
    # the exercise's three weight/bias sets
    ("[[0.1, 0.3, 3]]", "[0.5]", [5.5, 6.2, 6.8], [0.5, 0.8, 1.7], 1.0),
    ("[[0.1, 0.3, 4]]", "[0.5]", [5.8, 6.7, 7.3], [0.2, 0.3, 1.2], 1.7 / 3),
    ("[[0.1, 0.2, 2]]", "[0.5]", [4.9, 5.4, 5.9], [1.1, 1.6, 2.6], 5.3 / 3),
])
def test_exercise_mae(tmp_path, weight, bias, predictions, row_errors, mae):
    snap = snapshot_of(house(tmp_path, weight, bias))
    assert snap.predictions[:, 0].tolist() == pytest.approx(predictions, rel=1e-12, abs=1e-12)
    assert snap.row_losses.tolist() == pytest.approx(row_errors, rel=1e-12, abs=1e-12)
    assert snap.loss == pytest.approx(mae, rel=1e-12, abs=1e-12)


def test_lecture_mae_values_as_the_lecture_rounds_them(tmp_path):
    shown = []
    for weight in ("[[0.1, 0.3, 3]]", "[[0.1, 0.3, 4]]", "[[0.1, 0.2, 2]]"):
        shown.append(round(snapshot_of(house(tmp_path, weight, "[0.5]")).loss, 3))
    assert shown == [1.0, 0.567, 1.767]


def test_bundled_house_prices_step_zero():
    snap = Trainer(open_scenario("house_prices")).snapshot()
    assert snap.step == 0
    assert snap.layers[0].weight.tolist() == [[0.1, 0.3, 4.0]]
    assert snap.layers[0].bias.tolist() == [0.5]
    assert snap.predictions[:, 0].tolist() == pytest.approx([5.8, 6.7, 7.3], rel=1e-12, abs=1e-12)
    assert snap.loss == pytest.approx(1.7 / 3, rel=1e-12, abs=1e-12)


def test_explanation_texts():
    snap = Trainer(open_scenario("house_prices")).snapshot()
    rows = [explain.forward_terms(snap, r)[0][0].text() for r in range(3)]
    assert rows[0] == "32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 + 0.5 = 5.8"
    assert rows[1] == "33 ⋅ 0.1 + 3 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 6.7"
    assert rows[2] == "36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 7.3"
    reduction = explain.loss_terms(snap).reduction_text()
    assert "0.567" in reduction
    assert "1.7" in reduction and "/ 3" in reduction


def test_first_gradient_step_by_hand():
    """MAE's gradient when every prediction is below its target: −(mean input) per weight, −1 for b."""
    trainer = Trainer(open_scenario("house_prices"))
    while trainer.snapshot().phase.value != "backward":
        trainer.advance()
    snap = trainer.snapshot()
    grad_w = [-(32 + 33 + 36) / 3, -(3 + 3 + 4) / 3, -(0.3 + 0.5 + 0.5) / 3]
    assert snap.layers[0].weight_grad[0].tolist() == pytest.approx(grad_w, rel=1e-12)
    assert snap.layers[0].bias_grad.tolist() == pytest.approx([-1.0], rel=1e-12)
    snap = trainer.advance()          # update, learning rate 0.0001
    assert snap.step == 1
    expected = [0.1 + 0.0001 * 101 / 3, 0.3 + 0.0001 * 10 / 3, 4 + 0.0001 * 1.3 / 3]
    assert snap.layers[0].weight[0].tolist() == pytest.approx(expected, rel=1e-12)
    assert snap.layers[0].bias.tolist() == pytest.approx([0.5001], rel=1e-12)
    lines = {line.name: line for line in explain.update_lines(snap)}
    assert lines["w1"].before == pytest.approx(0.1, rel=1e-12)
    assert lines["w1"].grad == pytest.approx(-101 / 3, rel=1e-12)
    assert lines["w1"].after == pytest.approx(0.1 + 0.0001 * 101 / 3, rel=1e-12)
    assert lines["b"].after == pytest.approx(0.5001, rel=1e-12)
