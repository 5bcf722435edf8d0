"""A run's step history as files: one JSON document (the `dltui run --format json` schema) and
one CSV row per step. Used by `dltui run` and by the TUI's export key."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from dltui.engine import naming
from dltui.engine.load.scenario import Scenario


def fresh_records(scenario: Scenario, steps: int) -> Iterator[dict]:
    """Records for the scenario's first step (0, or a saved run's) and `steps` more of a new run,
    ending early at the first diverged step."""
    from dltui.engine.train.trainer import Trainer

    yield from trainer_records(Trainer(scenario), steps)


def trainer_records(trainer, steps: int) -> Iterator[dict]:
    """Records for the trainer's step now and `steps` more (it is left at the last one)."""
    from dltui.engine.train.fast import recorded_steps

    yield from recorded_steps(trainer, steps)


def replayed_records(scenario: Scenario, learning_rates: list[float], every: int = 1) -> Iterator[dict]:
    """Records for steps 0..len(learning_rates) - 1 of a run, replayed on a fresh trainer with
    the learning rate that was in force at each step (`Trainer.history.learning_rates`).
    Training is deterministic, so the numbers are the run's own. With `every` > 1 only every
    k-th step and the last are recorded (the others are still trained through)."""
    from dltui.engine.train.trainer import Trainer

    replay = Trainer(scenario)
    last = len(learning_rates) - 1
    for step, rate in enumerate(learning_rates):
        replay.set_learning_rate(rate)
        if kept(step, every, last):
            yield replay.record()
        if step < last:
            replay.run(1)


def journal_records(journal, every: int = 1) -> Iterator[dict]:
    """Records for every step of a run described by `Trainer.journal()`: each setup replayed on a
    fresh trainer with its learning rates and hand edits. Deterministic, so bit for bit the run's
    own numbers; a step with edits carries them as `"edits": [{"parameter", "value"}]`. With
    `every` > 1 only every k-th step and the last are recorded (all are still trained through)."""
    from dltui.engine.train.trainer import Trainer

    final = journal[-1].start + len(journal[-1].learning_rates) - 1
    for segment in journal:
        replay = Trainer(segment.scenario, start_step=segment.start)
        names = parameter_names(segment.scenario)
        last = segment.start + len(segment.learning_rates) - 1
        for step, rate in enumerate(segment.learning_rates, start=segment.start):
            replay.set_learning_rate(rate)
            edits = segment.edits.get(step, ())
            for index, value in edits:
                replay.edit(index, value)
            if kept(step, every, final):
                record = replay.record()
                if edits:
                    record["edits"] = [{"parameter": names[i], "value": v} for i, v in edits]
                yield record
            if step < last:
                replay.run(1)


def write_json(title: str, records: Iterable[dict], out: IO[str]) -> None:
    """One JSON document, written step by step (nothing is kept but the last record)."""
    writer = JsonWriter(title, out)
    for record in records:
        writer.add(record)
    writer.close()


class JsonWriter:
    """`{"title": ⋯, "steps": [ ⋯ ], "diverged": ⋯}` on one line, streamed one step at a time.

    `thinned` (when an export keeps only every k-th step) is written into the document too."""

    def __init__(self, title: str, out: IO[str], thinned: dict | None = None):
        self.out, self._first, self._diverged = out, True, False
        head = json.dumps(title, ensure_ascii=False)
        out.write('{"title": ' + head)
        if thinned is not None:
            out.write(', "thinned": ' + json.dumps(thinned, ensure_ascii=False))
        out.write(', "steps": [')

    def add(self, record: dict) -> None:
        if not self._first:
            self.out.write(", ")
        self._first = False
        self.out.write(json.dumps(record, ensure_ascii=False, allow_nan=False))
        self._diverged = bool(record["diverged"])

    def close(self) -> None:
        self.out.write('], "diverged": ' + ("true" if self._diverged else "false") + "}\n")


def parameter_names(scenario: Scenario) -> list[str]:
    """Column names for every weight and bias, as on screen (engine/naming.py): `w1`⋯`b` for
    one neuron, else `L1 w[1,2]` (layer 1, unit 1's weight on input 2) and `L1 b[1]`."""
    shapes, fan_in = [], scenario.data.n_features
    for layer in scenario.layers:
        shapes.append((layer.units, fan_in, layer.has_bias))
        fan_in = layer.units
    return naming.parameter_names(shapes)


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
    writer = CsvWriter(scenario, out)
    for record in records:
        writer.add(record)
    writer.close()


