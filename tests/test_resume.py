"""Saved runs go on exactly (issue 22): a file saved at step N (`s`, `e`, `dltui run --out`) holds
the optimizer's state and the step in `[resume]`, so loading it and running M more steps gives the
unbroken run's steps N+1 … N+M. The reference is the unbroken run itself; a file without the
optimizer's state or the minibatch position (the old saves) ends elsewhere (iris: 0.0658 instead
of 0.1161 at step 140)."""

from __future__ import annotations

import json
import shutil
import tomllib

import numpy as np
import pytest

from dltui.cli.main import main
from dltui.engine import load_scenario, open_scenario
from dltui.engine.export import journal_records, write_files, write_scenario_file
from dltui.engine.load.overrides import with_overrides
from dltui.engine.load.reader import ScenarioError
from dltui.engine.load.writer import write_scenario
from dltui.engine.train.comparison import Comparison, run_alone
from dltui.engine.train.trainer import Trainer

XOR_ADAM_MINIBATCH = {"train.optimizer": "adam", "train.batch_size": 2, "train.learning_rate": 0.1}


def numbers(record: dict) -> np.ndarray:
    """A record's loss and every weight and bias, as one vector."""
    params = [v for layer in record["layers"] for v in np.ravel(layer["weight"]).tolist() + (layer["bias"] or [])]
    return np.array([record["loss"]] + params)


def records_after(trainer, steps: int) -> list[dict]:
    out = []
    for _ in range(steps):
        trainer.run(1)
        out.append(trainer.record())
    return out


def assert_same_run(resumed: list[dict], unbroken: list[dict]) -> None:
    assert [r["step"] for r in resumed] == [r["step"] for r in unbroken]
    for a, b in zip(resumed, unbroken, strict=True):
        np.testing.assert_allclose(numbers(a), numbers(b), rtol=0, atol=1e-12)


def saved_and_loaded(trainer, path):
    return load_scenario(write_scenario(trainer.current_scenario(), path))


@pytest.mark.parametrize("scenario, saved_at, more", [
    (lambda: open_scenario("iris"), 100, 40),                                   # Adam, full batch
    (lambda: with_overrides(open_scenario("xor"), XOR_ADAM_MINIBATCH), 7, 9),   # Adam, mid-epoch batches of 2
    (lambda: with_overrides(open_scenario("xor"), {"train.optimizer": "momentum", "train.batch_size": 3}), 5, 8),
])
def test_a_saved_run_goes_on_as_the_unbroken_run(scenario, saved_at, more, tmp_path):
    setup = scenario()
    unbroken = Trainer(setup)
    unbroken.run(saved_at)
    reference = records_after(unbroken, more)
    broken = Trainer(setup)
    broken.run(saved_at)
    resumed = Trainer(saved_and_loaded(broken, tmp_path / "saved.toml"))
    assert resumed.step_count == saved_at and resumed.at_beginning
    assert_same_run(records_after(resumed, more), reference)


def test_iris_saved_at_100_is_at_the_unbroken_loss_at_140(tmp_path):
    """The issue's numbers: the unbroken run is at 0.1161 at step 140 (the old file: 0.0658)."""
    trainer = Trainer(open_scenario("iris"))
    trainer.run(100)
    resumed = Trainer(saved_and_loaded(trainer, tmp_path / "iris.toml"))
    resumed.run(40)
    assert resumed.step_count == 140 and round(resumed.snapshot().loss, 4) == 0.1161


def test_the_file_says_the_step_and_adams_moments_in_resume(tmp_path):
    trainer = Trainer(with_overrides(open_scenario("xor"), XOR_ADAM_MINIBATCH))
    trainer.run(3)
    path = write_scenario(trainer.current_scenario(), tmp_path / "x.toml")
    resume = tomllib.loads(path.read_text(encoding="utf-8"))["resume"]
    assert resume["step"] == 3
    state = trainer._optimizer.state[trainer._linears[0].weight]
    layer = resume["layers"][0]
    assert layer["weight"]["step"] == 3 and layer["bias"]["step"] == 3
    assert layer["weight"]["exp_avg"] == state["exp_avg"].tolist()
    assert layer["weight"]["exp_avg_sq"] == state["exp_avg_sq"].tolist()
    assert main(["check", str(path)]) == 0


def test_a_fresh_file_saved_at_step_0_has_no_resume_table(tmp_path):
    path = write_scenario(Trainer(open_scenario("iris")).current_scenario(), tmp_path / "i.toml")
    assert "resume" not in tomllib.loads(path.read_text(encoding="utf-8"))


