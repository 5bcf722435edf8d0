"""Quiz mode: each phase's question and its answer come from the snapshot (checked against the
lecture's figures and hand-written numpy), the tolerance at its edges, and real keys through Pilot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dltui.engine import ScenarioError, open_scenario
from dltui.engine.explain.quiz import Question, question_for, within_shown_precision
from dltui.engine.load.scenario import parse_scenario
from dltui.engine.train.snapshot import Phase
from dltui.engine.train.trainer import Trainer
from tui_helpers import explanation_text, make_app, status_text, table_rows, wait_ready
from said import english


def questions(name: str, phases: int) -> list[Question | None]:
    trainer = Trainer(open_scenario(name))
    scenario = trainer.scenario
    return [question_for(trainer.advance(), scenario) for _ in range(phases)]


# --------------------------------------------------------------------------- the engine's questions


def test_house_prices_asks_the_lectures_numbers_phase_by_phase():
    forward1, forward2, forward3, loss, gradients, update = questions("house_prices", 6)
    assert [(q.kind, q.row, q.answer) for q in (forward1, forward2, forward3)] == [
        ("prediction", 0, pytest.approx(5.8)), ("prediction", 1, pytest.approx(6.7)),
        ("prediction", 2, pytest.approx(7.3))]
    assert loss.kind == "loss" and loss.answer == pytest.approx((0.2 + 0.3 + 1.2) / 3)
    # ∂L/∂w1 = mean(sign(predict − target) · x1) = (−32 − 33 − 36) / 3 < 0: w1 goes up
    assert gradients.kind == "direction" and gradients.parameter == "w1" and gradients.answer == "up"
    assert update.kind == "new_value" and update.answer == pytest.approx(0.1 - 0.0001 * (-101 / 3))


def test_a_hidden_layer_asks_one_units_activation_not_a_long_sum():
    trainer = Trainer(open_scenario("xor"))
    snap = trainer.advance()
    q = question_for(snap, trainer.scenario)
    x, layer = snap.model_inputs[q.row], snap.layers[0]
    z = x @ layer.weight[0] + layer.bias[0]
    assert q.kind == "activation" and q.unit == 0
    assert q.answer == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-12)


def test_a_big_minibatch_asks_nothing_at_forward_but_still_asks_the_loss():
    assert questions("abalone", 1) == [None]


def test_step_activation_gradient_is_zero_so_the_weight_stays():
    qs = questions("step_vs_sigmoid:step", 7)
    direction = next(q for q in qs if q is not None and q.kind == "direction")
    assert direction.answer == "still"
    assert direction.check("0") is True and direction.check("u") is False


@pytest.mark.parametrize("given, shown, right, ok", [
    (5.858, "5.8", 5.8, True), (5.859, "5.8", 5.8, False),          # 1 % of 5.8 = 0.058 > half unit 0.05
    (0.5723, "0.566667", 0.5666667, True), (0.5724, "0.566667", 0.5666667, False),
    (0.0054, "0.005", 0.005, True), (0.0056, "0.005", 0.005, False),  # half of the last digit: 0.0005
    (12345, "1.2e+04", 12000, True), (12600, "1.2e+04", 12000, False),
])
def test_an_answer_counts_within_the_precision_shown(given, shown, right, ok):
    assert within_shown_precision(given, right, shown) is ok


def test_malformed_answers_are_not_answers():
    q = Question("prediction", Phase.FORWARD, 0, 5.8, "5.8", row=0)
    for text in ("abc", "", "  ", "5.8.1", "nan", "inf"):
        assert q.check(text) is None
    assert q.check(" 5.8 ") is True and q.check("−5.8") is False and q.check("5.80") is True


def test_word_questions_take_the_word_or_its_number():
    q = Question("word", Phase.LOSS, 1, "Loss", "Loss", choices=("Target", "Weight", "Loss"))
    assert q.check("loss") is True and q.check("3") is True and q.check("2") is False
    assert q.check("Predict") is None and q.check("9") is None


def test_house_prices_brings_the_lectures_fill_in_the_blank_at_step_1():
    trainer = Trainer(open_scenario("house_prices"))
    trainer.step()
    asked = [question_for(trainer.advance(), trainer.scenario) for _ in range(6)]
    assert [q.answer for q in asked] == ["Predict", "변하는", "Target", "Loss", "줄이는", "Weight"]
    assert all("Target" in q.choices and "고정된" in q.choices for q in asked)
    assert "(   )" in asked[0].ask["ko"] and "(   )" in asked[0].ask["en"]


@pytest.mark.parametrize("name, loss", [("mae_exercise_1", 1.0), ("mae_exercise_3", 5.3 / 3)])
def test_the_exercises_ask_their_own_question_answered_by_the_loss(name, loss):
    q = [q for q in questions(name, 4) if q is not None][-1]
    assert q.kind == "number" and q.answer == pytest.approx(loss) and "MAE" in q.ask["en"]


@pytest.mark.parametrize("quiz, key, words", [
    ([{"step": 0, "phase": "loss", "ask": "?", "answer": "A", "choices": ["B", "C"]}], "quiz[1].choices", "one of them"),
    ([{"step": 0, "phase": "later", "ask": "?", "answer": "loss"}], "quiz[1].phase", "unknown value"),
    ([{"step": -1, "phase": "loss", "ask": "?", "answer": "loss"}], "quiz[1].step", "0 or more"),
    ([{"step": 0, "phase": "forward", "ask": "?", "answer": "loss", "row": 0}], "quiz[1].row", "from 1"),
    ([{"step": 0, "phase": "loss", "answer": "loss"}], "quiz[1].ask", "required"),
    ([{"step": 0, "phase": "loss", "ask": {"de": "?"}, "answer": "loss"}], "quiz[1].ask.de", "unknown key"),
])
def test_bad_quiz_tables_are_named(tmp_path, quiz, key, words):
    doc = {"title": "t", "data": {"features": ["x"], "target": "y", "rows": [[1, 2], [2, 4]]},
           "model": {"layers": [{"units": 1, "activation": "identity"}]},
           "train": {"loss": "mse", "optimizer": "sgd", "learning_rate": 0.01}, "quiz": quiz}
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(doc, tmp_path / "q.toml")
    assert caught.value.key == key and words in english(caught.value)


# --------------------------------------------------------------------------- the screen


async def answer(pilot, text: str) -> None:
    await pilot.press(*list(text), "enter")
    await pilot.pause()


async def test_right_wrong_skipped_and_malformed_answers_through_real_keys(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("house_prices", lang="en")
    app._quiz_at_start = True
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert [row[2] for row in table_rows(app)[:3]] == ["?", "?", "?"]   # nothing computed yet
        assert "loss (mae) ?" in status_text(app)
        await pilot.press("full_stop")
        await pilot.pause()
        assert "row 1: predict = ?" in explanation_text(app)
        await answer(pilot, "abc")                                          # not a number: asked again
        assert app.quiz.pending is not None and app.quiz.asked == 1
        await answer(pilot, "")
        assert app.quiz.pending is not None
        await answer(pilot, "5.8")                                          # right
        assert table_rows(app)[0][2] == "5.8" and table_rows(app)[1][2] == "?"
        assert "quiz 1/1" in status_text(app)
        await pilot.press("space")                                          # space: one phase in quiz mode
        await pilot.pause()
        await answer(pilot, "9")                                            # wrong
        assert "quiz 1/2" in status_text(app)
        await pilot.press("full_stop")
        await pilot.pause()
        await pilot.press("escape")                                         # skipped
        await pilot.pause()
        assert app.quiz.pending is None and "quiz 1/3" in status_text(app)
        await pilot.press("full_stop")                                      # the loss
        await pilot.pause()
        assert "loss (mae) ?" in status_text(app)
        await answer(pilot, "0.567")
        assert "loss (mae) 0.567" in status_text(app) and "quiz 2/4" in status_text(app)
        assert [entry["verdict"] for entry in app.quiz.log] == ["correct", "wrong", "skipped", "correct"]
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
    exported = list(Path(tmp_path, "dltui-exports").glob("*/quiz.json"))
    assert len(exported) == 1
    log = json.loads(exported[0].read_text("utf-8"))
    assert (log["right"], log["asked"]) == (2, 4)
    assert log["questions"][1] == {"step": 0, "phase": "forward", "question": "row 2: predict = ? (input ⋅ weight + bias)",
                                   "answer": "9", "right": pytest.approx(6.7), "verdict": "wrong"}


async def test_k_turns_quiz_mode_on_and_off_and_korean_asks_in_korean():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert app.quiz.on and "퀴즈 0/0" in status_text(app)
        await pilot.press("full_stop")
        await pilot.pause()
        assert "1행: predict = ?" in explanation_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert not app.quiz.on and "?" not in "".join(table_rows(app)[0])


# --------------------------------------------------------------------------- what a student types and reads


def test_a_decimal_comma_is_read_as_a_point_and_a_thousands_comma_as_a_group():
    q = Question("prediction", Phase.FORWARD, 0, 7.3, "7.3", row=2)
    assert q.check("7,3") is True and q.check("7,4") is False
    assert Question("loss", Phase.LOSS, 0, 0.5666667, "0.567").check("0,567") is True
    assert Question("number", Phase.LOSS, 0, 1000.0, "1000").check("1,000") is True


def test_the_loss_question_is_written_as_the_screen_writes_the_loss():
    loss = questions("house_prices", 4)[3]
    assert loss.kind == "loss" and loss.shown == "0.567"          # the lecture's 1.7 ÷ 3 = 0.567
    exercise = [q for q in questions("mae_exercise_3", 4) if q is not None][-1]
    assert exercise.shown == "1.767"


def test_under_adam_the_direction_question_asks_the_gradients_downhill_not_the_next_update():
    """Adam's update carries its past gradients: the next change can go against this gradient
    (hand-checked on momentum:adam), so the question says what it asks."""
    from dltui.words.quiz import question_text

    trainer = Trainer(open_scenario("momentum:adam"))
    against = 0
    for _ in range(30):
        before = float(trainer.snapshot().layers[-1].weight[0, 0])
        asked = []
        while not asked or asked[-1][0].phase is not Phase.UPDATE:
            snapshot = trainer.advance()
            asked.append((snapshot, question_for(snapshot, trainer.scenario)))
        direction = next(q for _, q in asked if q is not None and q.kind == "direction")
        moved = float(asked[-1][0].layers[-1].weight[0, 0]) - before
        assert direction.remembers
        if np.sign(moved) != {"up": 1, "down": -1, "still": 0}[direction.answer]:
            against += 1
    assert against > 0        # the reason for the wording
    assert "기울기로 보면" in question_text(direction, "ko") and "by the gradient" in question_text(direction, "en")
    sgd = next(q for q in questions("house_prices", 6) if q is not None and q.kind == "direction")
    assert not sgd.remembers and "기울기로 보면" not in question_text(sgd, "ko")


@pytest.mark.slow
async def test_arrow_keys_answer_the_direction_question_and_the_verdict_goes_at_the_next():
    app = make_app("house_prices", lang="en")
    app._quiz_at_start = True
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        for _ in range(4):                       # three rows and the loss, skipped
            await pilot.press("full_stop")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("full_stop")           # the gradients: which way should w1 move?
        await pilot.pause()
        assert app.quiz.pending.question.kind == "direction"
        await pilot.press("up")                  # w1's gradient is negative: up is right
        await pilot.pause()
        assert app.quiz.log[-1]["verdict"] == "correct"
        verdict = app.main.query_one("#quiz-verdict")
        assert "Correct" in str(verdict.render())
        await pilot.press("full_stop")           # the next question: the old verdict is gone
        await pilot.pause()
        assert app.quiz.pending.question.kind == "new_value" and str(verdict.render()) == ""


def test_the_fill_in_blanks_do_not_give_their_answer_away():
    """The audit's hints said the answer in other words ("바뀌지 않는 (   ) 값" for 고정된) or glossed
    the very answer ("(고정된 = fixed)")."""
    giveaways = {"고정된": ("바뀌지 않는", "fixed"), "변하는": ("달라지는", "바뀌면", "differs", "changing"),
                 "줄이는": ("reducing",)}
    for spec in open_scenario("house_prices").quiz:
        for phrase in giveaways.get(spec.answer, ()):
            assert phrase not in spec.ask["ko"] and phrase not in spec.ask["en"], (spec.answer, spec.ask)
