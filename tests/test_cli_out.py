"""`dltui run --out DIR`: the same history as --format json, plus CSV and a screen picture."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

DLTUI = shutil.which("dltui", path=str(Path(sys.executable).parent)) or "dltui"


def test_run_out_saves_json_csv_and_svg(tmp_path):
    out = tmp_path / "run"
    result = subprocess.run([DLTUI, "run", "house_prices", "--steps", "3", "--format", "json",
                             "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    saved = json.loads((out / "history.json").read_text(encoding="utf-8"))
    assert saved == printed
    assert [s["predictions"] for s in saved["steps"]][0] == [5.8, 6.7, 7.3]
    rows = list(csv.DictReader((out / "history.csv").open(encoding="utf-8")))
    assert [int(r["step"]) for r in rows] == [0, 1, 2, 3]
    assert [float(rows[0][f"pred[{i}]"]) for i in (1, 2, 3)] == [5.8, 6.7, 7.3]
    svg = (out / "screen.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "step&#160;3" in svg
    assert str(out) in result.stderr


def test_run_out_to_an_unwritable_place_says_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run([DLTUI, "run", "house_prices", "--steps", "1", "--out", str(blocker / "x")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
