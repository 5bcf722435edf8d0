"""The TUI driven by real key presses through Textual's Pilot.

Numbers are checked against the lecture (5.8 / 6.7 / 7.3, 0.567) and against hand arithmetic,
never against the engine's own output alone.
"""

from __future__ import annotations

import pytest
from marks import slow_beyond
from textual.widgets import Input, OptionList

from dltui.engine.intents import SetRate
from dltui.tui.screens import HelpScreen, OpenScreen
from tui_helpers import (explanation_text, make_app, parameters_text, status_text, table_rows,
                         wait_ready, wait_until, write)

pytestmark = pytest.mark.asyncio

HOUSES = [[32, 3, 0.3, 6.0], [33, 3, 0.5, 7.0], [36, 4, 0.5, 8.5]]


def house_weights(app):
    layer = app.snapshot.layers[0]
    return layer.weight[0].tolist() + layer.bias.tolist()


async def test_first_screen_shows_the_lecture_numbers():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        rows = table_rows(app)
        assert [r[2] for r in rows] == ["5.8", "6.7", "7.3"]       # predict column
        assert [r[1] for r in rows] == ["6", "7", "8.5"]           # target column
        assert [r[3] for r in rows] == ["0.2", "0.3", "1.2"]       # |target − predict|
        status = status_text(app)
        assert "step 0" in status and "0.567" in status and "sgd" in status
        assert "w1" in parameters_text(app) and "0.1" in parameters_text(app)


async def test_phase_key_walks_forward_row_by_row_then_loss_gradients_update():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("full_stop")
        assert "forward row 1/3" in status_text(app)
        assert "32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 + 0.5 = 5.8" in explanation_text(app)
        await pilot.press("full_stop", "full_stop")
        assert "forward row 3/3" in status_text(app)
        assert "36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 7.3" in explanation_text(app)
        await pilot.press("full_stop")
        assert "phase: loss" in status_text(app)
        assert "(0.2 + 0.3 + 1.2) / 3 = 1.7 / 3 = 0.567" in explanation_text(app)
        await pilot.press("full_stop")
        # MAE gradient of w1: mean(sign(pred − target) ⋅ x1) = −(32 + 33 + 36) / 3
        assert app.snapshot.layers[0].weight_grad[0, 0] == pytest.approx(-101 / 3)
        assert ("𝜕L/𝜕w1 = (sign(5.8 − 6)⋅32 + sign(6.7 − 7)⋅33 + sign(7.3 − 8.5)⋅36) / 3 = -33.666667"
                in explanation_text(app))
        await pilot.press("full_stop")
        assert app.snapshot.step == 1
        lr = 0.0001
        assert house_weights(app)[0] == pytest.approx(0.1 + lr * 101 / 3, abs=1e-15)
        assert "w1: 0.1 − 0.0001 ⋅ -33.666667 = 0.103367" in explanation_text(app)


async def test_space_back_reset_and_learning_rate_keys():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        start = house_weights(app)
        await pilot.press("space", "space")
        assert app.snapshot.step == 2 and "step 2" in status_text(app)
        after_two = house_weights(app)
        await pilot.press("b")
        assert app.snapshot.step == 1
        await pilot.press("space")
        assert house_weights(app) == after_two                      # bit for bit
        await pilot.press("b", "b")
        assert house_weights(app) == start and "step 0" in status_text(app)
        await pilot.press("left_square_bracket")
        assert app.snapshot.learning_rate == 0.00005 and "lr 0.00005" in status_text(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.snapshot.learning_rate == 0.0002
        await pilot.press("space", "space", "r")
        assert app.snapshot.step == 0 and house_weights(app) == start
        assert app.snapshot.learning_rate == 0.0001


async def test_play_then_pause():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("plus", "plus", "plus")                  # 100 steps a second
        await pilot.press("p")
        assert app.playing and "playing" in status_text(app)
        await wait_until(pilot, lambda: app.snapshot.step >= 10)
        await pilot.press("p")
        assert not app.playing
        await app.workers.wait_for_complete()       # the play worker has ended: nothing steps now
        await pilot.pause()
        stopped_at = app.snapshot.step
        assert not any(w.group == "play" and not w.is_finished for w in app.workers)
        await pilot.press("v", "V")                  # messages processed, still no step
        assert app.snapshot.step == stopped_at and stopped_at >= 10
        assert f"step {stopped_at}" in status_text(app)


@pytest.mark.slow
async def test_divergence_pauses_play_and_says_when(tmp_path):
    scenario = write(tmp_path / "blowup.toml", f"""
title = "blow up"
[data]
features = ["a", "b", "c"]
target = "y"
rows = {HOUSES}
[[model.layers]]
units = 1
weight = [[0.1, 0.3, 4.0]]
bias = [0.5]
[train]
loss = "mse"
learning_rate = 0.1
""")
    app = make_app(str(scenario))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: not app.playing, timeout=20)
        snapshot = app.snapshot
        assert snapshot.diverged
        assert f"DIVERGED at step {snapshot.diverged_at}" in status_text(app)
        await pilot.press("b")
        assert app.snapshot.step == snapshot.diverged_at - 1
        assert not app.snapshot.diverged


