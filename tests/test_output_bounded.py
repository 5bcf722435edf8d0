"""Output that is streamed, whole and bounded (issue 18): `dltui run` prints each step as it is
made, `--out` and the export key write through temporary files renamed into place, long wide
exports keep every k-th step and say so, and quitting during an export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from dltui.engine import load_scenario, open_scenario
from dltui.engine.export import (EXPORT_BUDGET_BYTES, ExportCancelled, ExportFiles, export_every,
                                 fresh_records, replayed_records, write_files)
from dltui.cli.report import write_report

DLTUI = shutil.which("dltui", path=str(Path(sys.executable).parent)) or "dltui"


def wide_scenario(tmp_path: Path, rows: int = 2000) -> Path:
    """One input, `rows` training rows: every record carries `rows` predictions."""
    lines = ",\n".join(f"  [{i / rows:.6f}, {2 * i / rows + 1:.6f}]" for i in range(rows))
    path = tmp_path / "wide.toml"
    path.write_text(f"""title = "wide"
[data]
features = ["x"]
target = "y"
rows = [
{lines},
]
[[model.layers]]
units = 1
activation = "identity"
weight = [[0.5]]
bias = [0.0]
[train]
loss = "mse"
optimizer = "sgd"
learning_rate = 0.1
""", encoding="utf-8")
    return path


def test_each_step_is_written_before_the_next_is_computed():
    scenario = open_scenario("house_prices")
    out = io.StringIO()
    printed_before = []

    def records():
        for record in fresh_records(scenario, 5):
            printed_before.append(out.getvalue().count("\n"))
            yield record

    for form, header_lines in (("csv", 1), ("table", 3)):
        out.seek(0)
        out.truncate()
        printed_before.clear()
        write_report(scenario, records(), form, out)
        assert printed_before == [header_lines + k for k in range(6)], form
    out.seek(0)
    out.truncate()
    printed_before.clear()
    lengths = []

    def json_records():
        for record in fresh_records(scenario, 3):
            lengths.append(len(out.getvalue()))
            yield record

    write_report(scenario, json_records(), "json", out)
    assert lengths[0] < lengths[1] < lengths[2] < lengths[3]   # step k is out before step k+1
    assert [s["step"] for s in json.loads(out.getvalue())["steps"]] == [0, 1, 2, 3]


@pytest.mark.slow
def test_memory_stays_flat_in_the_number_of_steps(tmp_path):
    scenario = load_scenario(wide_scenario(tmp_path))

    class Sink:
        def write(self, text):
            return len(text)

        def flush(self):
            pass

    peaks = {}
    for steps in (20, 400):
        tracemalloc.start()
        write_report(scenario, fresh_records(scenario, steps), "json", Sink())
        peaks[steps] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # Each record holds 2,000 predictions (~100 kB as Python floats): keeping 400 would be 40 MB.
    assert peaks[400] - peaks[20] < 4 << 20, peaks


@pytest.mark.slow
def test_run_prints_its_first_rows_long_before_a_long_run_ends():
    process = subprocess.Popen([DLTUI, "run", "house_prices", "--steps", "200000", "--format", "csv"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        header = process.stdout.readline()
        first = process.stdout.readline()
        elapsed = time.monotonic() - started
        assert header.startswith("step,loss") and first.startswith("0,")
        assert process.poll() is None          # still running: the rows came before the end
        assert elapsed < 30
    finally:
        process.kill()
        process.wait()


def test_interrupted_export_leaves_the_old_files_and_no_temporary_ones(tmp_path):
    scenario = open_scenario("house_prices")
    folder = tmp_path / "out"
    write_files(scenario, fresh_records(scenario, 2), folder, 2)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def interrupted(error):
        for record in fresh_records(scenario, 10):
            if record["step"] == 4:
                raise error
            yield record

    for error in (KeyboardInterrupt(), OSError(28, "No space left on device")):
        with pytest.raises(type(error)):
            write_files(scenario, interrupted(error), folder, 10)
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert json.loads(before["history.json"])["steps"][-1]["step"] == 2


def test_cancelled_export_raises_and_writes_nothing(tmp_path):
    scenario = open_scenario("house_prices")
    folder = tmp_path / "out"
    asked = []
    with pytest.raises(ExportCancelled):
        write_files(scenario, fresh_records(scenario, 50), folder, 50,
                    cancelled=lambda: asked.append(1) or len(asked) > 3)
    assert list(folder.iterdir()) == []


@pytest.mark.slow
def test_run_out_interrupted_by_ctrl_c_leaves_no_history(tmp_path):
    import signal

    out = tmp_path / "run"
    process = subprocess.Popen([DLTUI, "run", "house_prices", "--steps", "200000", "--format", "csv",
                                "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        process.stdout.readline()
        process.stdout.readline()                  # a step is made: the files are open, in staging
        assert any(tmp_path.glob(".run.dltui-*.partial/.history.*.tmp"))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_long_wide_export_is_thinned_and_says_so(tmp_path):
    scenario = load_scenario(wide_scenario(tmp_path))
    budget = 2 << 20
    steps = 300
    every = export_every(scenario, steps, budget)
    assert every > 1
    folder = tmp_path / "out"
    paths = write_files(scenario, replayed_records(scenario, [0.1] * (steps + 1), every),
                        folder, steps, budget=budget)
    document = json.loads(paths[0].read_text(encoding="utf-8"))
    kept = [s["step"] for s in document["steps"]]
    assert kept == sorted(set(range(0, steps + 1, every)) | {steps})
    assert document["thinned"]["every"] == every and document["thinned"]["last_step"] == steps
    assert str(every) in document["thinned"]["ko"] and str(every) in document["thinned"]["en"]
    text = paths[1].read_text(encoding="utf-8")
    note, body = text.split("\n", 1)
    assert note.startswith("# ") and str(every) in note
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(r["step"]) for r in rows] == kept
    for path in paths:   # the estimate holds: each file is within its budget
        assert path.stat().st_size <= budget, path
    # The thinned steps are the run's own numbers: compare with an unthinned run.
    full = {r["step"]: r for r in fresh_records(scenario, steps)}
    for step in document["steps"]:
        assert step["loss"] == full[step["step"]]["loss"]


def test_thinned_run_that_diverges_keeps_its_last_step(tmp_path):
    scenario = load_scenario(wide_scenario(tmp_path))
    records = [{"step": k, "loss": 1.0, "test_loss": None, "diverged": k == 7, "learning_rate": 0.1,
                "accuracy": None, "test_accuracy": None,
                "predictions": [0.0] * scenario.data.n_train,
                "layers": [{"weight": [[0.5]], "bias": [0.0]}]} for k in range(8)]
    budget = 4 * 10 ** 5
    paths = write_files(scenario, records, tmp_path / "out", 1000, budget=budget)
    document = json.loads(paths[0].read_text(encoding="utf-8"))
    assert document["steps"][-1]["step"] == 7 and document["diverged"] is True


def test_abalone_at_top_speed_exports_a_sensible_size():
    scenario = open_scenario("abalone")
    every = export_every(scenario, 100_000)
    assert every > 1
    assert (100_000 // every + 2) * 70_000 < EXPORT_BUDGET_BYTES * 1.2   # ~70 kB a step measured


@pytest.mark.slow
def test_export_into_a_blocked_folder_names_the_folder(tmp_path):
    scenario = open_scenario("house_prices")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        ExportFiles(scenario, blocker / "x", 3)
    result = subprocess.run([DLTUI, "run", "house_prices", "--steps", "1", "--out", str(blocker / "x")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and str(blocker / "x") in result.stderr
