"""A run's step history as files: one JSON document (the `dltui run --format json` schema) and
one CSV row per step. Used by `dltui run` and by the TUI's export key."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from dltui.engine.load.scenario import Scenario


def fresh_records(scenario: Scenario, steps: int) -> Iterator[dict]:
    """Records for steps 0..steps of a new run, ending early at the first diverged step."""
    from dltui.engine.train.trainer import Trainer

    trainer = Trainer(scenario)
    record = trainer.record()
    yield record
    for _ in range(steps):
        if record["diverged"]:
            return
        trainer.run(1)
        record = trainer.record()
        yield record


def replayed_records(scenario: Scenario, learning_rates: list[float]) -> Iterator[dict]:
    """Records for steps 0..len(learning_rates) - 1 of a run, replayed on a fresh trainer with
    the learning rate that was in force at each step (`Trainer.history.learning_rates`).
    Training is deterministic, so the numbers are the run's own."""
    from dltui.engine.train.trainer import Trainer

    replay = Trainer(scenario)
    for step, rate in enumerate(learning_rates):
        replay.set_learning_rate(rate)
        yield replay.record()
        if step < len(learning_rates) - 1:
            replay.run(1)


def journal_records(journal) -> Iterator[dict]:
    """Records for every step of a run described by `Trainer.journal()`: each setup replayed on a
    fresh trainer with its learning rates and hand edits. Deterministic, so bit for bit the run's
    own numbers; a step with edits carries them as `"edits": [{"parameter", "value"}]`."""
    from dltui.engine.train.trainer import Trainer

    for segment in journal:
        replay = Trainer(segment.scenario, start_step=segment.start)
        names = parameter_names(segment.scenario)
        last = segment.start + len(segment.learning_rates) - 1
        for step, rate in enumerate(segment.learning_rates, start=segment.start):
            replay.set_learning_rate(rate)
            edits = segment.edits.get(step, ())
            for index, value in edits:
                replay.edit(index, value)
            record = replay.record()
            if edits:
                record["edits"] = [{"parameter": names[i], "value": v} for i, v in edits]
            yield record
            if step < last:
                replay.run(1)


def write_json(title: str, records: Iterable[dict], out: IO[str]) -> None:
    items = list(records)
    document = {"title": title, "diverged": bool(items and items[-1]["diverged"]), "steps": items}
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


def prediction_names(scenario: Scenario) -> list[str]:
    n, k = scenario.data.n_train, scenario.data.n_outputs
    if k == 1:
        return [f"pred[{r}]" for r in range(1, n + 1)]
    return [f"pred[{r}][{o}]" for r in range(1, n + 1) for o in range(1, k + 1)]


def flat_parameters(record: dict) -> list:
    out = []
    for layer in record["layers"]:
        out += [v for row in layer["weight"] for v in row]
        out += layer["bias"] or []
    return out


def flat_predictions(record: dict) -> list:
    return [v for p in record["predictions"] for v in (p if isinstance(p, list) else [p])]


def write_csv(scenario: Scenario, records: Iterable[dict], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "loss", "test_loss", "diverged"] + parameter_names(scenario)
                    + prediction_names(scenario))
    n_params, n_predictions = len(parameter_names(scenario)), len(prediction_names(scenario))
    for record in records:
        # a run whose setup changed (t) has steps of another shape: their cells stay empty
        params, predictions = flat_parameters(record), flat_predictions(record)
        params = [_cell(v) for v in params] if len(params) == n_params else [""] * n_params
        predictions = ([_cell(v) for v in predictions] if len(predictions) == n_predictions
                       else [""] * n_predictions)
        writer.writerow([record["step"], _cell(record["loss"]), _cell(record["test_loss"]),
                         str(record["diverged"]).lower()] + params + predictions)


def write_files(scenario: Scenario, records: Iterable[dict], folder: Path) -> list[Path]:
    """history.json and history.csv in `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    items = list(records)
    json_path, csv_path = folder / "history.json", folder / "history.csv"
    with json_path.open("w", encoding="utf-8") as out:
        write_json(scenario.title, items, out)
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        write_csv(scenario, items, out)
    return [json_path, csv_path]


def write_scenario_file(scenario: Scenario, record: dict, folder: Path, learning_rate: float | None = None) -> Path:
    """scenario.toml in `folder`: the setup with the weights of `record` (a step's record) as its
    start, so that loading it shows that step's state. ScenarioError when a weight is not finite."""
    from dltui.engine.load.overrides import with_overrides
    from dltui.engine.load.writer import origin_note, write_scenario

    overrides = {} if learning_rate is None else {"train.learning_rate": learning_rate}
    for number, layer in enumerate(record["layers"], start=1):
        overrides[f"model.layers[{number}].weight"] = _finite(layer["weight"])
        if layer["bias"] is not None:
            overrides[f"model.layers[{number}].bias"] = _finite(layer["bias"])
    setup = with_overrides(scenario, overrides)
    return write_scenario(setup, Path(folder) / "scenario.toml", origin_note(setup, record["step"]))


def _finite(value):
    """JSON's null (a non-finite number) back to nan, which validation then names."""
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return float("nan") if value is None else value


def _cell(value) -> str:
    return "" if value is None else repr(value)
