"""What a Korean student reads on the screen: every character arrives, every word is Korean."""

from __future__ import annotations

import pytest
from marks import slow_beyond

from textual.widgets._toast import Toast

from words_check import english_prose, scenario_names
from dltui.tui.panels import RowsTable
from tui_helpers import (explanation_text, make_app, parameters_text, status_text, table_rows, wait_ready,
                         wait_until)

HANGUL = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허"


def screen_lines(app) -> list[str]:
    """The composed screen, as a terminal shows it (every layer, notifications on top)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def visible_text(app) -> str:
    return "\n".join(screen_lines(app))


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(120, 36), (100, 30), (80, 24)])
async def test_a_notification_keeps_every_hangul_character(size):
    """Toasts sit over the lesson pane and its scrollbar; a wide character straddling a widget
    edge beneath used to become two spaces ("PyTorch   불러오는 중")."""
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_ready(pilot)
        # Every offset parity: one to four ASCII letters before the Hangul shift the syllables
        # across whatever edges lie under the toast.
        messages = [f"{'x' * shift}{HANGUL[shift:shift + 12]}" for shift in range(4)]
        for message in messages:
            app.notify(message, timeout=30)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= len(messages))
        await pilot.pause()
        text = visible_text(app)
        assert all(strip.cell_length == size[0] for strip in app.screen._compositor.render_strips())
        for message in messages:
            assert message in text, f"{message!r} lost a character:\n{text}"
        app.notify("PyTorch를 불러오는 중입니다. 잠시만요…", timeout=30)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) > len(messages))
        await pilot.pause()
        assert "PyTorch를 불러오는 중입니다" in visible_text(app)


@pytest.mark.asyncio
async def test_rate_keys_after_a_step_keep_its_arithmetic_and_the_code_shows_the_rate_now():
    from dltui.tui.notes import CodePanel

    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        used = app.snapshot.learning_rate
        await pilot.press("space")
        before = explanation_text(app)
        assert f" − {used:g} × " in before
        await pilot.press("right_square_bracket")
        assert app.snapshot.learning_rate == used * 2
        assert explanation_text(app) == before            # that step's arithmetic, unchanged
        await pilot.press("c")
        await pilot.pause()
        code = app.main.query_one(CodePanel).content.code
        assert f"lr={used * 2:g}" in code and f"lr={used:g})" not in code


def footer_text(app) -> str:
    return screen_lines(app)[-1]


@pytest.mark.asyncio
async def test_footer_and_command_palette_speak_the_screens_language_and_l_switches_them():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(200, 36)) as pilot:
        await wait_ready(pilot)
        footer = footer_text(app)
        assert "한 걸음" in footer and "명령" in footer
        assert not english_prose(footer), footer
        commands = list(app.get_system_commands(app.screen))
        assert len(commands) > 15
        for command in commands:
            assert not english_prose(f"{command.title} {command.help}"), command
        await pilot.press("ctrl+p")                     # the palette itself: its prompt too
        await pilot.pause()
        assert "명령 찾기" in visible_text(app) and "Search" not in visible_text(app)
        await pilot.press("escape")
        await pilot.press("l")
        await pilot.pause()
        footer = footer_text(app)
        assert "Step" in footer and "palette" in footer and "한 걸음" not in footer, footer
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Step", "Theme", "Screenshot"} <= titles
        await pilot.press("l")
        await pilot.pause()
        assert "한 걸음" in footer_text(app)


@pytest.mark.asyncio
async def test_rate_limit_is_said_in_korean():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_ready(pilot)
        with app.lock:
            app.trainer.set_learning_rate(5e-324)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= 1)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("학습률" in m for m in messages) and not any(english_prose(m) for m in messages), messages


@pytest.mark.asyncio
async def test_labels_tell_the_truth_on_a_korean_screen():
    """MSE house table: the loss term and target − predict side by side (0.04 vs 0.2 as in the
    lecture), the loss note on n, the one-neuron formula, and no English prose anywhere."""
    app = make_app("house_prices_mse", lang="ko")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        table = app.main.query_one(RowsTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert headers[:5] == ["#", "타겟", "예측", "손실 항", "타겟 − 예측"]
        rows = table_rows(app)
        targets, predictions = [6, 7, 8.5], [5.8, 6.7, 7.3]
        for row, target, predict in zip(rows, targets, predictions):
            assert float(row[3]) == pytest.approx((target - predict) ** 2, abs=1e-4)
            assert float(row[4]) == pytest.approx(target - predict, abs=1e-4)
        assert "예측 = 평수×w1 + 방 개수×w2 + 지하철 역과의 거리×w3 + b" in parameters_text(app)
        assert "지난 변화" in parameters_text(app)
        allowed = scenario_names(app.scenario)
        for key in ("full_stop",) * 4 + ("full_stop", "full_stop"):
            await pilot.press(key)
            await pilot.pause()
            text = explanation_text(app)
            if app.snapshot.phase.value == "loss":
                assert "n−2" in text and "손실 = (" in text
        assert not english_prose(status_text(app), allowed)
        assert not english_prose(parameters_text(app), allowed)


@pytest.mark.asyncio
async def test_one_neuron_formula_names_its_activation_and_layers_count_one_unit():
    app = make_app("step_vs_sigmoid:step", lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        assert "predict = step(x1×w1 + x2×w2 + b)" in parameters_text(app)
    app = make_app("xor", lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        text = parameters_text(app)
        assert "1 units" not in text and "(1 unit, sigmoid)" in text


@pytest.mark.asyncio
async def test_top_line_shows_test_accuracy_beside_training_accuracy():
    app = make_app("iris", lang="ko")
    async with app.run_test(size=(160, 36)) as pilot:
        await wait_ready(pilot)
        with app.lock:
            app.trainer.run(300)
            snapshot = app.trainer.snapshot()
        app._apply(snapshot)
        await pilot.pause()
        right = int((snapshot.test_predictions.argmax(axis=1) == snapshot.test_targets).sum())
        assert right >= 28                                   # the lesson's promise
        assert f"테스트 정확도 {right / 30:.0%} ({right}/30)" in status_text(app)


@pytest.mark.asyncio
async def test_diverged_top_line_reads_diverged_with_advice_for_its_cause(tmp_path):
    huge = tmp_path / "huge.toml"
    huge.write_text('title = "huge"\n[data]\nfeatures = ["a"]\ntarget = "y"\n'
                    'rows = [[1e200, 1e200], [2e200, 3e200]]\n[[model.layers]]\nunits = 1\n'
                    'weight = [[0.5]]\nbias = [0.0]\n[train]\nloss = "mse"\nlearning_rate = 0.001\n', encoding="utf-8")
    from dltui.engine import open_scenario
    from dltui.tui.app import DltuiApp

    app = DltuiApp(open_scenario(str(huge)), lang="ko")
    async with app.run_test(size=(160, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: app.snapshot.diverged)
        status = status_text(app)
        assert "inf" not in status and "발산" in status
        assert "데이터의 숫자가 너무 큽니다" in status and "학습률을 줄이세요" not in status


@pytest.mark.asyncio
async def test_a_scenario_that_fails_to_load_on_the_command_line_shows_a_dialog_that_stays(tmp_path):
    from dltui.engine import open_scenario
    from dltui.tui.app import DltuiApp
    from dltui.tui.startup_error import StartupErrorScreen

    error = f"{tmp_path / 'missing.toml'}: file not found"
    app = DltuiApp(open_scenario("house_prices"), lang="ko", startup_error=error)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)                     # seconds later: still there
        assert isinstance(app.screen, StartupErrorScreen)
        dialog = app.screen
        box = dialog.query_one("Vertical")
        text = " ".join([str(box.border_title)] + [str(static.render()) for static in dialog.query("Static")])
        assert "시나리오를 열 수 없습니다" in text and "missing.toml" in text and "집값 예측" in text
        await pilot.press("enter")
        assert not isinstance(app.screen, StartupErrorScreen)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", slow_beyond(["house_prices", "xor", "iris"], fast=["house_prices"]))
async def test_no_english_prose_anywhere_on_a_korean_screen(name):
    """Every phase's arithmetic, every picture view and the autograd graph, read as a terminal
    shows them; only names (sigmoid, nn.Linear, AddmmBackward0, the scenario's columns) in ASCII."""
    app = make_app(name, lang="ko")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        allowed = scenario_names(app.scenario)
        found: dict[str, str] = {}

        def look(where: str) -> None:
            for word in english_prose(visible_text(app), allowed):
                found.setdefault(word, where)

        look("start")
        for phase in range(6):
            await pilot.press("full_stop")
            await pilot.pause()
            look(f"phase {phase + 1}")
        for view in range(8):
            await pilot.press("v")
            await pilot.pause()
            look(f"view {view + 1}")
        await pilot.press("c", "c")                    # the graph (the code pane between is code)
        await pilot.pause()
        look("graph")
        assert not found, found
