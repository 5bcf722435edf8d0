"""`dltui run`: train headless and write every step as a table, CSV or one JSON document, each
step as soon as it is made (memory stays flat in the number of steps)."""

from __future__ import annotations

from typing import IO, Iterable

import numpy as np

from dltui.engine.export import (CsvWriter, JsonWriter, flat_parameters, flat_predictions,
                                 parameter_names, prediction_names)
from dltui.engine.load.scenario import Scenario
from dltui.engine.numbers import fmt
from dltui.words.cli import said
from dltui.words.messages import HUGE_DATA, t
from .columns import cells, rjust

TABLE_MAX_PARAMS = 12
TABLE_MAX_PREDICTIONS = 6


def write_report(scenario: Scenario, records: Iterable[dict], form: str, out: IO[str], lang: str = "en",
                 also=None) -> int | None:
    """Print the records in `form`, each as it comes, and hand each to `also` (an ExportFiles)
    too; the table is for people, in `lang` (CSV and JSON keep their field names). Returns the
    last step printed (None when there was none)."""
    writer = {"json": lambda: JsonWriter(scenario.title, out), "csv": lambda: CsvWriter(scenario, out)
              }.get(form, lambda: TableWriter(scenario, out, lang))()
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
    def __init__(self, scenario: Scenario, out: IO[str], lang: str = "en"):
        self.out = out
        self.scenario = scenario
        self.lang = lang
        names = parameter_names(scenario)
        short = names[:TABLE_MAX_PARAMS]
        all_predictions = prediction_names(scenario)
        preds = all_predictions[:TABLE_MAX_PREDICTIONS]
        self.has_test = scenario.data.n_test > 0
        header = ([t("step", lang), t("loss", lang)] + ([t("test_loss", lang)] if self.has_test else [])
                  + short + preds)
        out.write(f"{scenario.title}\n")
        out.write(setup_line(scenario, lang) + "\n")
        hidden = []
        if len(names) > TABLE_MAX_PARAMS:
            hidden.append(said("run.more_parameters", lang, count=len(names) - TABLE_MAX_PARAMS))
        if len(all_predictions) > TABLE_MAX_PREDICTIONS:
            hidden.append(said("run.more_predictions", lang, count=len(all_predictions) - TABLE_MAX_PREDICTIONS))
        if hidden:
            out.write(said("run.not_shown", lang, hidden=said("run.and", lang).join(hidden)) + "\n")
        self.widths = [max(cells(h), 9) for h in header]
        out.write("  ".join(rjust(h, w) for h, w in zip(header, self.widths)) + "\n")
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
            size = _data_size(self.scenario)
            cause = (said("run.cause.data", self.lang, size=f"{size:.0e}") if size >= HUGE_DATA
                     else said("run.cause.rate", self.lang))
            self.out.write(said("run.diverged", self.lang, step=last["step"], cause=cause) + "\n")


def setup_line(scenario: Scenario, lang: str) -> str:
    """"loss mse, optimizer sgd, learning rate 0.01" in `lang`."""
    train = scenario.train
    return said("run.setup", lang, loss=train.loss, optimizer=train.optimizer, lr=fmt(train.learning_rate))


def _data_size(scenario: Scenario) -> float:
    data = scenario.data
    arrays = [a for a in (data.train_inputs, data.train_targets) if a.size]
    return max((float(np.max(np.abs(a))) for a in arrays), default=0.0)


def _num(value) -> str:
    return "null" if value is None else fmt(value)