async def test_open_picker_keeps_the_scenario_on_a_broken_file_then_opens_a_bundled_one(tmp_path):
    broken = write(tmp_path / "broken.toml", 'title = "x"\n[train]\nloss = "mse"\nlearning_rate = 0.1\n[data]\nfeatures = ["a"]\n')
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        await pilot.press("o")
        assert isinstance(app.screen, OpenScreen)
        app.screen.query_one(Input).value = str(broken)
        app.screen.query_one(Input).focus()
        await pilot.press("enter")
        message = str(app.screen.query_one("#open-error").content)
        assert "broken.toml" in message and "data.target: is required but missing" in message
        assert isinstance(app.screen, OpenScreen)
        await pilot.press("escape")
        assert app.scenario.name == "house_prices" and app.snapshot.step == 1   # nothing lost
        await pilot.press("o")
        options = app.screen.query_one(OptionList)
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = names.index("xor")
        options.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.session is not None and app.scenario.name == "xor", 60)
        await wait_ready(pilot)
        assert "XOR" in status_text(app)
        assert len(table_rows(app)) == 4


async def test_notes_key_shows_the_pytorch_code_with_the_phase_line_and_the_autograd_graph():
    from dltui.engine.explain.codegen import training_code
    from dltui.tui.notes import CodePanel, GraphPanel

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("c")
        assert app.main.query_one("#explain-box").current == "notes-code"
        await pilot.press("full_stop", "full_stop", "full_stop", "full_stop")      # → loss
        code = training_code(app.scenario)
        line = code.text.splitlines()[code.phase_lines["loss"] - 1]
        assert "criterion(" in line and "nn.L1Loss()" in code.text
        syntax = app.main.query_one(CodePanel).content
        assert syntax.highlight_lines == {code.phase_lines["loss"]}
        await pilot.press("full_stop", "c")                                         # → backward, graph
        graph_text = _plain(app.main.query_one(GraphPanel).content)
        assert "MeanBackward0" in graph_text and "AccumulateGrad" in graph_text
        assert "-33.666667" in graph_text.replace("−", "-")                        # 𝜕L/𝜕w1 after backward
        await pilot.press("c")
        assert app.main.query_one("#explain-box").current == "notes-explain"


def _plain(content) -> str:
    return content.plain if hasattr(content, "plain") else str(content)


async def test_help_lists_every_key():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from dltui.tui.i18n import HELP
        for key in ("space", "`.`", "`b`", "`p`", "`[`", "`r`", "`o`", "`?`", "`q`"):
            assert key in HELP["en"]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_before_torch_is_ready_wait_and_run_in_order(monkeypatch):
    import threading

    from dltui.engine.train import trainer as trainer_module

    release = threading.Event()
    original = trainer_module.Trainer.__init__

    def slow_init(self, *args, **kwargs):
        release.wait(30)
        original(self, *args, **kwargs)

    monkeypatch.setattr(trainer_module.Trainer, "__init__", slow_init)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.session is None
        assert [r[1] for r in table_rows(app)] == ["6", "7", "8.5"]   # the data shows at once
        await pilot.press("space", "space", "b", "left_square_bracket", "full_stop")
        assert "loading" in status_text(app)
        assert any("loading" in n.message for n in app._notifications)
        release.set()
        await wait_ready(pilot)
        # step, step, back, halve the rate, forward one phase: in that order, once torch is ready
        assert app.snapshot.step == 1 and not app.playing
        assert app.snapshot.learning_rate == 0.00005
        assert app.snapshot.phase.name == "FORWARD"
        await pilot.press("b", "b")
        assert app.snapshot.step == 0
        assert [r[2] for r in table_rows(app)] == ["5.8", "6.7", "7.3"]


