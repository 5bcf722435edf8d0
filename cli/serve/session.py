"""One browser tab's dltui: the app on Textual's web driver, in served mode, with its limits.

Runs in a process forked from the warm parent (serve/zygote.py), or, as a fallback, as
`python -m dltui.cli.serve.session CONFIG_JSON` started by the server.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

WEB_ENVIRONMENT = {
    "TEXTUAL_DRIVER": "dltui.cli.serve.driver:LanguageDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
    # one torch thread per session: 60 sessions share 2 cores, and no thread pool crosses a fork
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class SessionConfig:
    """What every session of one `dltui serve` shares (sent to a session as JSON)."""

    scenario: str                      # resolved path of the scenario the tab opens on
    lang: str | None = None
    scenarios_dir: str | None = None
    max_file_bytes: int = 2_000_000
    max_download_bytes: int = 50_000_000
    memory_bytes: int = 0              # the server's cap on a session's own memory (0: none)
    extra_env: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, text: str) -> "SessionConfig":
        return cls(**json.loads(text))


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, so no session outlives the server."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def limit_memory(limit: int) -> None:
    """A hard ceiling on this process's address space: a session that runs away faster than the
    server's memory watch looks gets MemoryError (and ends) instead of taking the machine down."""
    if limit <= 0 or limit - address_space() <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def address_space() -> int:
    """This process's virtual size in bytes (VmSize)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def warm_imports() -> None:
    """What every session needs, imported (and set up) once in the parent of all sessions."""
    import torch

    torch.set_num_threads(1)
    import dltui.cli.serve.driver  # noqa: F401
    import dltui.tui.app  # noqa: F401
    import dltui.tui.served  # noqa: F401
    from dltui.engine import bundled_titles

    bundled_titles()


def run_session(config: SessionConfig, size: tuple[int, int] | None = None) -> int:
    """Run the app for one tab on stdin/stdout (textual-serve's packet protocol) until it ends."""
    from dltui.engine import ScenarioError, open_scenario
    from dltui.tui.app import DltuiApp
    from dltui.tui.served import Served
    from .driver import LanguageDriver

    if size is not None:
        os.environ["COLUMNS"], os.environ["ROWS"] = str(size[0]), str(size[1])
    try:
        scenario = open_scenario(config.scenario)
    except ScenarioError as exc:   # checked when the server started; the file changed since
        from dltui.words import default_language
        from dltui.words.errors import scenario_error_text

        print(f"dltui: {scenario_error_text(exc, config.lang or default_language())}", file=sys.stderr)
        return 2
    app = DltuiApp(scenario, config.lang)
    app.served = Served(Path(config.scenarios_dir) if config.scenarios_dir else None,
                        config.max_file_bytes, config.max_download_bytes)
    app.driver_class = LanguageDriver
    if config.memory_bytes > 0:   # a backstop under the server's watch: room for 2× the cap
        limit_memory(address_space() + 2 * config.memory_bytes)
    app.run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    config = SessionConfig.from_json(argv[0])
    die_with_parent()
    os.environ.update(WEB_ENVIRONMENT)
    return run_session(config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