def test_sgd_saves_only_the_step_and_goes_on_at_the_right_minibatch(tmp_path):
    setup = with_overrides(open_scenario("xor"), {"train.batch_size": 1})
    unbroken = Trainer(setup)
    unbroken.run(6)
    reference = records_after(unbroken, 5)
    broken = Trainer(setup)
    broken.run(6)
    loaded = saved_and_loaded(broken, tmp_path / "s.toml")
    assert loaded.document["resume"] == {"step": 6}
    resumed = Trainer(loaded)
    assert resumed.snapshot().batch.tolist() == broken.snapshot().batch.tolist() == broken.batch_rows(6).tolist()
    assert_same_run(records_after(resumed, 5), reference)


def test_the_momentum_comparison_saves_every_run_and_each_goes_on(tmp_path):
    unbroken = Comparison(open_scenario("momentum"))
    unbroken.run(10)
    unbroken.select(1)
    unbroken.set_learning_rate(0.02)   # `[` / `]` on one run: its rate is its own
    reference = [records_after(t, 20) for t in unbroken.trainers]
    broken = Comparison(open_scenario("momentum"))
    broken.run(10)
    broken.select(1)
    broken.set_learning_rate(0.02)
    broken.select(2)   # the saved file is every run's, whichever the screen follows
    loaded = saved_and_loaded(broken, tmp_path / "momentum-step10.toml")
    assert [t["name"] for t in loaded.document["compare"]] == ["sgd", "momentum", "adam"]
    assert main(["check", str(loaded.path)]) == 0
    resumed = Comparison(loaded)
    assert [t.step_count for t in resumed.trainers] == [10, 10, 10]
    for trainer, expected in zip(resumed.trainers, reference, strict=True):
        assert_same_run(records_after(trainer, 20), expected)
    alone = Trainer(run_alone(loaded, "momentum"))   # dltui run FILE --run momentum
    assert_same_run(records_after(alone, 20), reference[1])


def test_back_and_reset_of_a_resumed_run_stop_at_its_saved_step(tmp_path):
    setup = with_overrides(open_scenario("xor"), XOR_ADAM_MINIBATCH)
    unbroken = Trainer(setup)
    unbroken.run(4)
    reference = records_after(unbroken, 3)
    broken = Trainer(setup)
    broken.run(4)
    resumed = Trainer(saved_and_loaded(broken, tmp_path / "r.toml"))
    assert resumed.back().step == 4 and resumed.at_beginning   # nothing before the file's step
    resumed.run(6)
    assert resumed.back().step == 9
    resumed.reset()
    assert resumed.step_count == 4 and resumed.at_beginning
    assert_same_run(records_after(resumed, 3), reference)     # reset brought the optimizer's state back
    resumed.back()
    resumed.change_setup({"train.learning_rate": 0.05, "train.optimizer": "sgd"})
    assert resumed.back().step == 6 and resumed.learning_rate == 0.1 and not resumed.at_beginning
    assert_same_run(records_after(resumed, 1), reference[2:])  # the change undone: Adam's state back
    resumed.change_setup({"train.learning_rate": 0.05})
    resumed.run(2)
    resumed.reset()
    assert resumed.step_count == 4 and resumed.learning_rate == 0.1 and resumed.at_beginning
    assert_same_run(records_after(resumed, 3), reference)
    with pytest.raises(ValueError):
        resumed.go_to(3)


def test_an_export_of_a_resumed_run_replays_its_numbers(tmp_path):
    setup = with_overrides(open_scenario("xor"), XOR_ADAM_MINIBATCH)
    broken = Trainer(setup)
    broken.run(5)
    resumed = Trainer(saved_and_loaded(broken, tmp_path / "r.toml"))
    live = [resumed.record()] + records_after(resumed, 6)
    write_files(resumed.scenario, journal_records(resumed.journal()), tmp_path / "out", resumed.step_count)
    exported = json.loads((tmp_path / "out" / "history.json").read_text(encoding="utf-8"))["steps"]
    assert_same_run(exported, live)


# ----------------------------------------------------------------- a scenario is a value


@pytest.fixture
def iris_with_moved_csv(tmp_path):
    """iris loaded from a folder of its own, then its CSV moved away."""
    for name in ("iris.toml", "iris.csv"):
        shutil.copy(open_scenario("iris").path.parent / name, tmp_path / name)
    scenario = load_scenario(tmp_path / "iris.toml")
    (tmp_path / "iris.csv").rename(tmp_path / "moved.csv")
    return scenario


