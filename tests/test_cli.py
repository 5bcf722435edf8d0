"""The headless CLI as a user runs it: `dltui run`, `dltui list`, `dltui check`.

Most tests call the command in-process (tests/cli_inprocess.py: the same `main`, its exit status
and output); one subprocess smoke test per command runs the installed console script.

The numbers of `dltui run house_prices` are checked against the lecture's gradient descent done
by hand in numpy (MAE, SGD, learning rate 0.0001), not against the engine.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from cli_inprocess import run_cli
from house_file import house_file

DLTUI = shutil.which("dltui", path=str(Path(sys.executable).parent)) or shutil.which("dltui")
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

X = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]], dtype=float)
Y = np.array([6.0, 7.0, 8.5])


def dltui(*args: str):
    return run_cli(*args)


def dltui_process(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """The installed console script in its own process (the smoke tests)."""
    assert DLTUI, "the dltui console script is not installed next to this Python"
    return subprocess.run([DLTUI, *args], capture_output=True, text=True, timeout=timeout)


def strict_json(text: str):
    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")
    return json.loads(text, parse_constant=refuse)


def lecture_run(steps: int, lr: float = 0.0001):
    """The lecture's model trained by hand: MAE, full-batch SGD."""
    w, b = np.array([0.1, 0.3, 4.0]), 0.5
    out = []
    for k in range(steps + 1):
        p = X @ w + b
        out.append({"step": k, "loss": float(np.mean(np.abs(p - Y))), "predictions": p.tolist(),
                    "weight": w.tolist(), "bias": b})
        g = np.sign(p - Y) / 3
        w, b = w - lr * (g @ X), b - lr * g.sum()
    return out


@pytest.fixture(scope="module")
def house_json():
    result = dltui("run", "house_prices", "--steps", "12", "--format", "json")
    assert result.returncode == 0, result.stderr
    return strict_json(result.stdout)


def test_run_json_schema(house_json):
    doc = house_json
    assert set(doc) == {"title", "diverged", "steps"}
    assert doc["title"] == "집값 예측 (House prices)" and doc["diverged"] is False
    assert [s["step"] for s in doc["steps"]] == list(range(13))
    for s in doc["steps"]:
        assert set(s) == {"step", "loss", "test_loss", "learning_rate", "accuracy", "test_accuracy", "diverged",
                          "predictions", "layers"}
        assert s["test_loss"] is None and s["diverged"] is False
        assert s["learning_rate"] == 0.0001 and s["accuracy"] is None and s["test_accuracy"] is None
        assert len(s["predictions"]) == 3 and all(isinstance(p, float) for p in s["predictions"])
        assert len(s["layers"]) == 1
        layer = s["layers"][0]
        assert set(layer) == {"weight", "bias"}
        assert len(layer["weight"]) == 1 and len(layer["weight"][0]) == 3 and len(layer["bias"]) == 1


def test_run_json_numbers_are_the_lectures(house_json):
    first = house_json["steps"][0]
    assert first["predictions"] == pytest.approx([5.8, 6.7, 7.3], rel=1e-12)
    assert first["loss"] == pytest.approx(1.7 / 3, rel=1e-12)
    assert first["layers"] == [{"weight": [[0.1, 0.3, 4.0]], "bias": [0.5]}]
    for step, expected in zip(house_json["steps"], lecture_run(12)):
        assert step["loss"] == pytest.approx(expected["loss"], rel=1e-10), step["step"]
        assert step["predictions"] == pytest.approx(expected["predictions"], rel=1e-12), step["step"]
        assert step["layers"][0]["weight"][0] == pytest.approx(expected["weight"], rel=1e-12)
        assert step["layers"][0]["bias"][0] == pytest.approx(expected["bias"], rel=1e-12)


