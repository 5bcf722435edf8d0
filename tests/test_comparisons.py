"""Comparisons ([[compare]]): every run equals itself alone, all runs share their start, the bundled
comparisons keep their lessons' promises, and bad comparison tables are named precisely."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest

from cli_inprocess import run_cli
from dltui.engine import ScenarioError, open_scenario
from dltui.engine.load.compare import comparison_runs
from dltui.engine.load.scenario import parse_scenario
from dltui.engine.train.comparison import Comparison
from dltui.engine.train.trainer import Trainer

BUNDLED = ["adam_vs_sgd", "step_vs_sigmoid", "learning_rate", "feature_scaling", "xor_depth", "momentum"]


def document(**train) -> dict:
    return {"title": "t", "data": {"features": ["x"], "target": "y", "rows": [[1, 2], [2, 4], [3, 5]]},
            "model": {"layers": [{"units": 1, "activation": "identity"}]},
            "train": {"loss": "mse", "optimizer": "sgd", "learning_rate": 0.01, "seed": 3, **train}}


def losses(trainer: Trainer, steps: int) -> list[float]:
    out = [trainer.snapshot().loss]
    for _ in range(steps):
        trainer.step()
        out.append(trainer.snapshot().loss)
    return out


# --------------------------------------------------------------------------- the race is fair


@pytest.mark.parametrize("name", BUNDLED)
def test_every_run_equals_its_run_alone_and_all_runs_share_step_0(name):
    together = json.loads(run_cli("run", name, "--steps", "6", "--format", "json").stdout)
    runs = comparison_runs(open_scenario(name))
    assert [r["name"] for r in together["runs"]] == [r.name for r in runs]
    for run in together["runs"]:
        alone = json.loads(run_cli("run", name, "--run", run["name"], "--steps", "6", "--format", "json").stdout)
        assert alone["steps"] == run["steps"] and alone["diverged"] == run["diverged"]
    firsts = [run["steps"][0] for run in together["runs"]]
    same_shape = [f for f in firsts if len(f["layers"]) == len(firsts[0]["layers"])]
    assert all(f["layers"] == same_shape[0]["layers"] for f in same_shape)


def test_runs_that_change_the_seed_still_start_from_the_base_weights():
    doc = document()
    doc["compare"] = [{"name": "a"}, {"name": "b", "train.seed": 99}]
    base = parse_scenario(doc, __import__("pathlib").Path("c.toml"))
    race = Comparison(base)
    a, b = race.snapshots()
    assert np.array_equal(a.layers[0].weight, b.layers[0].weight)
    alone_b = Trainer(parse_scenario({**document(seed=99)}, __import__("pathlib").Path("b.toml")))
    assert not np.array_equal(alone_b.snapshot().layers[0].weight, b.layers[0].weight)  # the seed matters alone


def test_a_run_that_sets_its_own_weight_or_bias_starts_from_it_and_the_others_from_the_base():
    doc = document()
    doc["compare"] = [{"name": "base"}, {"name": "own_w", "model.layers[1].weight": [[0.25]]},
                      {"name": "own_b", "model.layers[1].bias": [-0.75]}]
    base, own_w, own_b = Comparison(parse_scenario(doc, __import__("pathlib").Path("c.toml"))).snapshots()
    assert own_w.layers[0].weight.tolist() == [[0.25]] != base.layers[0].weight.tolist()
    assert own_w.layers[0].bias.tolist() == base.layers[0].bias.tolist()
    assert own_b.layers[0].bias.tolist() == [-0.75] != base.layers[0].bias.tolist()
    assert own_b.layers[0].weight.tolist() == base.layers[0].weight.tolist()


def test_a_run_equals_a_hand_written_numpy_descent():
    """learning_rate:right is plain SGD on MSE: w ← w − lr · 2/n Xᵀ(Xw − y)."""
    race = Comparison(open_scenario("learning_rate"))
    x = np.array([[32, 3, 0.3, 1], [33, 3, 0.5, 1], [36, 4, 0.5, 1]], dtype=float)
    y = np.array([6.0, 7.0, 8.5])
    w = np.array([0.1, 0.3, 4.0, 0.5])
    for _ in range(5):
        w = w - 0.0001 * 2 / 3 * x.T @ (x @ w - y)
        race.step()
    right = race.trainers[1].snapshot()
    assert np.allclose(np.append(right.layers[0].weight.ravel(), right.layers[0].bias), w, rtol=1e-12)


def test_keys_advance_every_run_together_and_back_and_reset_act_on_all():
    race = Comparison(open_scenario("adam_vs_sgd"))
    race.advance()
    assert len({s.phase for s in race.snapshots()}) == 1 and race.snapshot().phase.value == "forward"
    race.step()
    race.step()
    assert [s.step for s in race.snapshots()] == [2, 2]
    race.back()
    assert [s.step for s in race.snapshots()] == [1, 1]
    race.reset()
    assert [s.step for s in race.snapshots()] == [0, 0]
    race.select(1)
    assert race.trainer is race.trainers[1] and race.snapshot() is race.trainers[1].snapshot()
    assert race.history is race.trainers[1].history      # reads follow the selected run
    race.set_learning_rate(0.5)
    assert [t.learning_rate for t in race.trainers] == [0.001, 0.5]   # only the selected run
    with pytest.raises(IndexError):
        race.select(2)


# --------------------------------------------------------------------------- the lessons' promises


def test_adam_vs_sgd():
    race = Comparison(open_scenario("adam_vs_sgd"))
    adam, sgd = race.trainers
    start = adam.snapshot()
    adam.step()
    moved = np.append(adam.snapshot().layers[0].weight - start.layers[0].weight,
                      adam.snapshot().layers[0].bias - start.layers[0].bias)
    assert np.allclose(np.abs(moved), 0.001, rtol=1e-6)
    sgd_losses = losses(sgd, 5)
    assert all(b > a for a, b in zip(sgd_losses, sgd_losses[1:]))


def test_step_vs_sigmoid():
    race = Comparison(open_scenario("step_vs_sigmoid"))
    step, sigmoid = race.trainers
    start = step.snapshot().layers[0].weight.copy()
    race.run(40)
    assert np.array_equal(step.snapshot().layers[0].weight, start) and step.snapshot().loss == 0.75
    assert sigmoid.snapshot().accuracy() == 1.0


def test_learning_rate_small_right_large():
    race = Comparison(open_scenario("learning_rate"))
    race.run(100)
    small, right, large = (t.snapshot() for t in race.trainers)
    assert small.loss > 0.39 and right.loss < 0.2 and not large.diverged
    race.run(20)
    assert race.trainers[2].snapshot().diverged_at == 115


def test_feature_scaling():
    race = Comparison(open_scenario("feature_scaling"))
    race.run(13)
    raw, standard = (t.snapshot() for t in race.trainers)
    assert standard.loss < 1e-4 and raw.loss > 0.1


@pytest.mark.slow
def test_xor_depth_one_layer_never_separates_and_the_hidden_layer_does():
    race = Comparison(open_scenario("xor_depth"))
    one, hidden = race.trainers
    best_one = 0.0
    for _ in range(800):
        race.step()
        best_one = max(best_one, one.snapshot().accuracy())
    assert best_one <= 0.75 and one.snapshot().loss >= math.log(2) - 1e-9
    assert hidden.snapshot().accuracy() == 1.0


def test_momentum_zigzags_with_sgd_and_rolls_down_with_momentum():
    race = Comparison(open_scenario("momentum"))
    sgd, momentum, adam = race.trainers
    w1 = [sgd.snapshot().layers[0].weight[0, 0]]
    adam_start = adam.snapshot().layers[0].weight.copy()
    for step in range(30):
        race.step()
        w1.append(sgd.snapshot().layers[0].weight[0, 0])
        if step == 0:
            assert np.allclose(np.abs(adam.snapshot().layers[0].weight - adam_start), 0.3, rtol=1e-6)
    moves = np.diff(w1[:11])
    assert all(a * b < 0 for a, b in zip(moves, moves[1:]))          # w1 crosses the valley each step
    assert sgd.snapshot().loss > 0.1 and momentum.snapshot().loss < 0.01 and adam.snapshot().loss < 1


# --------------------------------------------------------------------------- the CLI


def test_csv_has_a_run_column_and_rows_in_lockstep():
    result = run_cli("run", "learning_rate", "--steps", "2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["run"], r["step"]) for r in rows] == [(n, s) for s in "012" for n in ("small", "right", "large")]
    assert rows[3]["learning_rate"] == "1e-06"


def test_table_puts_the_runs_side_by_side():
    out = run_cli("run", "learning_rate", "--steps", "120").stdout.splitlines()
    header = next(line for line in out if line.split()[:1] == ["step"])
    assert header.split() == ["step", "small", "right", "large"]
    assert any("diverged" in line for line in out)


def test_run_alone_of_a_plain_scenario_or_an_unknown_run_is_a_clear_error():
    result = run_cli("run", "house_prices", "--run", "adam")
    assert result.returncode == 2 and "not a comparison" in result.stderr
    result = run_cli("run", "learning_rate", "--run", "huge")
    assert result.returncode == 2 and "small, right, large" in result.stderr
    result = run_cli("run", "learning_rate", "--explain")
    assert result.returncode == 2 and "--run" in result.stderr


def test_name_colon_run_opens_one_run_as_a_plain_scenario():
    large = open_scenario("learning_rate:large")
    assert large.train.learning_rate == 0.01 and "compare" not in large.document


@pytest.mark.parametrize("compare, key, words", [
    ([{"name": "a"}], "compare", "2 to 9 runs"),
    ([{"name": "a"}, {"name": "a"}], "compare[2].name", "names two runs"),
    ([{"name": "a"}, {"name": "b c"}], "compare[2].name", "letters"),
    ([{"name": "a"}, {"label": "x"}], "compare[2].name", "required"),
    ([{"name": "a"}, {"name": "b", "train.optimzer": "adam"}], 'compare[2]."train.optimzer"', "unknown key"),
    ([{"name": "a"}, {"name": "b", "train.learning_rate": -1}], 'compare[2]."train.learning_rate"', "greater than 0"),
    ([{"name": "a"}, {"name": "b", "model.layers[1].activation": "gelo"}],
     'compare[2]."model.layers[1].activation"', "gelo"),
    ([{"name": "a"}, {"name": "b", "title": "x"}], 'compare[2]."title"', "data, model, train and display"),
    ("adam", "compare", "list"),
])
def test_bad_comparison_tables_are_named(tmp_path, compare, key, words):
    import tomllib  # noqa: F401  (the document is built as tomllib would give it)

    doc = document()
    doc["compare"] = compare
    path = tmp_path / "c.toml"
    with pytest.raises(ScenarioError) as caught:
        comparison_runs(parse_scenario(doc, path))
    assert caught.value.key == key and words in caught.value.problem and str(path) in str(caught.value)


def test_check_validates_every_run(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(open_scenario("learning_rate").path.read_text("utf-8").replace(
        '"train.learning_rate" = 0.01', '"train.learning_rate" = "fast"'), "utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 2 and 'compare[3]."train.learning_rate"' in result.stderr
    result = run_cli("check", "learning_rate")
    assert result.returncode == 0 and "3 runs: small, right, large" in result.stdout


# --------------------------------------------------------------------------- the screen


async def test_the_screen_steps_every_run_and_follows_the_selected_one():
    from tui_helpers import make_app, parameters_text, text_of, wait_ready
    from dltui.tui.runs_line import RunsLine

    app = make_app("momentum", lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        for key in ("space", "space"):
            await pilot.press(key)
        race = app.trainer
        assert [s.step for s in race.snapshots()] == [2, 2, 2]
        line = text_of(app.main.query_one(RunsLine))
        assert "1 SGD" in line and "2 momentum 0.7" in line and "3 Adam" in line
        assert "▶1 SGD" in line
        await pilot.press("tab")
        assert race.selected == 1 and app.snapshot is race.trainers[1].snapshot()
        assert "▶2 momentum" in text_of(app.main.query_one(RunsLine))
        w1 = race.trainers[1].snapshot().layers[0].weight[0, 0]
        assert f"{w1:.6f}".rstrip("0")[:6] in parameters_text(app)   # the table follows run 2
        await pilot.press("3")
        assert race.selected == 2 and app.snapshot.optimizer == "adam"
        await pilot.press("b")
        assert [s.step for s in race.snapshots()] == [1, 1, 1]
        await pilot.press("left_square_bracket")   # halves the selected run's rate only
        assert [t.learning_rate for t in race.trainers] == [0.035, 0.035, 0.15]


async def test_the_runs_line_is_hidden_for_a_single_run():
    from tui_helpers import make_app, wait_ready
    from dltui.tui.runs_line import RunsLine

    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        assert not app.main.query_one(RunsLine).has_class("shown")
        await pilot.press("tab", "2")          # nothing to select: no change, no error
        assert app.snapshot.step == 0
