"""A served comparison's export: the zip carries every run's history, as the engine replays it."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile

import pytest

from dltui.engine.export import journal_records
from dltui.engine.intents import Export
from dltui.tui import served as served_module
from tui_helpers import make_app, wait_ready, wait_until


@pytest.mark.asyncio
async def test_a_served_comparison_exports_every_runs_history(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sent = []
    monkeypatch.setattr(served_module, "deliver_bytes", lambda app, name, data, mime="": sent.append((name, data)))
    app = make_app("momentum", "en")
    app.served = served_module.Served()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", "space", "2", "right_square_bracket", "space")   # run 2's own rate
        await pilot.pause()
        live = {run.name: snap for run, snap in zip(app.frame.runs, app.frame.snapshots, strict=True)}
        journals = app.session.handle(Export()).export.journals
        await pilot.press("e")
        await wait_until(pilot, lambda: sent, timeout=30)
    name, data = sent[0]
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert name == "momentum-step3.zip" and len(journals) == len(live) == 3
    saved = tomllib.loads(archive.read("scenario.toml").decode("utf-8"))
    assert [run["name"] for run in saved["compare"]] == list(live)           # the setup names every run
    losses = set()
    for run, journal in journals:
        assert {f"{run}/history.json", f"{run}/history.csv"} <= names, names
        steps = json.loads(archive.read(f"{run}/history.json"))["steps"]
        assert steps == json.loads(json.dumps(list(journal_records(journal))))   # the engine's replay
        assert [s["step"] for s in steps] == [0, 1, 2, 3]
        assert steps[-1]["loss"] == live[run].loss                           # the run on screen
        csv_lines = archive.read(f"{run}/history.csv").decode("utf-8").splitlines()
        assert len(csv_lines) == 5 and csv_lines[-1].split(",")[1] == repr(live[run].loss)
        losses.add(steps[-1]["loss"])
    assert len(losses) == 3                                                  # three runs, not one thrice
    assert "history.json" not in names
    assert steps_rates(archive, "momentum") != steps_rates(archive, "sgd")     # run 2's `]` is its own


def steps_rates(archive, run: str) -> list[float]:
    return [s["learning_rate"] for s in json.loads(archive.read(f"{run}/history.json"))["steps"]]
