"""The warm parent of every session: imports torch, Textual and the app once, then forks a
session per request from the server (copy-on-write, with the import-time objects frozen out of
the garbage collector so that collections do not copy their pages).

Protocol on the SOCK_SEQPACKET socket given as argv[1]: the server sends {"cols", "rows"} with
three file descriptors (the session's stdin, stdout, stderr); the zygote answers {"pid": N}.
One {"ready": ...} message is sent first, once warm.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import socket
import sys
import threading
import traceback

from .session import SessionConfig, die_with_parent, run_session, warm_imports

WARM_APP_SECONDS = 60


def warm(config: SessionConfig) -> None:
    """Import and exercise what a session's first frame and first key need."""
    warm_imports()
    from dltui.engine import open_scenario
    from dltui.engine.train.trainer import Trainer

    scenario = open_scenario(config.scenario)
    trainer = Trainer(scenario)
    trainer.snapshot()
    trainer.step()
    trainer.snapshot()
    try:
        asyncio.run(asyncio.wait_for(_exercise_app(config), WARM_APP_SECONDS))
    except Exception as exc:  # warming is an optimisation: sessions work without it, only slower
        print(f"dltui serve: warming the app failed ({exc!r}); sessions will start slower",
              file=sys.stderr)
    for thread in threading.enumerate():   # the app's workers end with it; fork with one thread
        if thread is not threading.main_thread():
            thread.join(timeout=5)
    gc.collect()
    gc.freeze()


async def _exercise_app(config: SessionConfig) -> None:
    """One headless run of the app, so every session starts with Textual's caches and lazy
    imports (widgets, CSS, the picture code) already in the shared parent."""
    from dltui.engine import open_scenario
    from dltui.tui.app import DltuiApp

    from dltui.tui.served import Served

    app = DltuiApp(open_scenario(config.scenario), config.lang)
    app.served = Served()
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(600):
            if app.session is not None:
                break
            await asyncio.sleep(0.05)
        for key in ("space", "full_stop", "v", "v", "o", "escape", "question_mark", "escape"):
            await pilot.press(key)
        await pilot.pause()


def serve_forks(control: socket.socket, config: SessionConfig) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # sessions are reaped by the kernel
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 4096, 3)
        except OSError:
            return
        if not message:
            return                                   # the server has gone
        request = json.loads(message)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.setsid()
                die_with_parent()
                for target, fd in enumerate(fds):
                    os.dup2(fd, target)
                    os.close(fd)
                code = run_session(config, (int(request["cols"]), int(request["rows"])))
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    control = socket.socket(fileno=int(argv[0]))
    config = SessionConfig.from_json(argv[1])
    die_with_parent()
    warm(config)
    threads = threading.active_count()
    control.send(json.dumps({"ready": True, "threads": threads}).encode())
    serve_forks(control, config)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
