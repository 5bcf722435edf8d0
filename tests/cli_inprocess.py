"""Run the `dltui` command in this process, as the console script would, and capture its output.

A subprocess costs a fresh interpreter and a fresh torch import (1.5‒5 s on the 2-core machine);
in-process, a `dltui run` costs the training only. Each command keeps one subprocess smoke test
(tests/test_cli.py) that proves the installed console script works end to end.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str | os.PathLike, cwd: Path | None = None) -> Result:
    """`dltui ARGS⋯` in-process: exit status, stdout and stderr, like `subprocess.run(text=True)`."""
    from dltui.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:       # argparse: --help, bad options
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
                if isinstance(exc.code, str):
                    print(exc.code, file=err)
    finally:
        os.chdir(previous)
    return Result(int(code or 0), out.getvalue(), err.getvalue())
