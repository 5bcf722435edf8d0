"""The app's served mode (`dltui serve`): what a browser session may open, and exports as downloads.

A served session runs on the teacher's machine for a student's browser, so it must not read or
write anything on that machine beyond what the teacher offered:
- the open dialog lists the bundled scenarios and the .toml files of one folder (`--scenarios
  DIR`), nothing else; a file is offered only when it is a regular file inside that folder after
  symlinks are resolved, and small enough; a scenario's `data.csv` must be too;
- messages name only the offered file, never a server path nor what exists elsewhere;
- exports (and anything else the app saves) go to the student's browser as a download
  (`App.deliver_binary`), size-capped, never onto the server's disk.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dltui.engine import Scenario, ScenarioError, bundled_titles, open_scenario
from dltui.engine.load.compare import comparison_runs, run_documents
from dltui.engine.load.scenario import parse_scenario
from dltui.engine.load.toml_error import toml_error_values
from dltui.words import t

FOLDER_PREFIX = "folder:"     # option ids for the teacher's files; bundled ones are bare names

WORDS = {"open.folder": "served.folder", "open.unavailable": "served.unavailable",
         "open.too_big": "served.too_big", "download.started": "served.download",
         "download.too_big": "served.download_too_big"}


def word(key: str, lang: str, **values: object) -> str:
    return t(WORDS[key], lang, **values)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@dataclass(frozen=True)
class Served:
    """The limits of one served session; `None` in place of this means the app runs locally."""

    scenarios_dir: Path | None = None
    max_file_bytes: int = 2_000_000        # a scenario .toml or its CSV
    max_download_bytes: int = 50_000_000   # one export, zipped

    def folder(self) -> Path | None:
        if self.scenarios_dir is None:
            return None
        try:
            folder = Path(self.scenarios_dir).resolve(strict=True)
        except OSError:
            return None
        return folder if folder.is_dir() else None

    def problem(self, error: ScenarioError, lang: str) -> str:
        """A ScenarioError as a tab may read it: the key and the problem in `lang`, with no server
        path (not the lesson's file, not its folder, not any other)."""
        from dltui.words.errors import problem_text

        problem = _without(problem_text(error, lang), self.folder())
        return f"{error.key}: {problem}" if error.key else problem

    # ------------------------------------------------------------------ the open dialog

    def choices(self) -> list[tuple[str, str]]:
        """(option id, label): bundled scenarios, then the teacher's files that can be offered."""
        return [(name, f"{name:<26} {title}") for name, title in bundled_titles()] + self.folder_choices()

    def options(self, lang: str) -> list:
        """The teacher's files as OptionList options under their own heading (none: no heading)."""
        from textual.widgets.option_list import Option

        files = self.folder_choices()
        if not files:
            return []
        return [Option(f"━━ {word('open.folder', lang)}", id="heading-folder", disabled=True)] + \
            [Option(f"   {label}", id=key) for key, label in files]

    def folder_choices(self) -> list[tuple[str, str]]:
        """(option id, label) of the teacher's files that can be offered."""
        out: list[tuple[str, str]] = []
        folder = self.folder()
        if folder is None:
            return out
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return out
        for entry in entries[:500]:
            path = self._inside(folder, entry.name) if entry.name.endswith(".toml") else None
            if path is None or path.stat().st_size > self.max_file_bytes:
                continue
            out.append((FOLDER_PREFIX + entry.name, f"{entry.name:<26} {_title(path)}"))
        return out

    def open(self, choice: str) -> Scenario:
        """The scenario behind an option id; `ScenarioError` that names only the offered file."""
        if not choice.startswith(FOLDER_PREFIX):
            if choice not in {name for name, _ in bundled_titles()}:
                raise ScenarioError(choice, "", "served.unavailable")
            return open_scenario(choice)
        name = choice[len(FOLDER_PREFIX):]
        folder = self.folder()
        path = None if folder is None else self._inside(folder, name)
        if path is None:
            raise ScenarioError(name, "", "served.unavailable")
        try:
            raw = self._read(folder, name)
        except _TooBig:
            raise ScenarioError(name, "", "served.too_big", limit=megabytes(self.max_file_bytes)) from None
        except OSError:
            raise ScenarioError(name, "", "served.unavailable") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(name, "", "file.not_utf8", byte=exc.start + 1) from None
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(name, "", "toml.syntax", **toml_error_values(exc, text)) from None
        try:
            for index, merged in enumerate([document] + run_documents(document)):
                self._check_csv(folder, name, merged, f"compare[{index}]." if index else "")
            scenario = parse_scenario(document, path)
            comparison_runs(scenario)   # each run reads its own data.csv: errors said here, path-free
            return scenario
        except ScenarioError as exc:   # the teacher's file is broken: say how, without server paths
            values = {k: _without(v, folder) if isinstance(v, str) else v for k, v in exc.values.items()}
            raise ScenarioError(name, exc.key, exc.code, **values) from None
        except (RecursionError, ValueError) as exc:
            raise ScenarioError(name, "", "served.unavailable") from exc

    def _check_csv(self, folder: Path, name: str, document: dict, where: str) -> None:
        """The data.csv a document (the base file or one [[compare]] run) reads must be a small
        regular file inside the folder."""
        data = document.get("data")
        csv = data.get("csv") if isinstance(data, dict) else None
        if not isinstance(csv, str):
            return
        if self._inside(folder, csv) is None:
            raise ScenarioError(name, f"{where}data.csv", "served.unavailable")
        try:
            self._read(folder, csv)
        except _TooBig:
            raise ScenarioError(name, f"{where}data.csv", "served.too_big",
                                limit=megabytes(self.max_file_bytes)) from None
        except OSError:
            raise ScenarioError(name, f"{where}data.csv", "served.unavailable") from None

    def _inside(self, folder: Path, name: str) -> Path | None:
        """`folder/name` with symlinks resolved, if it is a small regular file inside `folder`."""
        if not name or "\x00" in name or Path(name).is_absolute():
            return None
        try:
            path = (folder / name).resolve(strict=True)
            info = path.stat()
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_relative_to(folder) or not stat.S_ISREG(info.st_mode):
            return None
        return path

    def _read(self, folder: Path, name: str) -> bytes:
        """The file's bytes, never more than the cap; no device, fifo or file outside `folder`."""
        path = self._inside(folder, name)
        if path is None:
            raise FileNotFoundError(name)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FileNotFoundError(name)
            with os.fdopen(fd, "rb", closefd=False) as handle:
                raw = handle.read(self.max_file_bytes + 1)
        finally:
            os.close(fd)
        if len(raw) > self.max_file_bytes:
            raise _TooBig(name)
        return raw

    # ------------------------------------------------------------------ downloads

    def pack(self, files: dict[str, bytes]) -> bytes:
        """One zip of `files`; `_TooBig` past the download cap (counted before and after zipping)."""
        if sum(len(b) for b in files.values()) > self.max_download_bytes * 20:
            raise _TooBig("export")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
                if buffer.tell() > self.max_download_bytes:
                    raise _TooBig("export")
        return buffer.getvalue()


_TITLE = re.compile(r'^title\s*=\s*"((?:[^"\\\n]|\\.){0,200})"', re.MULTILINE)


def _title(path: Path) -> str:
    """The `title = "⋯"` line near the top of a file, without parsing all of it (the dialog
    lists every file each time it opens)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(8192).decode("utf-8", "replace")
    except OSError:
        return ""
    found = _TITLE.search(head)
    if found is None:
        return ""
    try:
        return str(tomllib.loads(f'title = "{found.group(1)}"')["title"])
    except tomllib.TOMLDecodeError:
        return ""


def _without(problem: str, folder: Path | None) -> str:
    """A problem with every server path taken out: the folder's (a file in it is named by its
    name) and any other absolute path."""
    if folder is not None:
        problem = problem.replace(str(folder) + os.sep, "")
    return re.sub(r"(?<![\w.])/[^\s,;:)'\"]+", "⋯", problem)


class _TooBig(OSError):
    pass


TooBig = _TooBig


def deliver_export(app, scenario: Scenario, journals, svg: str, scenario_toml: str | None = None) -> None:
    """The export key in a served session: history.json and history.csv of every run (a
    comparison's in one folder per run, as a local export), screen.svg, scenario.toml and
    notebook.ipynb (with the CSV it reads) as one zip download in the student's browser, built in
    memory in a thread. A long run is thinned to every k-th step exactly as a local export is (the
    files say so), to fit the download cap. `journals` (Run.journals) replay hand edits and setup
    changes too."""
    served: Served = app.served
    last = journals[0][1][-1].start + len(journals[0][1][-1].learning_rates) - 1
    name = f"{scenario.name}-step{last}.zip"
    limit = served.max_download_bytes
    quiz = None
    if app.quiz.log:   # quiz.json, as a local export has it (tui/quiz.py)
        quiz = json.dumps({"right": app.quiz.right, "asked": app.quiz.asked, "questions": app.quiz.log},
                          ensure_ascii=False, indent=1)

    def build() -> None:
        from dltui.engine.export import ExportTooBig, history_files

        try:
            files = history_files(journals, budget=limit // 2, max_bytes=limit * 2)
            files["screen.svg"] = svg.encode("utf-8")
            if scenario_toml is not None:
                files["scenario.toml"] = scenario_toml.encode("utf-8")
            if quiz is not None:
                files["quiz.json"] = quiz.encode("utf-8")
            from dltui.cli.notebook import notebook_files
            from dltui.engine.explain.notebook import notebook_steps

            files.update(notebook_files(scenario, notebook_steps(last), app.lang))
            data = served.pack(files)
        except (_TooBig, ExportTooBig):
            app.call_from_thread(app.notify, word("download.too_big", app.lang, size=f"> {megabytes(limit)}",
                                                  limit=megabytes(limit)), severity="error", timeout=8)
            return
        app.call_from_thread(deliver_bytes, app, name, data, "application/zip")

    app.run_worker(build, thread=True, group="export", exit_on_error=False)


def deliver_bytes(app, name: str, data: bytes, mime_type: str = "application/octet-stream") -> None:
    """Send `data` to the browser as a download called `name` (size-capped), and say so."""
    limit = app.served.max_download_bytes
    if len(data) > limit:
        app.notify(word("download.too_big", app.lang, size=megabytes(len(data)), limit=megabytes(limit)),
                   severity="error", timeout=8)
        return
    app.deliver_binary(io.BytesIO(data), save_filename=name, open_method="download", mime_type=mime_type)
    app.notify(word("download.started", app.lang, name=name), timeout=5)