def test_settings_comparisons_saves_and_exports_need_no_csv_once_loaded(iris_with_moved_csv, tmp_path):
    scenario = iris_with_moved_csv
    trainer = Trainer(scenario)
    trainer.run(3)
    trainer.set_learning_rate(0.1)
    saved = trainer.current_scenario()
    assert saved.data is scenario.data
    change = trainer.change_setup({"train.optimizer": "momentum", "model.layers[1].activation": "softmax"})
    assert change.snapshot.step == 3
    trainer.change_setup({"train.learning_rate": 0.02})
    trainer.run(2)
    write_scenario_file(trainer, tmp_path / "export")
    last = trainer.step_count
    write_files(trainer.scenario, journal_records(trainer.journal()), tmp_path / "export", last)
    steps = json.loads((tmp_path / "export" / "history.json").read_text(encoding="utf-8"))["steps"]
    assert len(steps) == last + 1 and steps[-1]["loss"] == trainer.record()["loss"]
    race = Comparison(with_overrides(scenario, {"compare": [
        {"name": "adam", "train.learning_rate": 0.05}, {"name": "sgd", "train.optimizer": "sgd"}]}))
    race.run(2)
    assert all(t.scenario.data is scenario.data for t in race.trainers)
    race.current_scenario()


def test_a_data_change_reads_the_data_again(iris_with_moved_csv):
    """The dataset is kept only while no data key (nor the seed that splits it) changes."""
    for key, value in (("data.test_fraction", 0.3), ("train.seed", 1)):
        with pytest.raises(ScenarioError, match="iris.csv"):
            with_overrides(iris_with_moved_csv, {key: value})


# ----------------------------------------------------------------- the [resume] table is checked


@pytest.mark.parametrize("resume, key, words", [
    ({"step": -1}, "resume.step", "from 0"),
    ({"step": 2, "extra": 1}, "resume.extra", "unknown key"),
    ({"step": 2, "layers": [{}, {}]}, "resume.layers", "must have 1 tables"),
    ({"step": 2, "layers": [{"weight": {"exp_avg": [[0.0, 0.0]], "exp_avg_sq": [[0.0, 0.0]]}}]},
     "resume.layers[1].weight.step", "missing"),
    ({"step": 2, "layers": [{"weight": {"exp_avg": [[0.0]], "exp_avg_sq": [[0.0, 0.0]], "step": 2}}]},
     "resume.layers[1].weight.exp_avg[1]", "2 numbers"),
    ({"step": 2, "layers": [{"weight": {"exp_avgg": [[0.0, 0.0]], "exp_avg_sq": [[0.0, 0.0]], "step": 2}}]},
     "resume.layers[1].weight.exp_avgg", "unknown key"),
    ({"step": 2, "layers": [{"weight": {"exp_avg": [[0.0, 0.0]], "exp_avg_sq": [[0.0, 0.0]], "step": -2}}]},
     "resume.layers[1].weight.step", "from 0"),
    ({"step": 2, "layers": [{"weight": {"exp_avg": [[0.0, 0.0]], "exp_avg_sq": [[0.0, 0.0]], "step": 2}}]},
     "resume.layers[1].bias", "missing"),
])
def test_a_bad_resume_table_is_named(resume, key, words):
    with pytest.raises(ScenarioError) as caught:
        with_overrides(open_scenario("xor_linear"), {"train.optimizer": "adam", "resume": resume})
    assert caught.value.key == key and words in caught.value.problem


def test_an_optimizer_without_state_refuses_a_state_table():
    state = {"weight": {"momentum_buffer": [[0.0, 0.0]]}, "bias": {"momentum_buffer": [0.0]}}
    with pytest.raises(ScenarioError, match="keeps no state"):
        with_overrides(open_scenario("xor_linear"), {"train.optimizer": "sgd", "resume": {"step": 1, "layers": [state]}})
    loaded = with_overrides(open_scenario("xor_linear"), {"train.optimizer": "momentum",
                                                          "resume": {"step": 1, "layers": [state]}})
    assert loaded.resume.step == 1 and loaded.resume.layers[0]["bias"] == {"momentum_buffer": (0.0,)}


def test_a_comparison_exports_every_run_bit_for_bit(tmp_path):
    from dltui.engine.export import write_journals

    race = Comparison(open_scenario("momentum"))
    live = [[t.record()] + records_after(t, 6) for t in race.trainers]
    race.select(1)
    write_journals(race.journals(), tmp_path)
    for run, expected in zip(race.runs, live, strict=True):
        steps = json.loads((tmp_path / run.name / "history.json").read_text(encoding="utf-8"))["steps"]
        assert_same_run(steps, expected)
        assert (tmp_path / run.name / "history.csv").read_text(encoding="utf-8").count("\n") == 8


def test_dltui_run_of_a_saved_comparison_prints_the_unbroken_races_rows(tmp_path, capsys):
    race = Comparison(open_scenario("momentum"))
    race.run(10)
    path = write_scenario(race.current_scenario(), tmp_path / "race.toml")
    assert main(["run", "momentum", "--steps", "13"]) == 0
    unbroken = capsys.readouterr().out.splitlines()
    assert main(["run", str(path), "--steps", "3"]) == 0
    resumed = capsys.readouterr().out.splitlines()
    assert resumed[-4:] == unbroken[-4:] and resumed[-4].split()[0] == "10"
