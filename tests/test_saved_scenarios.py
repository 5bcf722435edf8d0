"""Saving the current setup as a scenario file (issue 13): every bundled scenario, at step 0 and
after a few steps (with a hand edit), writes an ordinary file that `dltui check` accepts and that
loads back to exactly the state it was saved from — predictions and loss bit for bit."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from dltui.cli.main import main
from dltui.engine import bundled_names, load_scenario, open_scenario
from dltui.engine.load.writer import origin_note, saved_name, scenario_text, write_scenario
from dltui.engine.train.trainer import Trainer


def same_numbers(a, b) -> None:
    assert np.float64(a.loss).tobytes() == np.float64(b.loss).tobytes()
    assert a.predictions.tobytes() == b.predictions.tobytes()
    assert a.row_losses.tobytes() == b.row_losses.tobytes()
    assert a.test_predictions.tobytes() == b.test_predictions.tobytes()
    assert (a.test_loss is None) == (b.test_loss is None)
    if a.test_loss is not None:
        assert np.float64(a.test_loss).tobytes() == np.float64(b.test_loss).tobytes()
    for la, lb in zip(a.layers, b.layers, strict=True):
        assert la.weight.tobytes() == lb.weight.tobytes()
        assert (la.bias is None) == (lb.bias is None)
        if la.bias is not None:
            assert la.bias.tobytes() == lb.bias.tobytes()
        assert la.activation == lb.activation


@pytest.mark.parametrize("name", bundled_names())
def test_save_and_load_back_bit_for_bit(name, tmp_path, capsys):
    trainer = Trainer(open_scenario(name))
    for steps, edit in ((0, False), (3, True)):
        trainer.run(steps)
        if edit:
            trainer.edit(0, 0.375)
        if trainer.diverged:
            continue
        live = trainer.snapshot()
        setup = trainer.current_scenario()
        path = write_scenario(setup, tmp_path / "saved" / saved_name(setup, live.step),
                              origin_note(setup, live.step, edit))
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# {name} after {live.step} steps")
        assert main(["check", str(path)]) == 0, capsys.readouterr().err
        loaded = Trainer(load_scenario(path))
        same_numbers(loaded.snapshot(), live)
        assert loaded.learning_rate == trainer.learning_rate
        # the same future too: one more step from the file equals one more step here
        if not trainer.diverged:
            same_numbers(loaded.step(), Trainer(setup).step())


def test_a_saved_file_is_ordinary_readable_toml(tmp_path):
    trainer = Trainer(open_scenario("house_prices"))
    trainer.edit(2, 3.0)
    setup = trainer.current_scenario()
    text = scenario_text(setup, origin_note(setup, 0, True), tmp_path)
    document = tomllib.loads(text)
    assert document["model"]["layers"][0]["weight"] == [[0.1, 0.3, 3.0]]
    assert document["model"]["layers"][0]["bias"] == [0.5]
    assert document["data"]["rows"][0] == [32, 3, 0.3, 6.0]
    assert document["description"]["ko"] == setup.descriptions["ko"]
    assert "weight = [[0.1, 0.3, 3.0]]" in text and "[[model.layers]]" in text
    assert "손으로 고친 값" in text and "with hand edits" in text


def test_a_csv_scenario_names_its_csv_relative_to_the_new_file(tmp_path):
    trainer = Trainer(open_scenario("abalone"))
    trainer.run(2)
    setup = trainer.current_scenario()
    path = write_scenario(setup, tmp_path / "deep" / "down" / "a.toml")
    csv = tomllib.loads(path.read_text(encoding="utf-8"))["data"]["csv"]
    assert (path.parent / csv).resolve() == (setup.path.parent / setup.document["data"]["csv"]).resolve()
    same_numbers(Trainer(load_scenario(path)).snapshot(), trainer.snapshot())


def test_strings_that_need_escapes_survive(tmp_path):
    from dltui.engine.load.overrides import with_overrides

    tricky = 'quotes " and """ and \\ backslash\n\ttab\x7f and 한글\nend"'
    setup = with_overrides(open_scenario("house_prices"), {"description.ko": tricky, "title": 'a "b" \\ c'})
    path = write_scenario(setup, tmp_path / "t.toml")
    loaded = load_scenario(path)
    assert loaded.descriptions["ko"] == tricky and loaded.title == 'a "b" \\ c'


def test_a_diverged_state_saves_and_loads_back_diverged(tmp_path):
    """Huge but finite weights with an infinite loss: the file holds them, and loading it shows
    the same diverged state at the step it was saved at."""
    from dltui.engine.load.overrides import with_overrides

    trainer = Trainer(with_overrides(open_scenario("house_prices_mse"), {"train.learning_rate": 0.01}))
    trainer.run(5000)
    assert trainer.diverged
    loaded = Trainer(load_scenario(write_scenario(trainer.current_scenario(), tmp_path / "d.toml")))
    assert loaded.diverged and loaded.snapshot().diverged_at == trainer.step_count > 0
    same_numbers(loaded.snapshot(), trainer.snapshot())


def test_run_out_writes_scenario_toml_that_goes_on_as_the_unbroken_run(tmp_path, capsys):
    """Adam with minibatches of 2: `dltui run saved.toml` prints the unbroken run's next steps."""
    import json

    setup = ["--set", "train.optimizer=adam", "--set", "train.batch_size=2", "--set", "train.learning_rate=0.1"]
    assert main(["run", "xor", "--steps", "12", "--format", "json", *setup]) == 0
    unbroken = json.loads(capsys.readouterr().out)["steps"]
    assert main(["run", "xor", "--steps", "7", "--format", "json", "--out", str(tmp_path), *setup]) == 0
    last = json.loads(capsys.readouterr().out)["steps"][-1]
    path = tmp_path / "scenario.toml"
    assert path.read_text(encoding="utf-8").startswith("# xor after 7 steps")
    again = Trainer(load_scenario(path)).record()
    assert again["step"] == last["step"] == 7
    assert again == {k: v for k, v in last.items() if k in again}
    assert main(["run", str(path), "--steps", "5", "--format", "json"]) == 0
    resumed = json.loads(capsys.readouterr().out)["steps"]
    assert [r["step"] for r in resumed] == list(range(7, 13))
    for a, b in zip(resumed, unbroken[7:], strict=True):
        assert a["loss"] == b["loss"] and a["layers"] == b["layers"]


def test_saving_another_state_at_the_same_step_never_overwrites(tmp_path):
    from dltui.engine.load.writer import unused_path

    trainer = Trainer(open_scenario("house_prices"))
    names = []
    for value in (3.0, 3.0, 2.0):
        trainer.edit(2, value)
        setup = trainer.current_scenario()
        note = origin_note(setup, 0, True)
        path = unused_path(setup, tmp_path / saved_name(setup, 0), note)
        write_scenario(setup, path, note)
        names.append(path.name)
    assert names == ["house_prices-step0.toml", "house_prices-step0.toml", "house_prices-step0-2.toml"]
    assert load_scenario(tmp_path / names[0]).layers[0].weight == ((0.1, 0.3, 3.0),)
    assert load_scenario(tmp_path / names[2]).layers[0].weight == ((0.1, 0.3, 2.0),)