def test_run_csv_agrees_with_json(house_json):
    result = dltui("run", "house_prices", "--steps", "12", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 13
    assert list(rows[0]) == ["step", "loss", "test_loss", "learning_rate", "accuracy", "test_accuracy", "diverged",
                             "w1", "w2", "w3", "b", "pred[1]", "pred[2]", "pred[3]"]   # as on screen
    for row, step in zip(rows, house_json["steps"]):
        assert int(row["step"]) == step["step"]
        assert float(row["loss"]) == step["loss"]
        assert row["test_loss"] == "" and row["diverged"] == "false"
        assert [float(row[f"w{i}"]) for i in (1, 2, 3)] == step["layers"][0]["weight"][0]
        assert float(row["b"]) == step["layers"][0]["bias"][0]
        assert [float(row[f"pred[{i}]"]) for i in (1, 2, 3)] == step["predictions"]


def test_run_table_shows_the_lecture():
    result = dltui("run", "house_prices", "--steps", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "집값 예측 (House prices)"
    header = next(line for line in lines if line.split()[:2] == ["step", "loss"])
    assert header.split() == ["step", "loss", "w1", "w2", "w3", "b", "pred[1]", "pred[2]", "pred[3]"]
    step0 = next(line.split() for line in lines if line.split()[:1] == ["0"])
    assert step0[-3:] == ["5.8", "6.7", "7.3"]
    assert step0[1] == "0.566667" and step0[2:6] == ["0.1", "0.3", "4", "0.5"]
    assert [line.split()[0] for line in lines[lines.index(header) + 1:]] == ["0", "1", "2", "3"]


@pytest.mark.parametrize("lead", [["--lang", "ko"], ["--lang=ko"]])
def test_the_language_may_come_before_the_subcommand(lead):
    """`dltui --lang ko run …` once opened the TUI on a scenario named "run"."""
    result = dltui(*lead, "run", "house_prices", "--steps", "1")
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if line.split()[:1] == ["단계"])
    assert header.split()[:2] == ["단계", "손실"]
    listed = dltui(*lead, "list")
    assert listed.returncode == 0 and "house_prices" in listed.stdout


def test_run_steps_zero():
    doc = strict_json(dltui("run", "house_prices", "--steps", "0", "--format", "json").stdout)
    assert [s["step"] for s in doc["steps"]] == [0]


def scenario_file(tmp_path: Path, *, bias: str = "[0.5]", lr: str = "0.0001", loss: str = "mae") -> Path:
    return house_file(tmp_path, "[[0.1, 0.3, 4]]", bias, loss, lr)


def test_run_json_bias_free_layer_is_null(tmp_path):
    result = dltui("run", str(scenario_file(tmp_path, bias="false")), "--steps", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = strict_json(result.stdout)
    assert all(s["layers"][0]["bias"] is None for s in doc["steps"])
    assert doc["steps"][0]["predictions"] == pytest.approx([5.3, 6.2, 6.8], rel=1e-12)
    csv_result = dltui("run", str(scenario_file(tmp_path, bias="false")), "--steps", "2", "--format", "csv")
    header = next(csv.reader(io.StringIO(csv_result.stdout)))
    assert not any(".b[" in name for name in header)


def test_run_json_diverging_run_ends_at_the_first_diverged_step(tmp_path):
    path = scenario_file(tmp_path, lr="1e200", loss="mse")
    result = dltui("run", str(path), "--steps", "50", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    doc = strict_json(result.stdout)          # no NaN / Infinity tokens
    steps = doc["steps"]
    assert doc["diverged"] is True
    assert steps[-1]["diverged"] is True and not any(s["diverged"] for s in steps[:-1])
    assert [s["step"] for s in steps] == list(range(len(steps))) and len(steps) < 51

    def numbers(step):
        layer = step["layers"][0]
        return [step["loss"], *step["predictions"], *layer["weight"][0], *layer["bias"]]

    # the diverged step holds a non-finite number, written as null; the earlier ones are finite
    assert None in numbers(steps[-1])
    assert all(v is not None and math.isfinite(v) for s in steps[:-1] for v in numbers(s))
    assert all(math.isfinite(v) for v in numbers(steps[-1]) if v is not None)
    # by hand: the first update moves w1 by lr × mean(2(p − y)·x1) ≈ −1e200 × 10.5, so step 1 is
    # finite and enormous, and squaring its error overflows
    p0 = X @ np.array([0.1, 0.3, 4.0]) + 0.5
    w1 = 0.1 - 1e200 * np.mean(2 * (p0 - Y) * X[:, 0])
    assert steps[1]["layers"][0]["weight"][0][0] == pytest.approx(w1, rel=1e-9)
    assert len(steps) == 2 and steps[1]["loss"] is None

    table = dltui("run", str(path), "--steps", "50")
    assert table.returncode == 0 and "diverged at step 1" in table.stdout
    rows = list(csv.DictReader(io.StringIO(dltui("run", str(path), "--steps", "50", "--format", "csv").stdout)))
    assert len(rows) == 2 and rows[-1]["diverged"] == "true" and rows[-1]["loss"] == ""


def test_run_json_multiclass_predictions_are_lists():
    result = dltui("run", "iris", "--steps", "1", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = strict_json(result.stdout)
    spec = tomllib.loads((SCENARIOS / "iris.toml").read_text("utf-8"))
    with open(SCENARIOS / spec["data"]["csv"], encoding="utf-8-sig") as f:
        n_rows = sum(1 for line in f if line.strip()) - 1
    n_test = round(n_rows * spec["data"]["test_fraction"])
    for step in doc["steps"]:
        assert len(step["predictions"]) == n_rows - n_test
        assert all(len(p) == 3 and sum(p) == pytest.approx(1.0, rel=1e-12) for p in step["predictions"])
        assert isinstance(step["test_loss"], float)


def test_list_names_and_titles():
    result = dltui("list")
    assert result.returncode == 0, result.stderr
    listed = {}
    for line in result.stdout.splitlines():
        if not line or line.startswith("#"):   # blank lines and the course's headings
            continue
        name, _, title = line.partition(" ")
        listed[name] = title.strip()
    assert listed["house_prices"] == "집값 예측 (House prices)"
    assert listed["xor"] == tomllib.loads((SCENARIOS / "xor.toml").read_text("utf-8"))["title"]
    assert set(listed) == {p.stem for p in SCENARIOS.glob("*.toml")} - {"course"}


def test_check_reports_each_file(tmp_path):
    good = scenario_file(tmp_path)
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad_toml = bad_dir / "broken.toml"
    bad_toml.write_text("title = \n", encoding="utf-8")
    bad_shape = bad_dir / "shape.toml"
    bad_shape.write_text(good.read_text("utf-8").replace("[[0.1, 0.3, 4]]", "[[0.1, 0.3]]"), encoding="utf-8")
    missing = tmp_path / "missing.toml"

    result = dltui("check", str(good), str(bad_toml), "house_prices", str(bad_shape), str(missing))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(good) in result.stdout and "house_prices" in result.stdout
    assert str(bad_toml) in result.stderr and "TOML" in result.stderr
    assert str(bad_shape) in result.stderr and "model.layers[1].weight[1]" in result.stderr
    assert str(missing) in result.stderr and "not found" in result.stderr
    assert str(bad_toml) not in result.stdout and str(good) not in result.stderr

    all_good = dltui("check", str(good), "house_prices", "xor", str(SCENARIOS / "iris.toml"))
    assert all_good.returncode == 0, all_good.stderr
    assert all_good.stderr == ""
    assert len(all_good.stdout.splitlines()) == 4


def test_check_every_bundled_scenario():
    files = sorted(str(p) for p in SCENARIOS.glob("*.toml") if p.name != "course.toml")  # the course order is not a scenario
    result = dltui("check", *files)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(files)


def test_run_bad_arguments_do_not_traceback():
    result = dltui("run", "house_prices", "--steps", "-3")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = dltui("run", "house_prices", "--format", "xml")
    assert result.returncode == 2 and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- smoke: one process each


@pytest.mark.slow
def test_smoke_run_in_its_own_process(house_json):
    result = dltui_process("run", "house_prices", "--steps", "12", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert strict_json(result.stdout) == house_json       # the same numbers as in-process


def test_smoke_list_and_check_in_their_own_process(tmp_path):
    listed = dltui_process("list")
    assert listed.returncode == 0 and listed.stdout == dltui("list").stdout
    missing = tmp_path / "missing.toml"
    checked = dltui_process("check", "house_prices", str(missing))
    assert checked.returncode == 2 and "house_prices" in checked.stdout
    assert str(missing) in checked.stderr and "Traceback" not in checked.stderr


def test_smoke_tui_help_in_its_own_process():
    result = dltui_process("--help")
    assert result.returncode == 0 and "usage: dltui" in result.stdout
