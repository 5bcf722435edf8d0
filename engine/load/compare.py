"""Comparisons: a scenario's `[[compare]]` tables, each a named run = the base file + overrides.

A run's overrides are the dotted keys that `--set` takes, so each run is validated exactly like
a file of its own (`with_overrides`). A problem names the run's table and the key
(`compare[2]."train.optimizer"`). No torch here: the shared start is made in train/comparison.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dltui.engine.load.overrides import apply_overrides, weight_overrides, with_overrides
from dltui.engine.load.reader import Reader, ScenarioError, kind_of, shown
from dltui.engine.load.scenario import LANGUAGES, Scenario

MAX_RUNS = 9          # one key each: 1 … 9
_NAME = re.compile(r"[A-Za-z0-9_-]{1,24}")


@dataclass(frozen=True)
class Run:
    """One run of a comparison: its id, its label per language, and the scenario it trains."""

    name: str
    labels: dict[str, str]
    overrides: tuple[tuple[str, Any], ...]
    scenario: Scenario

    def label(self, lang: str = "ko") -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), self.name)


def is_comparison(scenario: Scenario) -> bool:
    return bool(scenario.document.get("compare"))


def comparison_runs(scenario: Scenario) -> tuple[Run, ...]:
    """The runs of a comparison, in file order, each validated like a file (empty if none)."""
    tables = scenario.document.get("compare")
    if tables is None:
        return ()
    top = Reader(scenario.path, scenario.document)
    top.get("compare", list, what="compare_tables")
    if not 2 <= len(tables) <= MAX_RUNS:
        raise top.fail("compare", "compare.count", count=len(tables), limit=MAX_RUNS)
    runs, seen = [], set()
    for index, table in enumerate(tables, start=1):
        where = f"compare[{index}]"
        if not isinstance(table, dict):
            raise ScenarioError(scenario.path, where, "value.type", expected="compare_table", got=kind_of(table),
                                value=shown(table))
        reader = Reader(scenario.path, table, where)
        name = reader.get("name", str)
        if not _NAME.fullmatch(name):
            raise reader.fail("name", "compare.name", value=shown(name))
        if name in seen:
            raise reader.fail("name", "compare.name_twice", value=shown(name))
        seen.add(name)
        labels = _labels(reader)
        overrides = tuple(_flatten({k: v for k, v in table.items() if k not in ("name", "label")}))
        for key, _ in overrides:
            if key.split(".")[0].split("[")[0] in ("compare", "quiz", "title", "description"):
                raise ScenarioError(scenario.path, f'{where}."{key}"', "compare.key")
        try:
            # the base's own saved state ([resume]) is not a run's: a run resumes from its own table
            # runs whose data keys agree share one dataset: the rows are read once
            run_scenario = with_overrides(scenario, (("resume", None),) + overrides + (("compare", None),),
                                          [run.scenario for run in runs])
        except ScenarioError as exc:
            raise exc.moved(scenario.path, f'{where}."{exc.key}"' if exc.key else where) from None
        runs.append(Run(name, labels, overrides, run_scenario))
    return tuple(runs)


def saved_comparison(base: Scenario, runs: tuple[Run, ...], currents: list[Scenario]) -> Scenario:
    """The comparison as a file whose every run starts where it is now: `currents` is each run's
    `current_scenario()` (its weights, learning rate and `[resume]` state), in the runs' order.
    Each `[[compare]]` table keeps its name, label and keys, and says what changed since."""
    tables = []
    for table, run, now in zip(base.document["compare"], runs, currents):
        entry = {key: table[key] for key in ("name", "label") if key in table}
        entry.update(run.overrides)
        entry.update(_changes(run.scenario, now))
        tables.append(entry)
    return with_overrides(base, {"compare": tables, "resume": None})


def _changes(was: Scenario, now: Scenario) -> dict[str, Any]:
    """Dotted keys that turn run scenario `was` into `now`: changed data, train and display keys,
    the layers' weights (the whole layer list when its shape changed) and `resume`."""
    out: dict[str, Any] = {}
    for section in ("data", "train", "display"):
        old = was.document.get(section, {})
        out.update({f"{section}.{key}": value for key, value in now.document.get(section, {}).items()
                    if old.get(key) != value})
    def shape(scenario: Scenario) -> list:
        return [(layer.units, layer.activation, layer.has_bias) for layer in scenario.layers]
    if shape(was) == shape(now):
        out.update(weight_overrides((layer.weight, layer.bias) for layer in now.layers))
    else:
        out["model.layers"] = now.document["model"]["layers"]
    if "resume" in now.document:
        out["resume"] = now.document["resume"]
    return out


def run_documents(document: dict) -> list[dict]:
    """Each run's TOML document (the base with the run's keys set), unvalidated: what a run will
    read (its data.csv), for a caller that must check that before anything is read."""
    out = []
    for table in document.get("compare") or ():
        if isinstance(table, dict):
            keys = [(k, v) for k, v in _flatten({k: v for k, v in table.items() if k not in ("name", "label")})]
            try:
                out.append(apply_overrides(document, keys + [("compare", None)]))
            except ScenarioError:
                continue   # validation says what is wrong with this run
    return out


def find_run(scenario: Scenario, name: str) -> Run:
    runs = comparison_runs(scenario)
    for run in runs:
        if run.name == name:
            return run
    if not runs:
        raise ScenarioError(scenario.path, "", "compare.none", name=name)
    raise ScenarioError(scenario.path, "compare", "compare.no_run", name=shown(name),
                        allowed=tuple(r.name for r in runs))


def _flatten(table: dict, prefix: str = ""):
    """`"train.optimizer" = "adam"` and `train.optimizer = "adam"` (a nested table) alike."""
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and "." not in key and "[" not in key:
            yield from _flatten(value, dotted)
        else:
            yield dotted, value


def _labels(reader: Reader) -> dict[str, str]:
    value = reader.get("label", (str, dict), "", "languages")
    if isinstance(value, str):
        return {lang: value for lang in LANGUAGES} if value else {}
    sub = reader.sub("label")
    sub.check_known(set(LANGUAGES))
    return {lang: sub.get(lang, str) for lang in LANGUAGES if lang in value}
