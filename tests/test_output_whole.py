"""Nothing half-written (issue 27, item 11): `dltui run --out DIR` and the export key build a run's
files in a staging folder beside DIR and rename it in one step. A full disk, a read-only folder,
`--out` on a file or `kill -9` midway leave DIR as it was (the previous run whole, or nothing), say
so in one line and exit 2; a killed run's staging folder is removed by the next run beside it."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from marks import slow_beyond
from cli_inprocess import run_cli

DLTUI = shutil.which("dltui", path=str(Path(sys.executable).parent)) or "dltui"
RUN = ["history.csv", "history.json", "scenario.toml", "screen.svg"]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def previous_run(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A complete 1-step run in tmp_path/run, and its bytes."""
    out = tmp_path / "run"
    assert run_cli("run", "house_prices", "--steps", "1", "--format", "json", "--out", out).returncode == 0
    return out, files_of(out)


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name != "run")


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_a_second_run_replaces_the_first_whole(tmp_path):
    out, first = previous_run(tmp_path)
    result = run_cli("run", "house_prices", "--steps", "3", "--format", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(files_of(out)) == RUN and files_of(out) != first
    saved = json.loads((out / "history.json").read_text(encoding="utf-8"))
    assert saved == json.loads(result.stdout) and saved["steps"][-1]["step"] == 3
    assert (out / "scenario.toml").read_text(encoding="utf-8").startswith("# house_prices after 3 steps")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("lang, words", [("en", "the disk is full; nothing half-written was left"),
                                         ("ko", "디스크가 가득 찼습니다. 아무 파일도 반쯤 쓰인 채 남지 않았습니다")],
                         ids=["en", "ko"])
@pytest.mark.parametrize("where", slow_beyond(["screen", "history"], fast=["history"]))
def test_a_full_disk_leaves_the_previous_run_whole(tmp_path, monkeypatch, lang, words, where):
    """The issue's run: screen.svg truncated, scenario.toml.partial left, exit 1. Now the disk
    fills half-way through a file and the folder still holds the previous run, byte for byte."""
    from textual.app import App

    from dltui.engine.export import JsonWriter

    out, before = previous_run(tmp_path)

    def disk_full():
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "screen":      # a truncated SVG is on disk when the disk fills
        def truncated_svg(self, filename=None, path=None, time_format=None):
            Path(path, filename).write_text("<svg><text>half", encoding="utf-8")
            disk_full()
        monkeypatch.setattr(App, "save_screenshot", truncated_svg)
    else:                      # the history fills the disk at its third step
        real = JsonWriter.add

        def add(self, record):
            real(self, record)
            if record["step"] == 2:
                disk_full()
        monkeypatch.setattr(JsonWriter, "add", add)
    result = run_cli("run", "house_prices", "--steps", "5", "--out", out, "--lang", lang)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line == f"dltui: {_said(lang, out, words)}"
    assert files_of(out) == before
    assert leftovers(tmp_path) == []


def _said(lang: str, out: Path, words: str) -> str:
    return f"{out}에 저장하지 못했습니다: {words}" if lang == "ko" else f"cannot write to {out}: {words}"


def test_out_on_a_file_is_refused_before_training(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    result = run_cli("run", "house_prices", "--steps", "2", "--out", target, "--lang", "en")
    assert result.returncode == 2 and result.stdout == ""
    assert one_line(result.stderr) == f"dltui: {target} is a file, not a folder; give a new folder's name"
    assert target.read_text(encoding="utf-8") == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    """`--out ~` must not delete the home folder: only a folder of dltui's own files is replaced."""
    (tmp_path / "thesis.docx").write_text("years of work", encoding="utf-8")
    (tmp_path / "history.json").write_text("{}", encoding="utf-8")
    result = run_cli("run", "house_prices", "--steps", "2", "--out", tmp_path, "--lang", "ko")
    assert result.returncode == 2 and result.stdout == ""
    assert one_line(result.stderr) == (f"dltui: {tmp_path}에 dltui가 쓰지 않은 파일이 있습니다 (thesis.docx). "
                                       f"새 폴더나 빈 폴더를 주세요")
    assert (tmp_path / "thesis.docx").read_text(encoding="utf-8") == "years of work"
    assert (tmp_path / "history.json").read_text(encoding="utf-8") == "{}"


@pytest.mark.slow
def test_an_empty_folder_and_an_old_version_leftovers_are_fine(tmp_path):
    """An empty folder becomes the run; so does one of an older version's run with its kill's leftovers."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("run", "xor", "--steps", "2", "--out", empty).returncode == 0
    old = tmp_path / "old"
    old.mkdir()
    for name in ("history.json", ".history.json.4242.tmp", "scenario.toml.partial"):
        (old / name).write_text("x", encoding="utf-8")
    assert run_cli("run", "xor", "--steps", "2", "--out", old).returncode == 0
    assert sorted(files_of(empty)) == sorted(files_of(old)) == RUN


def _read_only(folder: Path) -> list[str]:
    """A command prefix under which `folder` cannot be written: a read-only bind mount when we are
    root (permissions do not stop root), else the folder's write bit taken away."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: no way to make a read-only folder")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind -o ro '{folder}' '{folder}'"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"running as root and cannot mount read-only: {probe.stderr.strip()}")
    return ["unshare", "-m", "sh", "-c", f"mount --bind -o ro '{folder}' '{folder}' && exec \"$0\" \"$@\""]


@pytest.mark.slow
def test_a_read_only_folder_says_so_in_one_line(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    out, before = previous_run(folder)
    prefix = _read_only(folder)
    try:
        result = subprocess.run(prefix + [DLTUI, "run", "house_prices", "--steps", "2", "--out", str(out),
                                          "--lang", "en"], capture_output=True, text=True, timeout=120)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2 and result.stdout == ""
    why = "the file system is read-only" if prefix else "no permission to write there"
    assert one_line(result.stderr) == f"dltui: cannot write to {out}: {why}; nothing half-written was left"
    assert files_of(out) == before and sorted(p.name for p in folder.iterdir()) == ["run"]


def _staging(tmp_path: Path) -> list[Path]:
    return list(tmp_path.glob(".run.dltui-*.partial"))


@pytest.mark.slow
@pytest.mark.parametrize("when", ["history", "screen"])
def test_kill_9_midway_leaves_the_previous_run_and_the_next_run_cleans_up(tmp_path, when):
    """Killed while the history is written (200,000 steps) or while the screen is drawn (history
    done): the folder is the previous run, byte for byte; the next run removes the staging folder."""
    out, before = previous_run(tmp_path)
    steps = "200000" if when == "history" else "3"
    process = subprocess.Popen([DLTUI, "run", "house_prices", "--steps", steps, "--format", "csv",
                                "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        ready = (lambda s: any(s.glob(".history.*.tmp"))) if when == "history" else \
            (lambda s: (s / "history.json").exists())
        while not any(ready(s) for s in _staging(tmp_path)):
            assert process.poll() is None and time.monotonic() < deadline, "no staging folder appeared"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGKILL
    assert files_of(out) == before                  # not a mix of two runs, nothing truncated
    assert len(_staging(tmp_path)) == 1             # the killed run's, until the next run
    result = run_cli("run", "house_prices", "--steps", "2", "--out", out)
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path) == [] and sorted(files_of(out)) == RUN
