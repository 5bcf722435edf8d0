"""Play in its own process (issue 23): the session after play is exactly the session that stepped
the same intents in-process ‒ every step of history (going back step by step), the optimizer's
state and the minibatch position (going on after), a comparison's every run ‒ bit for bit; and
the play process ends when play does, when its session is dropped and when its parent dies."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from dltui.engine import open_scenario
from dltui.engine.intents import Back, Pause, Play, Reset, SetRate, Show, Step
from dltui.engine.load.overrides import with_overrides
from dltui.engine.session import Session

XOR_ADAM_MINIBATCH = {"train.optimizer": "adam", "train.batch_size": 2, "train.learning_rate": 0.1}


def numbers(frame) -> np.ndarray:
    """Step, loss and every parameter of every run the frame shows."""
    snapshots = frame.snapshots or [frame.snapshot]
    return np.concatenate([[s.step, s.loss] + [v for layer in s.layers for v in
                                                np.ravel(layer.weight).tolist() + np.ravel(
                                                    [] if layer.bias is None else layer.bias).tolist()]
                           for s in snapshots])


def gone(pid: int) -> bool:
    """No such process, or one that has exited and waits to be reaped by someone else."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return gone(pid)


@pytest.mark.parametrize("setup", [
    lambda: open_scenario("house_prices"),
    lambda: with_overrides(open_scenario("xor"), XOR_ADAM_MINIBATCH),   # Adam, batches of 2
    lambda: open_scenario("momentum"),                                  # a comparison
], ids=["house", "xor-adam-minibatch", "momentum-comparison"])
def test_the_session_after_play_is_the_in_process_session_bit_for_bit(setup):
    """The play process steps ahead between frames, so the in-process session is driven to the
    steps the frames report: the rate change at the step its frame says, the rest up to the pause."""
    apart, here = Session(setup(), play_apart=True), Session(setup(), play_apart=False)
    both = lambda intent: (apart.handle(intent), here.handle(intent))   # noqa: E731
    until = lambda frame: here.handle(Play(frame.snapshot.step - here.handle(Show()).snapshot.step,   # noqa: E731
                                           float("inf")) if frame.snapshot.step > 1 else Show())
    both(Step())
    at = 1
    for chunk in (37, 200, 5):   # each frame: the steps taken ahead since the last, or `chunk` now
        a = apart.handle(Play(chunk, float("inf"), ahead=True))
        assert apart.play_pid not in (None, os.getpid()) and a.snapshot.step > at
        at = a.snapshot.step
    rated = apart.handle(SetRate(0.5))          # goes to the play process; play goes on after it
    until(rated)
    np.testing.assert_array_equal(numbers(rated), numbers(here.handle(SetRate(0.5))))
    apart.handle(Play(60, float("inf"), ahead=True))
    pid = apart.play_pid
    a = apart.handle(Pause())
    assert apart.play_pid is None and wait_gone(pid, 1.0)
    assert a.snapshot.step >= rated.snapshot.step + 60   # a rate change stops stepping ahead: 60 now
    np.testing.assert_array_equal(numbers(a), numbers(until(a)))
    for _ in range(30):                          # history came back whole: back step by step
        a, b = both(Back())
        np.testing.assert_array_equal(numbers(a), numbers(b))
    for _ in range(25):                          # and on again: optimizer state and batch position
        a, b = both(Step())
    np.testing.assert_array_equal(numbers(a), numbers(b))
    a, b = both(Reset())
    assert a.snapshot.step == 0
    np.testing.assert_array_equal(numbers(a), numbers(b))


def test_between_frames_the_play_process_steps_ahead_and_a_fresh_frame_stops_it():
    session = Session(open_scenario("house_prices"), play_apart=True)
    assert session.handle(Play(50, float("inf"), ahead=True)).snapshot.step == 50
    pid = session.play_pid
    time.sleep(0.5)                               # the screen drawing: the copy takes the next 50
    assert session.handle(Play(50, 0.0, ahead=True)).snapshot.step == 100 and session.play_pid == pid
    shown = session.handle(Show()).snapshot.step  # a fresh frame: no stepping ahead after it
    assert 100 <= shown <= 150
    time.sleep(0.3)
    assert session.handle(Show()).snapshot.step == shown and session.play_pid == pid
    assert session.handle(Play(50, 5.0, going=lambda: False)) is None and session.play_pid == pid
    assert session.handle(Back()).snapshot.step == shown - 1 and session.play_pid is None and wait_gone(pid, 1.0)


def test_each_play_frame_shows_the_steps_asked_so_far():
    """Slow speeds ask for 0, 1, 1, 0, 1, 1 … steps a frame (20 a second at 30 frames): the steps
    taken ahead count toward the next frames, never on top of them, so a frame is never more
    steps ahead of what was asked than the most one frame asked for (play once ran at 30 steps/s when asked for 20: a frame
    that found nothing ahead took its steps and then stepped ahead, drifting further each time)."""
    session = Session(open_scenario("house_prices"), play_apart=True)
    asked = [0, 1, 1] * 6 + [3, 0, 0, 2, 5, 1]
    shown = []
    for steps in asked:
        shown.append(session.handle(Play(steps, 5.0, ahead=True)).snapshot.step)
        time.sleep(0.05)                          # the screen drawing: the copy steps ahead meanwhile
    ahead = np.array(shown) - np.cumsum(asked)
    assert (ahead >= 0).all() and (ahead[1:] <= np.maximum.accumulate(asked)[:-1]).all(), \
        (shown, np.cumsum(asked).tolist())
    session.handle(Pause())