class CsvWriter:
    """A header row, then one row per step as it comes. `note` (thinned exports) is a first
    line starting with '#'."""

    def __init__(self, scenario: Scenario, out: IO[str], note: str | None = None):
        if note is not None:
            out.write(f"# {note}\n")
        self._writer = csv.writer(out, lineterminator="\n")
        self._writer.writerow(["step", "loss", "test_loss", "learning_rate", "accuracy", "test_accuracy",
                               "diverged"] + parameter_names(scenario) + prediction_names(scenario))
        self._sizes = (len(parameter_names(scenario)), len(prediction_names(scenario)))

    def add(self, record: dict) -> None:
        # a run whose setup changed (t) has steps of another shape: their cells stay empty
        cells = []
        for values, size in zip((flat_parameters(record), flat_predictions(record)), self._sizes):
            cells += [_cell(v) for v in values] if len(values) == size else [""] * size
        self._writer.writerow([record["step"], _cell(record["loss"]), _cell(record["test_loss"]),
                               _cell(record["learning_rate"]), _cell(record["accuracy"]),
                               _cell(record["test_accuracy"]), str(record["diverged"]).lower()]
                              + cells)

    def close(self) -> None:
        pass


# ------------------------------------------------------------------ files: atomic and bounded

EXPORT_BUDGET_BYTES = 48 << 20   # per file: a long, wide run keeps every k-th step instead


def record_bytes(scenario: Scenario) -> int:
    """A rough size of one step in the files: ~22 characters a number, plus the row's frame."""
    numbers = len(parameter_names(scenario)) + scenario.data.n_train * scenario.data.n_outputs
    return 22 * numbers + 80


