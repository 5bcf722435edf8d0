"""`dltui run`: train headless and write every step as a table, CSV or one JSON document."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterator

from ..engine.numbers import fmt
from ..engine.scenario import Scenario
from ..engine.trainer import Trainer

TABLE_MAX_PARAMS = 12
TABLE_MAX_PREDICTIONS = 6


def steps(scenario: Scenario, count: int) -> Iterator[dict]:
    """Records for steps 0..count, ending early at the first diverged step."""
    trainer = Trainer(scenario)
    record = trainer.record()
    yield record
    for _ in range(count):
        if record["diverged"]:
            return
        trainer.run(1)
        record = trainer.record()
        yield record


def write_report(scenario: Scenario, count: int, form: str, out: IO[str]) -> None:
    writer = {"json": _json, "csv": _csv, "table": _table}[form]
    writer(scenario, steps(scenario, count), out)


def _json(scenario: Scenario, records: Iterator[dict], out: IO[str]) -> None:
    items = list(records)
    document = {"title": scenario.title, "diverged": items[-1]["diverged"], "steps": items}
    json.dump(document, out, ensure_ascii=False, allow_nan=False)
    out.write("\n")


def parameter_names(scenario: Scenario) -> list[str]:
    """Column names for every weight and bias: layer1.w[1][2] is unit 1's weight on input 2."""
    names = []
    fan_in = scenario.data.n_features
    for index, layer in enumerate(scenario.layers, start=1):
        names += [f"layer{index}.w[{u}][{i}]" for u in range(1, layer.units + 1)
                  for i in range(1, fan_in + 1)]
        if layer.has_bias:
            names += [f"layer{index}.b[{u}]" for u in range(1, layer.units + 1)]
        fan_in = layer.units
    return names


def _flat_parameters(record: dict) -> list:
    out = []
    for layer in record["layers"]:
        out += [v for row in layer["weight"] for v in row]
        out += layer["bias"] or []
    return out


def _flat_predictions(record: dict) -> list:
    return [v for p in record["predictions"] for v in (p if isinstance(p, list) else [p])]


def _prediction_names(scenario: Scenario) -> list[str]:
    n, k = scenario.data.n_train, scenario.data.n_outputs
    if k == 1:
        return [f"pred[{r}]" for r in range(1, n + 1)]
    return [f"pred[{r}][{o}]" for r in range(1, n + 1) for o in range(1, k + 1)]


def _csv(scenario: Scenario, records: Iterator[dict], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "loss", "test_loss", "diverged"] + parameter_names(scenario)
                    + _prediction_names(scenario))
    for record in records:
        writer.writerow([record["step"], _cell(record["loss"]), _cell(record["test_loss"]),
                         str(record["diverged"]).lower()]
                        + [_cell(v) for v in _flat_parameters(record)]
                        + [_cell(v) for v in _flat_predictions(record)])


def _cell(value) -> str:
    return "" if value is None else repr(value)


def _table(scenario: Scenario, records: Iterator[dict], out: IO[str]) -> None:
    names = parameter_names(scenario)
    short = [_short_name(scenario, n) for n in names[:TABLE_MAX_PARAMS]]
    preds = _prediction_names(scenario)[:TABLE_MAX_PREDICTIONS]
    has_test = scenario.data.n_test > 0
    header = ["step", "loss"] + (["test loss"] if has_test else []) + short + preds
    out.write(f"{scenario.title}\n")
    out.write(f"loss {scenario.train.loss}, optimizer {scenario.train.optimizer}, "
              f"learning rate {fmt(scenario.train.learning_rate)}\n")
    hidden = []
    if len(names) > TABLE_MAX_PARAMS:
        hidden.append(f"{len(names) - TABLE_MAX_PARAMS} more parameters")
    if len(_prediction_names(scenario)) > TABLE_MAX_PREDICTIONS:
        hidden.append(f"{len(_prediction_names(scenario)) - TABLE_MAX_PREDICTIONS} more predictions")
    if hidden:
        out.write(f"({' and '.join(hidden)} not shown: use --format csv or json)\n")
    widths = [max(len(h), 9) for h in header]
    out.write("  ".join(h.rjust(w) for h, w in zip(header, widths)) + "\n")
    last = None
    for record in records:
        cells = [str(record["step"]), _num(record["loss"])]
        if has_test:
            cells.append(_num(record["test_loss"]))
        cells += [_num(v) for v in _flat_parameters(record)[:TABLE_MAX_PARAMS]]
        cells += [_num(v) for v in _flat_predictions(record)[:TABLE_MAX_PREDICTIONS]]
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
