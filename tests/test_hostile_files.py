"""Hostile files given to `dltui check` / `run`: devices, pipes, huge and sparse files, deep
nesting, giant numbers, a million inline rows, escape sequences and markup in names.

Each answer is one clear line and exit 2, at once: no hang, no traceback, no unbounded read, no
raw control character on the terminal, no content of a file that is not the scenario's table.
Devices and pipes run in a subprocess with a time limit and a memory cap, so a regression fails
instead of hanging the suite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_inprocess import run_cli  # noqa: E402
from house_file import house_file  # noqa: E402

DLTUI = str(Path(sys.executable).parent / "dltui")
MEMORY_CAP = 1 << 30   # a command that reads /dev/zero without a cap dies here instead of the machine


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP * 3, MEMORY_CAP * 3))


def dltui(*args, timeout: float = 30, stdin=subprocess.DEVNULL) -> tuple[int, str, str, float]:
    """The installed command in a subprocess: (exit, stdout, stderr, seconds); a hang is a failure."""
    started = time.monotonic()
    try:
        done = subprocess.run([DLTUI, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                              stdin=stdin, preexec_fn=_capped, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"dltui {' '.join(map(str, args))} did not answer within {timeout} s")
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def csv_scenario(tmp_path: Path, csv: str, name: str = "table.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'title = "t"\n[data]\nfeatures = ["x"]\ntarget = "y"\ncsv = "{csv}"\n'
                    '[[model.layers]]\nunits = 1\nactivation = "identity"\n'
                    '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.1\n', "utf-8")
    return path


# ------------------------------------------------------------------ 7. devices and huge files

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_csv_is_refused_at_once(tmp_path, device):
    code, _, err, seconds = dltui("check", csv_scenario(tmp_path, device))
    assert code == 2 and "not a regular file" in err, err
    assert "Traceback" not in err and seconds < 20


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_scenario_is_refused_at_once(device):
    code, _, err, seconds = dltui("check", device)
    assert code == 2 and "not a regular file" in err, err
    assert "Traceback" not in err and seconds < 20


def test_a_huge_sparse_csv_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.write(b"x,y\n1,2\n")
        handle.truncate(6 * 10**9)          # 6 GB that take no disk
    started = time.monotonic()
    result = run_cli("check", csv_scenario(tmp_path, "big.csv"))
    assert result.returncode == 2 and "larger than 256 MB" in result.stderr, result.stderr
    assert time.monotonic() - started < 5


def test_a_huge_sparse_scenario_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.write(b'title = "x"\n')
        handle.truncate(6 * 10**9)
    started = time.monotonic()
    result = run_cli("check", big)
    assert result.returncode == 2 and "larger than 32 MB" in result.stderr, result.stderr
    assert time.monotonic() - started < 5


def test_a_csv_of_nul_bytes_is_not_text(tmp_path):
    (tmp_path / "nul.csv").write_bytes(b"x,y\n" + b"\x00" * 1000)
    result = run_cli("check", csv_scenario(tmp_path, "nul.csv"))
    assert result.returncode == 2 and "not a text file" in result.stderr, result.stderr


# ------------------------------------------------------------------ 8. pipes

def test_a_fifo_as_csv_or_scenario_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _, err, seconds = dltui("check", csv_scenario(tmp_path, "pipe.csv"), timeout=20)
    assert code == 2 and "not a regular file" in err, err
    scenario_fifo = tmp_path / "pipe.toml"
    os.mkfifo(scenario_fifo)
    code, _, err, _ = dltui("check", scenario_fifo, timeout=20)
    assert code == 2 and "not a regular file" in err, err


def test_dev_stdin_with_an_open_pipe_is_refused(tmp_path):
    read, write = os.pipe()      # a writer that never writes nor closes: a blocking read would hang
    try:
        code, _, err, _ = dltui("check", csv_scenario(tmp_path, "/dev/stdin"), timeout=20, stdin=read)
        assert code == 2 and "not a regular file" in err, err
        code, _, err, _ = dltui("check", "/dev/stdin", timeout=20, stdin=read)
        assert code == 2 and "not a regular file" in err, err
    finally:
        os.close(read)
        os.close(write)


# ------------------------------------------------------------------ 9. nesting and giant numbers

def test_dotted_keys_nested_a_thousand_deep(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text('title = "deep"\n' + ".".join(["a"] * 1000) + " = 1\n", "utf-8")
    for command in ("check", "run"):
        result = run_cli(command, path)
        assert result.returncode == 2, result.stderr
        assert "more than 32 levels deep" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value, words", [
    ("1" * 5000, "too long to read"),
    ("[" * 1000 + "]" * 1000, "more than 32 levels deep"),
    ("{a = " * 1000 + "1" + "}" * 1000, "more than 32 levels deep"),
], ids=["5000-digits", "list-1000-deep", "table-1000-deep"])
@pytest.mark.parametrize("command", ["check", "run"])
def test_set_with_a_giant_or_deep_value(tmp_path, command, value, words):
    result = run_cli(command, house_file(tmp_path), "--set", f"train.learning_rate={value}")
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and len(result.stderr) < 500, result.stderr


def test_set_with_a_giant_value_before_the_screen_opens(tmp_path):
    """The TUI's --set is parsed before any screen: the same line and exit 2."""
    result = run_cli(house_file(tmp_path), "--set", "train.learning_rate=" + "9" * 5000)
    assert result.returncode == 2 and "too long to read" in result.stderr, result.stderr


