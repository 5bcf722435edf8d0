"""Experiment in place through real keys (issue 13): `w` edits a parameter (the lecture's exercise
typed into the house table), ← /→ nudge with the gradient's advice, bad values change nothing,
`b` / `r` across edits are bit for bit, clicking selects, `t` changes the setup (XOR learns with a
hidden layer), `s` saves a file that loads back to the state on screen."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from dltui.engine.frame import Needs
from dltui.engine.intents import Back, Play, Show
from dltui.engine import load_scenario
from dltui.engine.train.comparison import Comparison
from dltui.engine.train.trainer import Trainer
from dltui.tui.editing import EditBar
from dltui.tui.panels import ParametersPanel
from test_trainer import assert_same, with_state
from tui_helpers import make_app, status_text, table_rows, text_of, wait_ready, wait_until


def bar_text(app) -> str:
    bar = app.main.query_one(EditBar)
    return text_of(bar.query_one("#edit-info")) + "\n" + text_of(bar.query_one("#edit-error"))


async def type_value(pilot, text: str) -> None:
    await pilot.press("enter")
    for ch in text:
        await pilot.press(ch)
    await pilot.press("enter")
    await pilot.pause()


async def choose(pilot, count: int) -> None:
    for _ in range(count):
        await pilot.press("down")


async def test_the_lectures_exercise_typed_into_the_house_table():
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        await pilot.pause()
        bar = app.main.query_one(EditBar)
        assert bar.ref == (0, "w", 0, 0)                       # the first parameter
        assert app.main.query_one(ParametersPanel).selected == (0, "w", 0, 0)
        await choose(pilot, 2)                                   # w3
        await pilot.press("enter")
        field = bar.query_one("#edit-input")
        assert field.value == "4.0" and field.selection.start == 0 and field.selection.end == 3
        await pilot.press("3", "enter")                          # typing replaces the selection
        await pilot.pause()
        assert (app.snapshot.step, app.snapshot.loss) == (0, pytest.approx(1.0, abs=1e-12))
        assert "loss (mae) 1" in status_text(app) and "w3 = 3" in bar_text(app)
        assert [row[2] for row in table_rows(app)] == ["5.5", "6.2", "6.8"]   # the table, at once
        await pilot.press("up")                                  # w2 = 0.2, w3 = 2
        await type_value(pilot, "0.2")
        await pilot.press("down")
        await type_value(pilot, "2")
        assert f"{app.snapshot.loss:.3f}" == "1.767" and "1.767" in status_text(app)
        await pilot.press("up")
        await type_value(pilot, "0.3")
        await pilot.press("down")
        await type_value(pilot, "4")
        assert f"{app.snapshot.loss:.3f}" == "0.567" and "0.567" in status_text(app)
        assert app.snapshot.step == 0


async def test_nudges_follow_the_step_shown_and_the_gradient_advises():
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        await choose(pilot, 2)
        await pilot.pause()
        text = bar_text(app)
        # every prediction is below its target: ∂L/∂w3 = −mean(x3) = −0.43333, so increase w3
        assert "gradient -0.43333 < 0: increasing it (→ ) lowers the loss" in text
        assert "← → ± 0.1 (shift ± 0.01)" in text
        from dltui.tui.view_area import ViewArea

        assert app.main.query_one(ViewArea).choice.x == 2   # the landscape follows w3
        before = app.snapshot.loss
        await pilot.press("right")
        await pilot.pause()
        assert app.snapshot.layers[0].weight[0, 2] == 4.1 and app.snapshot.loss < before
        await pilot.press("shift+left")
        await pilot.pause()
        assert app.snapshot.layers[0].weight[0, 2] == 4.09
        assert "w3 = 4.09" in bar_text(app)


@pytest.mark.slow
async def test_a_value_that_is_not_a_number_says_so_and_changes_nothing():
    app = make_app("house_prices", "ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        before = app.snapshot
        await pilot.press("w", "enter", "a", "b", "c", "enter")
        await pilot.pause()
        assert "'abc': 유한한 숫자가 아닙니다" in bar_text(app)
        assert app.snapshot is before and app.frame.at_beginning
        await pilot.press("backspace", "backspace", "backspace", "n", "a", "n", "enter")   # a float, not finite
        await pilot.pause()
        assert "'nan'" in bar_text(app) and app.frame.at_beginning
        await pilot.press("escape")                  # closes the input, nothing applied
        await pilot.pause()
        assert not app.main.query_one(EditBar).typing and app.snapshot is before
        await pilot.press("escape")                  # leaves editing
        await pilot.pause()
        assert not app.main.query(EditBar)
        assert app.main.query_one(ParametersPanel).selected is None


@pytest.mark.slow
async def test_back_and_reset_across_edits_are_bit_exact():
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        start = app.snapshot
        await pilot.press("space", "space")
        await pilot.pause()
        at2 = app.snapshot
        await pilot.press("w")
        await type_value(pilot, "0.25")
        edited = app.snapshot
        await pilot.press("space")
        await pilot.pause()
        assert app.snapshot.step == 3
        await pilot.press("escape", "b")             # leave editing; back to step 2 with the edit
        await pilot.pause()
        assert_same(app.snapshot, edited, "back to the edited step", with_state())
        await pilot.press("b")                       # the edit undone
        await pilot.pause()
        assert_same(app.snapshot, at2, "edit undone", with_state())
        await pilot.press("w")
        await type_value(pilot, "9")
        await pilot.press("escape", "r")
        await pilot.pause()
        assert_same(app.snapshot, start, "reset to the file", with_state())
        await pilot.press("b")
        await pilot.pause()
        assert app.snapshot.step == 0   # "already at the start"


@pytest.mark.slow
async def test_clicking_a_parameter_selects_it():
    app = make_app("xor", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        panel = app.main.query_one(ParametersPanel)
        line = panel.line_keys.index((1, "w", 0, 1))   # the output layer's second weight
        await pilot.click(ParametersPanel, offset=(2, line))
        await pilot.pause()
        bar = app.main.query_one(EditBar)
        assert bar.ref == (1, "w", 0, 1) and panel.selected == (1, "w", 0, 1)
        await type_value(pilot, "-1.5")
        assert app.snapshot.layers[1].weight[0, 1] == -1.5


@pytest.mark.slow
async def test_settings_add_a_hidden_layer_xor_learns_then_save_and_reload(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor_linear", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        before = app.snapshot
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        await pilot.click("#set-add")
        await pilot.pause()
        screen.query_one("#set-units-1").focus()      # focus selects the text: typing replaces it
        await pilot.press("4", "enter")               # Enter in any field applies
        await pilot.pause()
        assert app.screen is app.main
        assert [layer.weight.shape for layer in app.snapshot.layers] == [(4, 2), (1, 4)]
        assert app.scenario.layers[0].activation == "tanh"
        await app.send(Play(1500, float("inf")))
        await pilot.press("space")
        await pilot.pause()
        assert app.snapshot.accuracy() == 1.0 and app.snapshot.loss < 0.05
        await pilot.press("s")
        await pilot.pause()
        path = tmp_path / "dltui-saved" / f"xor_linear-step{app.snapshot.step}.toml"
        await wait_until(pilot, path.exists)
        loaded = Trainer(load_scenario(path)).snapshot()
        assert loaded.predictions.tobytes() == app.snapshot.predictions.tobytes()
        assert np.float64(loaded.loss).tobytes() == np.float64(app.snapshot.loss).tobytes()
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        assert [layer["units"] for layer in document["model"]["layers"]] == [4, 1]
        # b from the change's step goes back across it, to the one-layer run
        frame = app.frame                             # back to the change's step, straight
        while frame.snapshot.step > 0:                # through the session (1,500 screens
            frame = app.session.handle(Back(), Needs())   # would take a minute)
        await app.send(Show())
        assert app.snapshot.step == 0 and len(app.scenario.layers) == 2
        await pilot.press("b")
        await pilot.pause()
        assert_same(app.snapshot, before, "back across the setup change", with_state())
        assert len(app.scenario.layers) == 1


async def test_settings_refuse_impossible_combinations_in_checks_words():
    app = make_app("xor_linear", "ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        before = app.snapshot
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-act-1").value = "relu"
        await pilot.press("enter")                    # the rate field has focus: Enter applies
        await pilot.pause()
        error = text_of(screen.query_one("#settings-error"))
        assert "적용할 수 없습니다" in error and "bce 손실에는 sigmoid 출력층이 필요합니다 (지금: relu)" in error   # check's words, in Korean
        assert app.screen is screen and app.snapshot is before
        await pilot.press("a", "b", "c", "enter")      # typing replaces the selected rate
        await pilot.pause()
        assert "학습률: 'abc': 숫자가 아닙니다" in text_of(screen.query_one("#settings-error"))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and app.snapshot is before


async def test_export_carries_the_edits_and_writes_scenario_toml(tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        await choose(pilot, 2)
        await type_value(pilot, "3")
        await pilot.press("escape", "space", "e")
        await pilot.pause()
        await app.workers.wait_for_complete()
        folders = list((tmp_path / "dltui-exports").iterdir())
        assert len(folders) == 1
        await wait_until(pilot, (folders[0] / "history.json").exists)
        steps = json.loads((folders[0] / "history.json").read_text(encoding="utf-8"))["steps"]
        assert steps[0]["edits"] == [{"parameter": "w3", "value": 3.0}]
        assert steps[0]["loss"] == pytest.approx(1.0, abs=1e-12) and len(steps) == 2
        saved = Trainer(load_scenario(folders[0] / "scenario.toml")).snapshot()
        assert saved.predictions.tobytes() == app.snapshot.predictions.tobytes()


@pytest.mark.slow
async def test_settings_remove_a_layer_and_the_screen_says_which_were_reset():
    app = make_app("xor", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        notes = []
        notify = app.notify
        app.notify = lambda message, **kw: (notes.append(message), notify(message, **kw))
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        await pilot.click("#set-remove-1")                 # the hidden layer goes
        await wait_until(pilot, lambda: not screen.query("#set-units-2"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main
        assert [layer.weight.shape for layer in app.snapshot.layers] == [(1, 2)]
        assert any("layer(s) 1 changed shape and were re-initialised (seed 0)" in n for n in notes)
        await pilot.press("b")
        await pilot.pause()
        assert len(app.snapshot.layers) == 2 and len(app.scenario.layers) == 2


@pytest.mark.slow
async def test_in_a_browser_save_and_export_are_downloads_with_the_edits(tmp_path, monkeypatch):
    import io
    import json
    import zipfile

    from dltui.tui import served as served_module

    monkeypatch.chdir(tmp_path)
    sent = []
    monkeypatch.setattr(served_module, "deliver_bytes", lambda app, name, data, mime="": sent.append((name, data)))
    app = make_app("house_prices", "en")
    app.served = served_module.Served()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        await choose(pilot, 2)
        await type_value(pilot, "3")
        await pilot.press("escape", "s")
        await wait_until(pilot, lambda: len(sent) == 1)
        name, data = sent[0]
        assert name == "house_prices-step0.toml"
        path = tmp_path / name
        path.write_bytes(data)
        assert Trainer(load_scenario(path)).snapshot().loss == pytest.approx(1.0, abs=1e-12)
        await pilot.press("e")
        await wait_until(pilot, lambda: len(sent) == 2, timeout=30)
        files = zipfile.ZipFile(io.BytesIO(sent[1][1]))
        assert "scenario.toml" in files.namelist()
        steps = json.loads(files.read("history.json"))["steps"]
        assert steps[0]["edits"] == [{"parameter": "w3", "value": 3.0}]
        assert steps[0]["loss"] == pytest.approx(1.0, abs=1e-12)
    assert not (tmp_path / "dltui-saved").exists() and not (tmp_path / "dltui-exports").exists()


async def test_a_comparison_refuses_w_and_t_and_saves_every_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("adam_vs_sgd", "ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        notes = []
        notify = app.notify
        app.notify = lambda message, **kw: (notes.append(message), notify(message, **kw))
        await pilot.press("w", "t")
        await pilot.pause()
        assert not app.main.query(EditBar) and app.screen is app.main
        assert sum("비교 실행에서는 w / t를 쓸 수 없습니다" in n for n in notes) == 2
        await pilot.press("space", "2", "s")
        await pilot.pause()
        saved = list((tmp_path / "dltui-saved").glob("*.toml"))
        assert len(saved) == 1
        loaded = Comparison(load_scenario(saved[0]))
        assert [t.step_count for t in loaded.trainers] == [1, 1]
        for mine, live in zip(loaded.snapshots(), app.frame.snapshots, strict=True):
            assert mine.predictions.tobytes() == live.predictions.tobytes()


@pytest.mark.slow
async def test_editing_while_playing_keeps_up_and_advises_once_paused():
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("w", "p")
        await wait_until(pilot, lambda: app.snapshot.step >= 3)
        assert "gradient" not in bar_text(app)          # no advice chasing the frames
        await pilot.press("p")
        await wait_until(pilot, lambda: not app.playing)
        await pilot.pause()
        assert "gradient" in bar_text(app)
        step = app.snapshot.step
        await pilot.press("right")                       # a nudge at the paused step
        await pilot.pause()
        nudged = app.snapshot
        assert nudged.step == step and not app.frame.at_beginning
        await pilot.press("escape", "b")                 # b undoes the edit: the same step, as before it
        await pilot.pause()
        assert app.snapshot.step == step and app.snapshot.loss != nudged.loss
