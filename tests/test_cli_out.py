"""`dltui run --out DIR`: the same history as --format json, plus CSV and a screen picture."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_inprocess import run_cli

DLTUI = shutil.which("dltui", path=str(Path(sys.executable).parent)) or "dltui"


def test_run_out_saves_json_csv_and_svg(tmp_path):
    out = tmp_path / "run"
    result = run_cli("run", "house_prices", "--steps", "3", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    saved = json.loads((out / "history.json").read_text(encoding="utf-8"))
    assert saved == printed
    assert [s["predictions"] for s in saved["steps"]][0] == pytest.approx([5.8, 6.7, 7.3], rel=1e-12)
    rows = list(csv.DictReader((out / "history.csv").open(encoding="utf-8")))
    assert [int(r["step"]) for r in rows] == [0, 1, 2, 3]
    assert [float(rows[0][f"pred[{i}]"]) for i in (1, 2, 3)] == pytest.approx([5.8, 6.7, 7.3], rel=1e-12)
    svg = (out / "screen.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "step&#160;3" in svg
    assert str(out) in result.stderr


def test_run_out_to_an_unwritable_place_says_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("run", "house_prices", "--steps", "1", "--out", str(blocker / "x"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_run_explain_prints_the_lecture_arithmetic_and_every_update_adds_up():
    import re

    result = run_cli("run", "house_prices", "--explain", "--steps", "2", "--lang", "en")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for line in ("1) 32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 + 0.5 = 5.8",
                 "2) 33 ⋅ 0.1 + 3 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 6.7",
                 "3) 36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 7.3",
                 "loss = (0.2 + 0.3 + 1.2) / 3 = 1.7 / 3 = 0.567",
                 "𝜕L/𝜕w1 = (sign(5.8 − 6)⋅32 + sign(6.7 − 7)⋅33 + sign(7.3 − 8.5)⋅36) / 3 = -33.666667",
                 "w1: 0.1 − 0.0001 ⋅ -33.666667 = 0.103367"):
        assert line in text
    updates = re.findall(r"^(\w+): (-?[\d.]+) − ([\d.e-]+) ⋅ (-?[\d.]+) = (-?[\d.]+)$", text, re.M)
    assert len(updates) == 8                                     # 4 parameters × 2 steps
    for _, w, lr, g, new in updates:                             # each line's arithmetic holds
        assert float(w) - float(lr) * float(g) == pytest.approx(float(new), abs=2e-6)


def test_run_explain_in_korean():
    result = run_cli("run", "xor", "--explain", "--steps", "1", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    assert "순전파" in result.stdout and "sigmoid(" in result.stdout and "단계 0 → 1" in result.stdout


def test_serve_on_a_taken_port_says_so():
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run([DLTUI, "serve", "--port", str(port)], capture_output=True, text=True,
                                timeout=60)   # the serve command's smoke test: its own process
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_serve_a_broken_scenario_exits_2(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("title = 3\n", encoding="utf-8")
    result = run_cli("serve", str(broken))
    assert result.returncode == 2 and "broken.toml" in result.stderr and "Traceback" not in result.stderr
