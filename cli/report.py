"""`dltui run`: train headless and write every step as a table, CSV or one JSON document, each
step as soon as it is made (memory stays flat in the number of steps)."""

from __future__ import annotations

from typing import IO, Iterable

import numpy as np

from dltui.engine.export import (CsvWriter, JsonWriter, flat_parameters, flat_predictions,
                                 parameter_names, prediction_names)
from dltui.engine.load.scenario import Scenario
from dltui.engine.numbers import fmt
from dltui.words.messages import HUGE_DATA

TABLE_MAX_PARAMS = 12
TABLE_MAX_PREDICTIONS = 6


def write_report(scenario: Scenario, records: Iterable[dict], form: str, out: IO[str],
                 also=None) -> int | None:
    """Print the records in `form`, each as it comes, and hand each to `also` (an ExportFiles)
    too. Returns the last step printed (None when there was none)."""
    writer = {"json": lambda: JsonWriter(scenario.title, out), "csv": lambda: CsvWriter(scenario, out)
              }.get(form, lambda: TableWriter(scenario, out))()
    last = None
    for record in records:
        writer.add(record)
        if also is not None:
            also.add(record)
        last = record["step"]
        out.flush()   # a row is seen as soon as it is made (a pipe, `| head`)
    writer.close()
    return last


class TableWriter:
    def __init__(self, scenario: Scenario, out: IO[str]):
        self.out = out
        self.scenario = scenario
        names = parameter_names(scenario)
        short = names[:TABLE_MAX_PARAMS]
        all_predictions = prediction_names(scenario)
        preds = all_predictions[:TABLE_MAX_PREDICTIONS]
        self.has_test = scenario.data.n_test > 0
        header = ["step", "loss"] + (["test loss"] if self.has_test else []) + short + preds
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
        self.widths = [max(len(h), 9) for h in header]
        out.write("  ".join(h.rjust(w) for h, w in zip(header, self.widths)) + "\n")
        self.last = None

    def add(self, record: dict) -> None:
        cells = [str(record["step"]), _num(record["loss"])]
        if self.has_test:
            cells.append(_num(record["test_loss"]))
        cells += [_num(v) for v in flat_parameters(record)[:TABLE_MAX_PARAMS]]
        cells += [_num(v) for v in flat_predictions(record)[:TABLE_MAX_PREDICTIONS]]
        self.out.write("  ".join(c.rjust(w) for c, w in zip(cells, self.widths)) + "\n")
        self.last = record

    def close(self) -> None:
        last = self.last
        if last and last["diverged"]:
            cause = "try a smaller learning rate"
            size = _data_size(self.scenario)
            if size >= HUGE_DATA:
                cause = (f"the data's numbers are too large to train on (about {size:.0e}): scale the "
                         f"data (data.normalize, or divide the column), not the learning rate")
            self.out.write(f"diverged at step {last['step']}: the loss or a parameter is no longer a "
                           f"finite number ({cause})\n")


def _data_size(scenario: Scenario) -> float:
    data = scenario.data
    arrays = [a for a in (data.train_inputs, data.train_targets) if a.size]
    return max((float(np.max(np.abs(a))) for a in arrays), default=0.0)


def _num(value) -> str:
    return "null" if value is None else fmt(value)
