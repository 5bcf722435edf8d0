"""Play in its own process: a forked copy of the session steps the run, the screen's process
only draws.

Stepping and drawing in one interpreter share its GIL, so play reached a fraction of what the
engine alone does. Forking copies the session as it is (its run, history and all) in a few
milliseconds; the copy answers play's intents over a pipe with frames, and when play ends it
sends its whole run back (one pickle), which the session takes as its own: so the session after
play is exactly where the play process got to, bit for bit, history included.

Between two play frames the copy does not wait for the screen (which is drawing, and whose
thread that asks for frames waits for the GIL): it steps on toward the next frame's count and
answers the next ask at once with what it has done; behind the steps asked (the engine slower
than play's speed), it answers at once too and steps on, owing one frame's steps at most, so the
screen's frames never wait for stepping. A fresh frame or a rate change stops that
stepping ahead until play asks again, so what the screen shows after a pause is where the run is.
The copy ends when asked to give the run back, and on its own the moment the pipe closes (the
screen's process exited or dropped it): no orphan outlives the screen. One copy per session at
most (the session holds it).
"""

from __future__ import annotations

import os
import pickle
import signal
import weakref
from multiprocessing.connection import Pipe

from dltui.engine.intents import Show

# what the play process is asked
PLAY, INTENT, GIVE_BACK = "play", "intent", "give back"
AHEAD_CHUNK = 50   # steps between looks at the pipe while stepping ahead (a few ms)

# the play processes of this process's sessions (several in a test run): a new copy closes their pipes
_OPEN: weakref.WeakSet = weakref.WeakSet()


def available() -> bool:
    """Whether this system can fork (not Windows): otherwise play steps in the session's process."""
    return hasattr(os, "fork")


class PlayProcess:
    """A forked copy of `session`, answering `play` and `handle` with its frames."""

    def __init__(self, session) -> None:
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:   # the copy: serve the pipe, then leave without running the parent's exit code
            ours.close()
            for other in list(_OPEN):   # another session's copy must see its pipe close, not this one hold it
                other._conn.close()
            code = 0
            try:
                _serve(session, theirs)
            except BaseException:   # noqa: BLE001 ‒ whatever happened, the copy must not live on
                code = 1
            os._exit(code)
        theirs.close()
        self.pid = pid
        self._conn = ours
        # a session dropped while playing (a test, a closed tab) still ends and reaps its copy
        self._finalizer = weakref.finalize(self, _end, ours, pid)
        _OPEN.add(self)

    def play(self, steps: int, seconds: float, needs, ahead: bool):
        """The copy's frame: the steps it took ahead since the last one, or (none taken) up to
        `steps` within `seconds` now; then (`ahead`) it steps ahead up to `steps` more."""
        return self._ask((PLAY, steps, seconds, needs, ahead))

    def handle(self, intent, needs):
        """An intent that play goes on after (a rate change, a fresh frame)."""
        return self._ask((INTENT, intent, needs))

    def give_back(self) -> tuple:
        """End the copy; the state it reached: (run, the session's last frame's parts)."""
        try:
            self._conn.send((GIVE_BACK,))
            answer = pickle.loads(self._conn.recv_bytes())
        finally:
            _OPEN.discard(self)
            self._finalizer()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def _ask(self, message):
        self._conn.send(message)
        answer = self._conn.recv()
        if isinstance(answer, BaseException):
            raise answer
        return answer


def _serve(session, conn) -> None:
    """The copy's loop: step and answer until asked for the run back or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is the screen's to handle
    quiet = os.open(os.devnull, os.O_RDWR)          # the terminal (or a server's pipe) is not the copy's:
    for fd in (0, 1, 2):                            # holding it open would keep its readers waiting
        os.dup2(quiet, fd)
    os.close(quiet)
    session.become_play_process()
    ahead = 0     # steps still to take before the next ask (0: wait to be asked)
    balance = 0   # steps taken less steps asked: ahead of play's frames (> 0) or behind them (< 0)
    since = 0     # steps taken since the last answer
    while True:
        if ahead and not conn.poll():
            done = session.run_here(min(AHEAD_CHUNK, ahead))
            balance += done
            since += done
            ahead = ahead - done if done else 0   # none done: diverged, nothing more to take
            continue
        try:
            message = conn.recv()
        except (EOFError, OSError):   # the screen's process is gone
            return
        kind = message[0]
        if kind == GIVE_BACK:
            conn.send_bytes(pickle.dumps(session.handed_back(), protocol=pickle.HIGHEST_PROTOCOL))
            return
        try:
            if kind == PLAY:   # what was taken ahead counts toward this frame's steps, never twice
                steps, seconds, needs, go_on = message[1:]
                balance -= steps
                if go_on and ahead and since:   # behind play's frames, still stepping: this one shows
                    balance = max(balance, -steps)   # where the run is at once, its steps (one frame's at most) owed
                    answer = session.handle(Show(), needs)
                else:   # this frame takes the rest of its own steps first; a diverged run takes none,
                    taken = session.play_here(-balance, seconds, needs) if balance < 0 else None
                    answer = taken or session.handle(Show(), needs)   # and its frame says so
                    balance = max(balance, 0)
                ahead = max(0, steps - balance) if go_on else 0   # on to one frame ahead of the frames asked
            else:
                answer = session.handle(*message[1:])
                ahead = balance = 0
        except Exception as exc:   # noqa: BLE001 ‒ said on screen by the worker that asked
            answer, ahead, balance = exc, 0, 0
        since = 0
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


def _end(conn, pid: int) -> None:
    """Close the pipe (the copy leaves at once when it reads the end) and reap the copy."""
    conn.close()
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
