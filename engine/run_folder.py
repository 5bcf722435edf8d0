"""A run's files appear all at once, or not at all.

`dltui run --out DIR` and the export key write every file of a run (history, screen, scenario,
notebook) into a hidden staging folder beside DIR, then rename that folder to DIR in one step.
A full disk, Ctrl-C or `kill -9` midway leaves DIR as it was (the previous run whole, or no
folder), never a mix of two runs or a truncated file under a real name. A staging folder left
by a killed process is removed the next time a run writes beside it.

Only a folder of dltui's own files is replaced; a folder holding anything else is refused
(OutputError), so `--out ~` cannot delete a user's files.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

# What a run writes, and what older versions left behind after a kill (.history.json.123.tmp,
# scenario.toml.partial): a folder holding only these may be replaced by a new run.
RUN_FILES = frozenset({"history.json", "history.csv", "screen.svg", "scenario.toml", "notebook.ipynb",
                       "quiz.json"})
_LEFTOVER = re.compile(r"\..+\.\d+\.tmp|.+\.partial")
_STAGING = re.compile(r"\..+\.dltui-(\d+)\.(?:partial|old)")


class OutputError(Exception):
    """A run's files cannot be written: `code` says why (words/output.py says it to people),
    `folder` is the folder asked for, `why` the system's reason (an OSError) if there is one."""

    def __init__(self, code: str, folder: Path, why: OSError | None = None, names: tuple[str, ...] = ()):
        super().__init__(f"{code}: {folder}" + (f": {why}" if why else ""))
        self.code, self.folder, self.why, self.names = code, folder, why, names


class RunFolder:
    """Files written into `.folder` (hidden, beside `target`) become `target` on `commit()`.

    A context manager: leaving it without a commit (an error, Ctrl-C) removes the staging folder.
    Every OSError is raised as OutputError naming `target`."""

    def __init__(self, target: Path):
        self.target = Path(os.path.abspath(target))
        _check_target(self.target)
        parent = self.target.parent
        self.folder = parent / f".{self.target.name}.dltui-{os.getpid()}.partial"
        try:
            parent.mkdir(parents=True, exist_ok=True)
            remove_stale(parent)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir()
        except OSError as exc:
            raise OutputError("cannot_write", self.target, exc) from exc

    def commit(self) -> list[Path]:
        """Rename the staging folder to `target` (replacing a previous run's folder); the files'
        final paths."""
        try:
            names = sorted(p.name for p in self.folder.iterdir())
            for name in names:   # on disk before the rename makes them visible
                _fsync(self.folder / name)
            _check_target(self.target)
            if self.target.is_dir() and any(self.target.iterdir()):
                old = self.folder.with_name(f".{self.target.name}.dltui-{os.getpid()}.old")
                os.rename(self.target, old)
                os.rename(self.folder, self.target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(self.folder, self.target)   # POSIX: onto an empty folder too
        except OSError as exc:
            self.discard()
            raise OutputError("cannot_write", self.target, exc) from exc
        return [self.target / name for name in names]

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "RunFolder":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.discard()


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise OutputError("is_file", target)
    if target.is_dir():
        try:
            foreign = sorted(p.name for p in target.iterdir()
                             if not (p.name in RUN_FILES or _LEFTOVER.fullmatch(p.name)) or p.is_dir())
        except OSError as exc:
            raise OutputError("cannot_write", target, exc) from exc
        if foreign:
            raise OutputError("not_a_run", target, names=tuple(foreign))


def remove_stale(parent: Path) -> None:
    """Staging folders in `parent` whose process is gone (killed midway): removed."""
    for entry in parent.iterdir():
        match = _STAGING.fullmatch(entry.name)
        if match and entry.is_dir() and not entry.is_symlink() and not _alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # someone else's process
        return True
    return True


def _fsync(path: Path) -> None:
    if path.is_file():
        with path.open("rb") as file:
            os.fsync(file.fileno())


def unused_folder(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`, … when a folder of that name exists (two exports in one second)."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}-{number}")
        number += 1
    return candidate