def export_every(scenario: Scenario, last_step: int, budget: int = EXPORT_BUDGET_BYTES) -> int:
    """Keep every k-th step (and the last) so that steps 0..last_step fit in `budget` bytes."""
    return max(1, -(-((last_step + 1) * record_bytes(scenario)) // budget))


def kept(step: int, every: int, last_step: int) -> bool:
    return step % every == 0 or step == last_step


def thinned_note(every: int, last_step: int) -> dict:
    return {"every": every, "last_step": last_step,
            "ko": f"파일이 너무 커지지 않도록 {every}단계마다 하나씩(그리고 마지막 단계) 저장했습니다 "
                  f"(0~{last_step}단계 중).",
            "en": f"to keep the file a sensible size, one step in every {every} (and the last) of "
                  f"steps 0..{last_step} is saved."}


class AtomicFile:
    """A text file written under a temporary name in the same folder and renamed into place on
    `commit()`: an interrupted or failed write (Ctrl-C, a full disk) leaves the old file, or none,
    never a truncated one. `discard()` removes the temporary file."""

    def __init__(self, path: Path):
        self.path = path
        self.temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.file = self.temp.open("w", encoding="utf-8", newline="")

    def commit(self) -> Path:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.temp, self.path)
        return self.path

    def discard(self) -> None:
        try:
            self.file.close()
        except OSError:
            pass
        self.temp.unlink(missing_ok=True)


class ExportCancelled(Exception):
    """The export was asked to stop (the app is quitting); nothing was left half-written."""


class HistoryWriter:
    """history.json and history.csv of one run into two text streams, one step at a time. Steps
    beyond the size budget are thinned to every k-th step and the last (the files say so)."""

    def __init__(self, scenario: Scenario, json_out: IO[str], csv_out: IO[str], last_step: int,
                 budget: int = EXPORT_BUDGET_BYTES):
        self.last_step = last_step
        self.every = export_every(scenario, last_step, budget)
        note = thinned_note(self.every, last_step) if self.every > 1 else None
        self._json = JsonWriter(scenario.title, json_out, note)
        self._csv = CsvWriter(scenario, csv_out, note and f"{note['ko']} / {note['en']}")
        self._pending: dict | None = None   # the newest record not kept (written if it is last)

    def add(self, record: dict) -> None:
        if kept(record["step"], self.every, self.last_step):
            self._write(record)
            self._pending = None
        else:
            self._pending = record

    def _write(self, record: dict) -> None:
        self._json.add(record)
        self._csv.add(record)

    def close(self) -> None:
        if self._pending is not None:   # the run ended early (diverged): keep its last step
            self._write(self._pending)
        self._json.close()
        self._csv.close()


class ExportFiles:
    """history.json and history.csv of one run in `folder` (a HistoryWriter into two atomic
    files). Use as a context manager: an exception discards both temporary files."""

    def __init__(self, scenario: Scenario, folder: Path, last_step: int,
                 budget: int = EXPORT_BUDGET_BYTES):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._files: list[AtomicFile] = []
        try:
            json_file = self._open(folder / "history.json")
            csv_file = self._open(folder / "history.csv")
            self._history = HistoryWriter(scenario, json_file.file, csv_file.file, last_step, budget)
        except BaseException:
            self.discard()
            raise
        self.every = self._history.every

    def _open(self, path: Path) -> AtomicFile:
        file = AtomicFile(path)
        self._files.append(file)
        return file

    def add(self, record: dict) -> None:
        self._history.add(record)

    def commit(self) -> list[Path]:
        self._history.close()
        return [file.commit() for file in self._files]

    def discard(self) -> None:
        for file in self._files:
            file.discard()

    def __enter__(self) -> "ExportFiles":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.discard()


def write_files(scenario: Scenario, records: Iterable[dict], folder: Path, last_step: int,
                cancelled: Callable[[], bool] = lambda: False,
                budget: int = EXPORT_BUDGET_BYTES) -> list[Path]:
    """history.json and history.csv in `folder` (created if needed), for steps 0..last_step,
    thinned past `budget`; raises ExportCancelled (leaving no history file) when `cancelled()`."""
    with ExportFiles(scenario, folder, last_step, budget) as files:
        for record in records:
            if cancelled():
                raise ExportCancelled(str(folder))
            files.add(record)
        return files.commit()


def run_histories(journals: list[tuple[str | None, list]], budget: int = EXPORT_BUDGET_BYTES):
    """(folder, scenario, last step, records) of every run in `journals` ((name, `Trainer.journal()`),
    as `Run.journals()` gives them): folder "" for a single run (name None), NAME for each run of
    a comparison. Each run is replayed bit for bit and thinned to `budget` like `write_files`."""
    for name, journal in journals:
        scenario = journal[0].scenario
        last = journal[-1].start + len(journal[-1].learning_rates) - 1
        yield name or "", scenario, last, journal_records(journal, export_every(scenario, last, budget))


def write_journals(journals: list[tuple[str | None, list]], folder: Path,
                   cancelled: Callable[[], bool] = lambda: False) -> list[Path]:
    """history.json and history.csv of every run in `journals`: in `folder` for a single run, in
    `folder/NAME/` for each run of a comparison (`run_histories`)."""
    paths = []
    for name, scenario, last, records in run_histories(journals):
        paths += write_files(scenario, records, Path(folder) / name, last, cancelled)
    return paths


class ExportTooBig(Exception):
    """The histories came out larger than the size they were thinned for."""


def history_files(journals: list[tuple[str | None, list]], budget: int, max_bytes: int) -> dict[str, bytes]:
    """history.json and history.csv of every run in `journals`, in memory, by the path a local
    export gives them (`NAME/history.json` for each run of a comparison): a download. The runs
    share `budget` when thinned; ExportTooBig past `max_bytes` in all."""
    files, used = {}, 0
    for name, scenario, last, records in run_histories(journals, budget // len(journals)):
        as_json, as_csv = io.StringIO(), io.StringIO()
        history = HistoryWriter(scenario, as_json, as_csv, last, budget // len(journals))
        for record in records:
            history.add(record)
            if used + as_json.tell() + as_csv.tell() > max_bytes:   # the estimate was far off
                raise ExportTooBig(name)
        history.close()
        prefix = f"{name}/" if name else ""
        files[f"{prefix}history.json"] = as_json.getvalue().encode("utf-8")
        files[f"{prefix}history.csv"] = as_csv.getvalue().encode("utf-8")
        used += len(files[f"{prefix}history.json"]) + len(files[f"{prefix}history.csv"])
    return files


def write_scenario_file(trainer, folder: Path) -> Path:
    """scenario.toml in `folder`: the setup in force with the trainer's state as its start (weights,
    and the optimizer's state and step in `[resume]`), so that loading it goes on exactly from
    there. ScenarioError when a weight is not finite."""
    from dltui.engine.load.writer import origin_note, write_scenario

    setup = trainer.current_scenario()
    step = trainer.step_count
    note = origin_note(setup, step, bool(trainer.history.edits_at(step)))
    return write_scenario(setup, Path(folder) / "scenario.toml", note)


def _cell(value) -> str:
    return "" if value is None else repr(value)
