"""What the CLI hands out: JSON/CSV fields that tell the whole story, handouts in Korean."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from dltui.engine import open_scenario
from dltui.engine.export import fresh_records, replayed_records, write_csv

from test_cli import dltui, strict_json


def test_json_steps_carry_learning_rate_and_accuracies_for_classification():
    result = dltui("run", "iris", "--steps", "300", "--format", "json")
    assert result.returncode == 0, result.stderr
    steps = strict_json(result.stdout)["steps"]
    scenario = open_scenario("iris")
    targets = scenario.data.train_targets.astype(int)
    for record in (steps[0], steps[150], steps[-1]):
        assert record["learning_rate"] == scenario.train.learning_rate
        predicted = np.asarray(record["predictions"]).argmax(axis=1)     # independent of the engine
        assert record["accuracy"] == pytest.approx((predicted == targets).mean())
    # the lesson's promise, now in the output: 28 of the 30 held-out flowers by step 300
    assert steps[-1]["test_accuracy"] * 30 == pytest.approx(28) or steps[-1]["test_accuracy"] * 30 > 28


def test_regression_steps_have_null_accuracies_and_csv_has_the_same_columns():
    records = list(fresh_records(open_scenario("house_prices"), 2))
    assert all(r["accuracy"] is None and r["test_accuracy"] is None for r in records)
    out = io.StringIO()
    write_csv(open_scenario("house_prices"), records, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["learning_rate"] for r in rows] == ["0.0001"] * 3
    assert rows[0]["accuracy"] == "" and rows[0]["test_accuracy"] == ""


def test_live_rate_changes_survive_export():
    """The TUI exports by replaying the history's rates; each record says which rate it had."""
    rates = [0.0001, 0.0002, 0.0002, 0.00005]
    records = list(replayed_records(open_scenario("house_prices"), rates))
    assert [r["learning_rate"] for r in records] == rates
    json.dumps(records, allow_nan=False)