# ------------------------------------------------------------------ 10. a million inline rows

def test_inline_rows_over_the_cap_point_to_a_csv(tmp_path):
    path = tmp_path / "rows.toml"
    rows = ",\n".join(f"[{i}, {i}]" for i in range(10_001))
    path.write_text(f'title = "rows"\n[data]\nfeatures = ["x"]\ntarget = "y"\nrows = [\n{rows}]\n'
                    '[[model.layers]]\nunits = 1\nactivation = "identity"\n'
                    '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.1\n', "utf-8")
    result = run_cli("check", path)
    assert result.returncode == 2, result.stderr
    assert "data.rows: has 10,001 rows; at most 10,000" in result.stderr and "data.csv" in result.stderr


@pytest.mark.slow
def test_five_million_inline_rows_are_refused_in_a_second(tmp_path):
    path = tmp_path / "five_million.toml"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('title = "rows"\n[data]\nfeatures = ["x"]\ntarget = "y"\nrows = [\n')
        handle.writelines("[1, 2],\n" for _ in range(5_000_000))
        handle.write("]\n")
    started = time.monotonic()
    result = run_cli("check", path)
    assert result.returncode == 2 and "in a CSV file" in result.stderr, result.stderr
    assert time.monotonic() - started < 3


# ------------------------------------------------------------------ 4. terminal injection

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m\r\x08\x9b"


def _no_control(text: str) -> None:
    bad = [hex(ord(c)) for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0]
    assert not bad, f"control characters reached the terminal: {bad} in {text!r}"


def test_check_and_run_strip_control_characters_from_a_title(tmp_path):
    path = house_file(tmp_path)
    path.write_text(path.read_text("utf-8").replace('title = "집값 예측"', f'title = "집값{ESCAPES!s}"'
                                                    .replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
                                                    .replace("\r", "\\r").replace("\x08", "\\b")
                                                    .replace("\x9b", "\\u009b")), "utf-8")
    check = run_cli("check", path)
    assert check.returncode == 0 and "집값" in check.stdout
    _no_control(check.stdout)
    run = run_cli("run", path, "--steps", "1")
    assert run.returncode == 0
    _no_control(run.stdout + run.stderr)


def test_csv_errors_strip_control_characters_from_headers_and_cells(tmp_path):
    (tmp_path / "evil.csv").write_text(f"a{ESCAPES},b\n1,2\n", "utf-8")
    result = run_cli("check", csv_scenario(tmp_path, "evil.csv"))
    assert result.returncode == 2 and "is not in evil.csv" in result.stderr
    _no_control(result.stderr)
    (tmp_path / "cell.csv").write_text(f"x,y\n1,2{ESCAPES}\n", "utf-8")
    result = run_cli("check", csv_scenario(tmp_path, "cell.csv"))
    assert result.returncode == 2 and "is not a number" in result.stderr
    _no_control(result.stderr)


def test_a_file_that_is_not_a_table_is_not_echoed(tmp_path):
    (tmp_path / "passwd").write_text("root:x:0:0:secret-line:/root:/bin/bash\nbin:x:1:1\n", "utf-8")
    result = run_cli("check", csv_scenario(tmp_path, "passwd"))
    assert result.returncode == 2 and "is not a header" in result.stderr
    assert "secret-line" not in result.stderr and "/bin/bash" not in result.stderr


# ------------------------------------------------------------------ the ';' file's 1,234

def test_a_thousands_comma_in_a_semicolon_file_is_refused_as_ambiguous(tmp_path):
    (tmp_path / "semi.csv").write_text("x;y\n1,234;2\n5;6\n", "utf-8")
    result = run_cli("check", csv_scenario(tmp_path, "semi.csv"))
    assert result.returncode == 2, result.stdout
    assert "line 2, column 'x': '1,234' is not a number" in result.stderr, result.stderr
    (tmp_path / "comma.csv").write_text('x,y\n"1,234",2\n5,6\n', "utf-8")   # the same cell, comma file: 1234
    assert run_cli("check", csv_scenario(tmp_path, "comma.csv")).returncode == 0