async def test_a_trainer_that_cannot_be_built_says_so(monkeypatch):
    from dltui.engine.train import trainer as trainer_module

    def broken_init(self, *args, **kwargs):
        raise RuntimeError("out of memory building the model")

    monkeypatch.setattr(trainer_module.Trainer, "__init__", broken_init)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "trainer could not be built" in status_text(app)
        assert "out of memory building the model" in status_text(app)
        assert "loading" not in status_text(app)
        await pilot.press("space")                       # answered with the reason, not "loading"
        assert any("out of memory" in n.message for n in app._notifications)
        assert app.is_running


async def test_a_failing_picture_worker_says_so_and_the_app_goes_on(monkeypatch):
    from dltui.tui import view_area

    def broken(request):
        raise MemoryError("grid too large")

    monkeypatch.setattr(view_area, "compute_picture", broken)
    app = make_app("house_prices")   # opens on the loss view: v goes to the 1-D landscape
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("v")                           # the 1-D landscape: computed in the worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("grid too large" in n.message for n in app._notifications)
        await pilot.press("space")
        assert app.snapshot.step == 1 and app.is_running


@pytest.mark.parametrize("size", slow_beyond([(120, 36), (80, 24), (60, 16), (40, 12), (20, 8)],
                                             fast=[(80, 24)], one_value=True))
async def test_resizes_never_crash(size):
    app = make_app("xor")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.resize_terminal(*size)
        await pilot.press("space", "full_stop", "b")        # back from mid-step: that step's start
        await pilot.pause()
        assert app.snapshot.step == 1 and app.snapshot.phase.value == "start"
        await pilot.press("b")
        assert app.snapshot.step == 0
        await pilot.resize_terminal(120, 36)
        await pilot.press("space")
        assert app.snapshot.step == 1


async def test_compact_layout_keeps_step_loss_table_and_parameters():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        screen = app.main
        assert screen.has_class("compact")
        for widget_id in ("#data", "#params-box", "#status"):
            assert screen.query_one(widget_id).display
        assert not screen.query_one("#views").display
        assert "step 0" in status_text(app)
        assert [r[2] for r in table_rows(app)] == ["5.8", "6.7", "7.3"]