def test_a_copy_behind_plays_speed_answers_each_frame_at_once_and_steps_on():
    """At a speed the engine cannot keep up with, each frame shows where the run is at once while
    the copy steps on, rather than holding the screen's frame for its time budget stepping (the
    screen's frames came at most every ≈ 36 ms at top speed: its 31.7 ms budget and the answer)."""
    session = Session(open_scenario("house_prices"), play_apart=True)
    session.handle(Play(10 ** 6, 0.1, ahead=True))
    shown, waits = [], []
    for _ in range(5):
        time.sleep(0.05)                          # the screen drawing
        started = time.perf_counter()
        shown.append(session.handle(Play(10 ** 6, 2.0, ahead=True)).snapshot.step)
        waits.append(time.perf_counter() - started)
    session.handle(Pause())
    assert max(waits) < 1.0, waits
    assert all(a < b for a, b in zip(shown, shown[1:])), shown


def test_a_run_that_diverges_while_the_copy_steps_ahead_answers_with_its_diverged_frame():
    """The copy diverges between two frames: the next frame says so (play's loop stops on it),
    rather than None, which the loop took for a pause and went on 'playing' with nothing shown."""
    session = Session(with_overrides(open_scenario("house_prices_mse"), {"train.learning_rate": 0.01}),
                      play_apart=True)   # diverges at step 115
    assert not session.handle(Play(80, float("inf"), ahead=True)).diverged   # then 80 more ahead
    time.sleep(0.5)
    frame = session.handle(Play(80, float("inf"), ahead=True))
    assert frame is not None and frame.diverged and frame.snapshot.diverged_at == 115
    session.handle(Pause())


def test_one_play_process_at_a_time_and_none_left_by_a_dropped_session():
    session = Session(open_scenario("house_prices"), play_apart=True)
    pids = set()
    for _ in range(3):
        session.handle(Play(10, float("inf")))
        pids.add(session.play_pid)
    assert len(pids) == 1
    pid = pids.pop()
    started = time.monotonic()
    del session
    gc.collect()
    assert gone(pid) and time.monotonic() - started < 1.0


@pytest.mark.slow
def test_the_play_process_ends_the_moment_its_parent_dies():
    script = ("import os, sys\n"
              "from dltui.engine import open_scenario\n"
              "from dltui.engine.intents import Play\n"
              "from dltui.engine.session import Session\n"
              "s = Session(open_scenario('house_prices'), play_apart=True)\n"
              "s.handle(Play(10, 1.0))\n"
              "print(s.play_pid, flush=True)\n"
              "os._exit(0)\n")   # no clean-up of any kind: the pipe closes with the process
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())
    assert parent.wait(timeout=60) == 0
    assert wait_gone(pid, 5.0)


@pytest.mark.slow
async def test_the_screens_play_steps_in_a_process_that_ends_with_pause_and_with_the_app():
    from tui_helpers import make_app, wait_ready, wait_until

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("plus", "plus", "plus", "p")
        await wait_until(pilot, lambda: app.snapshot.step >= 10)
        pid = app.session.play_pid
        assert pid not in (None, os.getpid()) and not gone(pid)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        assert app.session.play_pid is None and wait_gone(pid, 1.0)
        stopped = app.snapshot.step
        await pilot.press("space")          # the run came back: it steps on from where play got to
        await wait_until(pilot, lambda: app.snapshot.step == stopped + 1)
        await pilot.press("p")
        await wait_until(pilot, lambda: app.snapshot.step >= stopped + 10)
        pid = app.session.play_pid
        assert pid is not None
    assert wait_gone(pid, 5.0)               # the app exited while playing


@pytest.mark.slow
async def test_a_play_frame_that_comes_late_asks_for_the_steps_of_all_its_wait():
    """The speed is steps a second of the clock: when each frame takes 0.1 s (a busy screen), the
    top speed asks ≈ a tenth of a second's steps a frame, not a thirtieth's (play slowed to the
    frame rate)."""
    from dltui.tui.app import PLAY_SPEEDS
    from tui_helpers import make_app, wait_ready, wait_until

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        session, asked = app.session, []
        handle = session.handle

        def slow(intent, *rest):
            if isinstance(intent, Play):
                asked.append(intent.steps)
                time.sleep(0.1)
            return handle(intent, *rest)

        session.handle = slow
        await pilot.press(*["plus"] * len(PLAY_SPEEDS), "p")
        await wait_until(pilot, lambda: len(asked) >= 5)
        await pilot.press("p")
        await app.workers.wait_for_complete()
    top = PLAY_SPEEDS[-1]
    assert all(0.1 * top * 0.95 <= steps <= 0.3 * top for steps in asked[1:5]), asked


def test_a_play_process_ends_with_its_session_while_another_session_plays():
    """A second session's copy is forked while the first's pipe is open: it must not keep that
    pipe open (the first copy would never see it close, and its session's end would wait)."""
    import threading

    first, second = (Session(open_scenario("house_prices"), play_apart=True) for _ in range(2))
    first.handle(Play(10, float("inf")))
    second.handle(Play(10, float("inf")))
    pid, other = first.play_pid, second.play_pid
    holder = [first]
    del first
    ended = threading.Thread(target=lambda: (holder.clear(), gc.collect()), daemon=True)
    ended.start()
    ended.join(3.0)
    assert not ended.is_alive() and gone(pid)
    assert not gone(other) and second.handle(Pause()).snapshot.step == 10 and wait_gone(other, 1.0)
