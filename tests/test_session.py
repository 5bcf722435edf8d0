"""The session without a screen: intents in, frames out, checked against the lecture's numbers
and hand numpy (house_prices: predictions 5.8 / 6.7 / 7.3, MAE 1.7 / 3 = 0.567)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from dltui.words.errors import error_text

from dltui.engine import open_scenario
from dltui.engine.frame import Needs
from dltui.engine.intents import (Advance, Back, ChangeSetup, Edit, Export, Play, Reset, Save, SelectRun,
                                  SetRate, Show, Step)
from dltui.engine.session import Session

X = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]])     # the lecture's house table
Y = np.array([6.0, 7.0, 8.5])
W, B, LR = np.array([0.1, 0.3, 4.0]), 0.5, 0.0001


def weights(frame):
    layer = frame.snapshot.layers[0]
    return np.append(layer.weight[0], layer.bias)


@pytest.fixture(scope="module")
def house():
    return open_scenario("house_prices")


def test_phases_answer_with_the_lecture_first_step(house):
    session = Session(house)
    first = session.handle(Show())
    assert first.snapshot.step == 0 and first.changed == {"state", "setup", "rows", "run"}
    for row in range(3):                                     # forward, one row per intent
        frame = session.handle(Advance())
        assert frame.snapshot.phase.value == "forward" and frame.snapshot.row == row and "state" in frame.changed
    predictions = X @ W + B
    assert predictions.tolist() == pytest.approx([5.8, 6.7, 7.3], abs=1e-12)
    assert frame.snapshot.predictions[:, 0].tolist() == pytest.approx(predictions.tolist(), abs=1e-12)
    frame = session.handle(Advance())
    assert frame.snapshot.phase.value == "loss"
    assert frame.snapshot.loss == pytest.approx(np.abs(Y - predictions).mean(), abs=1e-12)
    assert round(frame.snapshot.loss, 3) == 0.567
    frame = session.handle(Advance())
    grad = (np.sign(predictions - Y)[:, None] * X).mean(axis=0)            # MAE: mean sign(p − y)·x
    assert frame.snapshot.layers[0].weight_grad[0].tolist() == pytest.approx(grad.tolist(), abs=1e-12)
    frame = session.handle(Advance())
    assert frame.snapshot.step == 1
    b_grad = np.sign(predictions - Y).mean()
    assert weights(frame).tolist() == pytest.approx((np.append(W, B) - LR * np.append(grad, b_grad)).tolist(),
                                                    abs=1e-15)


def test_a_step_back_and_reset_and_what_changed(house):
    session = Session(house)
    start = session.handle(Show())
    refused = session.handle(Back())                       # nothing to go back to: a notice, no change
    assert refused.notice.key == "notify.start" and refused.changed == frozenset()
    two = [session.handle(Step()) for _ in range(2)][-1]
    assert two.snapshot.step == 2 and not two.at_beginning
    back = session.handle(Back())
    assert back.snapshot.step == 1 and back.changed == {"state"}
    again = session.handle(Step())
    assert weights(again).tolist() == weights(two).tolist()          # bit for bit
    reset = session.handle(Reset())
    assert reset.notice.key == "notify.reset" and reset.at_beginning
    assert weights(reset).tolist() == weights(start).tolist()


def test_rate_changes_say_what_they_did(house):
    session = Session(house)
    half = session.handle(SetRate(0.5))
    assert half.snapshot.learning_rate == LR / 2
    assert half.notice.key == "notify.lr" and half.notice.values["lr"] == "0.00005"
    refused = session.handle(SetRate(0.0))                # a rate of 0: refused, the rate stays
    assert refused.notice.key == "notify.lr_limit" and refused.notice.level == "warning"
    assert refused.notice.values["how"] == "lr.halved" and refused.snapshot.learning_rate == LR / 2
    assert session.handle(Reset()).snapshot.learning_rate == LR


def test_an_edit_re_evaluates_and_back_undoes_it(house):
    session = Session(house)
    frame = session.handle(Edit((0, "w", 0, 0), 0.2))      # w1: 0.1 → 0.2
    w = W.copy()
    w[0] = 0.2
    assert frame.snapshot.predictions[:, 0].tolist() == pytest.approx((X @ w + B).tolist(), abs=1e-12)
    assert frame.snapshot.loss == pytest.approx(np.abs(Y - (X @ w + B)).mean(), abs=1e-12)
    assert frame.notice.key == "edit.done" and frame.notice.values["name"] == "w1"
    assert (frame.notice.values["old"], frame.notice.values["new"]) == ("0.1", "0.2")
    bad = session.handle(Edit((0, "w", 0, 7), 1.0))        # no input 8: refused in words, nothing changed
    assert bad.notice.key is None and "no input 8" in str(bad.notice.values["error"]) and bad.changed == frozenset()
    assert weights(session.handle(Back())).tolist() == pytest.approx([0.1, 0.3, 4.0, 0.5])


def test_frames_carry_what_the_panes_need(house):
    session = Session(house)
    bare = session.handle(Show())
    assert bare.loss is None and bare.path is None and bare.graph is None and bare.gradient is None
    session.handle(Step())
    full = session.handle(Show(), Needs(loss_points=40, path=True, gradient_of=(0, "w", 0, 0)))
    steps, losses = full.loss
    assert list(steps) == [0, 1] and losses[0] == pytest.approx(1.7 / 3, abs=1e-12)
    assert full.path.shape == (2, 4) and full.path[0].tolist() == pytest.approx([0.1, 0.3, 4.0, 0.5])
    # the edit bar's advice: ∂MAE/∂w1 at step 1's weights, by hand
    w = weights(full)
    p = X @ w[:3] + w[3]
    assert full.gradient == pytest.approx((np.sign(p - Y) * X[:, 0]).mean(), abs=1e-12)


def test_play_runs_while_the_screen_plays_and_not_after(house):
    session = Session(house)
    assert session.handle(Play(10, 5.0)).snapshot.step == 10
    assert session.handle(Play(10, 5.0, going=lambda: False)) is None      # paused: nothing ran
    assert session.handle(Show()).snapshot.step == 10


def test_a_key_and_play_never_interleave_a_step(house):
    """The play worker and a key from another thread: each intent runs whole under the lock
    (stepping here: a play process steps ahead between frames, so its counts are its own test's)."""
    session = Session(house, play_apart=False)
    done = []
    player = threading.Thread(target=lambda: done.extend(session.handle(Play(50, 5.0)) for _ in range(20)))
    player.start()
    backs = [session.handle(Back()) for _ in range(20)]
    player.join()
    final = session.handle(Show()).snapshot.step
    assert final == 20 * 50 - sum(1 for f in backs if f.notice is None)
    assert all(f.snapshot.phase.value == "start" for f in backs)


def test_a_setup_change_is_refused_in_words_or_continues(house):
    session = Session(house)
    session.handle(Step())
    bad = session.handle(ChangeSetup({"train.loss": "nope"}))
    assert bad.notice.key is None and bad.notice.level == "error" and bad.notice.values["error"].key == "train.loss"
    assert "train.loss" in error_text(bad.notice.values["error"], "ko")      # said in words, in the reader's language
    assert bad.changed == frozenset()
    good = session.handle(ChangeSetup({"train.loss": "mse"}))
    assert good.notice.key == "settings.applied" and {"state", "setup"} <= good.changed
    assert good.setup.train.loss == "mse" and good.snapshot.step == 1
    assert good.snapshot.loss == pytest.approx(((Y - (X @ weights(good)[:3] + weights(good)[3])) ** 2).mean())


def test_a_comparison_steps_every_run_and_follows_the_selected_one():
    session = Session(open_scenario("momentum"))
    session.handle(Step())
    frame = session.handle(Step())
    assert frame.comparison and [s.step for s in frame.snapshots] == [2, 2, 2] and frame.selected == 0
    picked = session.handle(SelectRun())
    assert picked.selected == 1 and {"state", "setup", "run"} <= picked.changed
    assert picked.snapshot is picked.snapshots[1] and picked.notice.values["n"] == 2
    assert session.handle(SelectRun(7)).selected == 1                       # no run 8: nothing
    halved = session.handle(SetRate(0.5))
    assert halved.notice.key == "notify.lr_run"
    assert [s.learning_rate for s in halved.snapshots] == [0.035, 0.0175, 0.3]
    refused = session.handle(Edit((0, "w", 0, 0), 1.0))    # one run's edit would put them out of step
    assert refused.notice.key == "edit.comparison" and refused.changed == frozenset()
    back = session.handle(Back())
    assert [s.step for s in back.snapshots] == [1, 1, 1]


def test_save_writes_the_setup_now_and_export_gives_the_journal(house, tmp_path):
    from dltui.engine import load_scenario

    session = Session(house)
    stepped = session.handle(Step())
    saved = session.handle(Save(tmp_path)).saved
    assert saved.path.parent == tmp_path and saved.path.name == saved.name
    again = load_scenario(saved.path)
    assert np.array(again.layers[0].weight).tolist() == [weights(stepped)[:3].tolist()]
    text = session.handle(Save()).saved
    assert text.path is None and text.name == saved.name and "[[model.layers]]" in text.text
    export = session.handle(Export()).export
    [(name, journal)] = export.journals
    assert export.step == 1 and name is None and list(journal[0].learning_rates) == [LR, LR]


@pytest.mark.slow
async def test_play_posts_the_sessions_frames_and_none_after_pause():
    """The app through real keys and its messages (`message_hook`): play's worker posts the
    session's frames, steps rising; `]` doubles the rate and play goes on; once `p` pauses, no
    frame is shown and no step runs."""
    from tui_helpers import make_app, status_text, wait_ready, wait_until
    from dltui.tui.frames import FrameReady

    posted = []
    app = make_app()
    async with app.run_test(size=(120, 36), message_hook=lambda m: posted.append(m)) as pilot:
        await wait_ready(pilot)
        await pilot.press("plus", "plus", "plus", "p")               # 100 steps a second
        await wait_until(pilot, lambda: app.snapshot.step >= 10)
        await pilot.press("right_square_bracket")                     # a rate change does not pause play
        assert app.playing and app.frame.snapshot.learning_rate == 2 * LR
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        steps = [m.frame.snapshot.step for m in posted if isinstance(m, FrameReady)]
        assert len(steps) >= 2 and steps == sorted(steps) and steps[0] >= 1
        stopped = app.snapshot.step
        assert stopped >= steps[-1] and f"step {stopped}" in status_text(app)
        count = len(steps)
        await pilot.pause(0.2)
        assert app.snapshot.step == stopped and len([m for m in posted if isinstance(m, FrameReady)]) == count