async def test_a_taller_terminal_gives_the_pictures_its_rows():
    """At 120×36 the picture keeps its 19 rows and the parameters the rest; taller, the picture
    grows too (it stayed at 19 rows under a half-empty parameters pane at 140×44)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        views, params = app.main.query_one("#views"), app.main.query_one("#params-box")
        assert (views.size.height, params.outer_size.height) == (17, 15)   # 19 rows with the border
        await pilot.resize_terminal(140, 44)
        await pilot.pause()
        assert views.outer_size.height == params.outer_size.height == 21


async def test_language_toggle():
    app = make_app(lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("l")
        assert app.lang == "ko" and "단계 0" in status_text(app)
        await pilot.press("l")
        assert app.lang == "en" and "step 0" in status_text(app)


async def test_export_writes_history_and_screen(tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", "space", "left_square_bracket", "space", "e")
        exports = tmp_path / "dltui-exports"
        await wait_until(pilot, lambda: any(exports.glob("*/history.csv")), timeout=30)
        folder = next(exports.iterdir())
        await wait_until(pilot, lambda: (folder / "history.csv").stat().st_size > 0, timeout=10)
        document = json.loads((folder / "history.json").read_text(encoding="utf-8"))
        assert (folder / "screen.svg").read_text().startswith("<svg")
    steps = document["steps"]
    assert [s["step"] for s in steps] == [0, 1, 2, 3]
    assert steps[0]["predictions"] == pytest.approx([5.8, 6.7, 7.3], abs=1e-12)
    # Independent reference: MAE's gradient is mean(sign(predict − target) ⋅ [x, 1]), in numpy.
    import numpy as np

    x = np.array([row[:3] + [1.0] for row in HOUSES])
    y = np.array([row[3] for row in HOUSES])
    w = np.array([0.1, 0.3, 4.0, 0.5])
    for step, lr in ((1, 1e-4), (2, 1e-4), (3, 5e-5)):
        w = w - lr * (np.sign(x @ w - y) @ x) / len(y)
        layer = steps[step]["layers"][0]
        assert layer["weight"][0] + layer["bias"] == pytest.approx(w.tolist(), abs=1e-12)


@pytest.mark.parametrize("size", [(120, 30), (80, 24), (40, 12), (20, 8)])
async def test_starting_at_any_size_works_and_tiny_shows_step_and_loss_first(size):
    app = make_app("xor")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        status = status_text(app)
        assert "step 1" in status
        if size[0] < 60:
            assert status.startswith("step 1 loss ")


async def test_huge_but_finite_numbers_draw_without_crashing(tmp_path):
    """A loss near 3e307 once overflowed plotext's tick rounding and took the app down."""
    from house_file import house_file

    path = house_file(tmp_path, weight="[[1e306, 1e306, 1e306]]", loss="mae", lr="1e-300")
    app = make_app(str(path))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        assert 1e307 < app.snapshot.loss < float("inf")
        await pilot.press("space")
        for _ in range(6):
            await pilot.press("v")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.snapshot.step == 1 and app.is_running


async def test_command_palette_offers_every_action_and_runs_it():
    from textual.command import CommandList

    from dltui.tui.app import KEYS
    from dltui.tui.i18n import t

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for _key, action, label, _show in KEYS:
            if action != "quit":
                assert t(label, "en") in commands, action
        await pilot.press("ctrl+p")                      # the real palette, typed into
        await pilot.press(*"Step")
        await app.workers.wait_for_complete()           # the palette's search worker
        await pilot.pause()
        commands = app.screen.query_one(CommandList)
        assert commands.highlighted is not None and "Step" in str(commands.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.snapshot.step == 1, timeout=5)


async def test_learning_rate_cannot_be_halved_to_zero():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await app.send(SetRate(5e-324 / 0.0001))            # to the smallest positive float
        assert app.snapshot.learning_rate == 5e-324
        await pilot.press("left_square_bracket")
        assert app.snapshot.learning_rate == 5e-324 and app.is_running


async def test_pictures_are_computed_one_at_a_time_and_the_newest_wins(monkeypatch):
    """While a landscape is being computed, three more steps ask for three more: only the newest
    of those is computed next, and it is the one shown."""
    import threading

    from dltui.tui import view_area

    release = threading.Event()
    asked, shown = [], []
    real_compute = view_area.compute_picture

    def slow_compute(request):
        if request.view.name == "landscape2d":
            asked.append(request.snapshot.step)
            if len(asked) == 1:
                release.wait(30)
        return real_compute(request)

    monkeypatch.setattr(view_area, "compute_picture", slow_compute)
    app = make_app("xor")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        area = app.main.query_one(view_area.ViewArea)
        real_show = area._show_picture
        monkeypatch.setattr(area, "_show_picture",
                            lambda asked, picture: (asked.request.view.name == "landscape2d"
                                                    and shown.append(asked.request.snapshot.step),
                                                    real_show(asked, picture)))
        while area.choice.view.name != "landscape2d":
            await pilot.press("v")
        await wait_until(pilot, lambda: len(asked) == 1)
        await pilot.press("space", "space", "space")      # three more requests while it computes
        assert asked == [0]
        release.set()
        await wait_until(pilot, lambda: shown and shown[-1] == 3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert asked == [0, 3]                            # steps 1 and 2 were never computed
        assert shown == [0, 3]
