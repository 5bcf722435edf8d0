"""`dltui run COMPARISON`: every run of a `[[compare]]` scenario, as JSON, CSV or a side-by-side table.

Each run's steps are exactly what `dltui run COMPARISON --run NAME` prints for it alone: both
train `shared_starts(base, runs)`. Rows are written as they are made.
"""

from __future__ import annotations

import csv
import json
from itertools import zip_longest
from typing import IO

from dltui.engine.export import flat_parameters, flat_predictions, fresh_records, parameter_names, prediction_names
from dltui.engine.load.compare import comparison_runs
from dltui.engine.load.scenario import Scenario
from dltui.engine.numbers import fmt
from dltui.engine.train.comparison import shared_starts


def write_comparison(scenario: Scenario, steps: int, form: str, out: IO[str]) -> None:
    runs = comparison_runs(scenario)
    starts = shared_starts(scenario, runs)
    if form == "json":
        _json(scenario, runs, starts, steps, out)
    elif form == "csv":
        _csv(runs, starts, steps, out)
    else:
        _table(scenario, runs, starts, steps, out)


def _json(scenario, runs, starts, steps, out: IO[str]) -> None:
    out.write('{"title": ' + json.dumps(scenario.title, ensure_ascii=False) + ', "runs": [')
    for index, (run, start) in enumerate(zip(runs, starts)):
        out.write(", " if index else "")
        out.write('{"name": ' + json.dumps(run.name, ensure_ascii=False) + ', "steps": [')
        diverged = False
        for count, record in enumerate(fresh_records(start, steps)):
            out.write((", " if count else "") + json.dumps(record, ensure_ascii=False, allow_nan=False))
            diverged = bool(record["diverged"])
        out.write('], "diverged": ' + ("true" if diverged else "false") + "}")
        out.flush()
    out.write("]}\n")


def _csv(runs, starts, steps, out: IO[str]) -> None:
    """One row per run and step (steps in lockstep); parameter columns are the union of the runs'."""
    params: list[str] = []
    preds: list[str] = []
    for start in starts:
        params += [n for n in parameter_names(start) if n not in params]
        preds += [n for n in prediction_names(start) if n not in preds]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["run", "step", "loss", "test_loss", "learning_rate", "diverged"] + params + preds)
    streams = [fresh_records(start, steps) for start in starts]
    names = [(parameter_names(s), prediction_names(s)) for s in starts]
    for records in zip_longest(*streams):
        for run, record, (own_params, own_preds) in zip(runs, records, names):
            if record is None:
                continue
            by_param = dict(zip(own_params, flat_parameters(record)))
            by_pred = dict(zip(own_preds, flat_predictions(record)))
            writer.writerow([run.name, record["step"], _cell(record["loss"]), _cell(record["test_loss"]),
                             _cell(record.get("learning_rate")), str(record["diverged"]).lower()]
                            + [_cell(by_param.get(n)) for n in params]
                            + [_cell(by_pred.get(n)) for n in preds])
        out.flush()


def _table(scenario, runs, starts, steps, out: IO[str]) -> None:
    """step | each run's loss, side by side; a run that diverged says so once and stays blank."""
    out.write(f"{scenario.title}\n")
    for run, start in zip(runs, starts):
        train = start.train
        out.write(f"  {run.name}: {run.label('en')} — loss {train.loss}, optimizer {train.optimizer}, "
                  f"learning rate {fmt(train.learning_rate)}\n")
    widths = [max(10, len(run.name) + 2) for run in runs]
    out.write("step".rjust(6) + "".join(f"  {run.name:>{w}}" for run, w in zip(runs, widths)) + "\n")
    streams = [fresh_records(start, steps) for start in starts]
    ended = [False] * len(runs)
    for records in zip_longest(*streams):
        step = next(r["step"] for r in records if r is not None)   # a saved race goes on from its step
        cells = []
        for index, record in enumerate(records):
            if record is None:
                cells.append("")
            elif record["diverged"] and not ended[index]:
                ended[index] = True
                cells.append("diverged")
            else:
                cells.append("null" if record["loss"] is None else fmt(record["loss"]))
        out.write(f"{step:>6}" + "".join(f"  {c:>{w}}" for c, w in zip(cells, widths)) + "\n")
        out.flush()


def _cell(value) -> str:
    return "" if value is None else repr(value)
