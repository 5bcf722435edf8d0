"""`dltui run`: train headless and write every step as a table, CSV or one JSON document."""

from __future__ import annotations

from typing import IO, Iterable

from dltui.engine.export import (flat_parameters, flat_predictions, fresh_records, parameter_names,
                             prediction_names, write_csv, write_json)
from dltui.engine.numbers import fmt
from dltui.engine.load.scenario import Scenario

TABLE_MAX_PARAMS = 12
TABLE_MAX_PREDICTIONS = 6


def write_report(scenario: Scenario, count: int, form: str, out: IO[str]) -> list[dict]:
    """Print the run in `form`; returns the records so `--out` can save them too."""
    records = list(fresh_records(scenario, count))
    if form == "json":
        write_json(scenario.title, records, out)
    elif form == "csv":
        write_csv(scenario, records, out)
    else:
        _table(scenario, records, out)
    return records


def _table(scenario: Scenario, records: Iterable[dict], out: IO[str]) -> None:
    names = parameter_names(scenario)
    short = [_short_name(scenario, n) for n in names[:TABLE_MAX_PARAMS]]
    all_predictions = prediction_names(scenario)
    preds = all_predictions[:TABLE_MAX_PREDICTIONS]
    has_test = scenario.data.n_test > 0
    header = ["step", "loss"] + (["test loss"] if has_test else []) + short + preds
    out.write(f"{scenario.title}\n")
    out.write(f"loss {scenario.train.loss}, optimizer {scenario.train.optimizer}, "
              f"learning rate {fmt(scenario.train.learning_rate)}\n")
    hidden = []
    if len(names) > TABLE_MAX_PARAMS:
        hidden.append(f"{len(names) - TABLE_MAX_PARAMS} more parameters")
    if len(all_predictions) > TABLE_MAX_PREDICTIONS:
        hidden.append(f"{len(all_predictions) - TABLE_MAX_PREDICTIONS} more predictions")
    if hidden:
        out.write(f"({' and '.join(hidden)} not shown: use --format csv or json)\n")
    widths = [max(len(h), 9) for h in header]
    out.write("  ".join(h.rjust(w) for h, w in zip(header, widths)) + "\n")
    last = None
    for record in records:
        cells = [str(record["step"]), _num(record["loss"])]
        if has_test:
            cells.append(_num(record["test_loss"]))
        cells += [_num(v) for v in flat_parameters(record)[:TABLE_MAX_PARAMS]]
        cells += [_num(v) for v in flat_predictions(record)[:TABLE_MAX_PREDICTIONS]]
        out.write("  ".join(c.rjust(w) for c, w in zip(cells, widths)) + "\n")
        last = record
    if last and last["diverged"]:
        out.write(f"diverged at step {last['step']}: the loss or a parameter is no longer a "
                  f"finite number (try a smaller learning rate)\n")


def _short_name(scenario: Scenario, name: str) -> str:
    """`w1`, `w2`, `b` for a single-unit single-layer model, like the lecture; else full names."""
    if len(scenario.layers) == 1 and scenario.layers[0].units == 1:
        return name.replace("layer1.w[1][", "w").replace("layer1.b[1]", "b").rstrip("]")
    return name


def _num(value) -> str:
    return "null" if value is None else fmt(value)
