"""The data table of a scenario: rows or CSV, train/test split, input scaling.

Raw inputs are kept for display (a learner reads 32 평, not 0.73); the model sees the scaled ones.
Scaling statistics come from the training rows only.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dltui.engine.load.reader import Reader

NORMALIZATIONS = ("none", "standard", "minmax")


@dataclass(frozen=True)
class Dataset:
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    classes: tuple[str, ...] | None
    train_inputs: np.ndarray   # (rows, features), as written in the file
    train_targets: np.ndarray  # (rows, outputs) floats, or (rows,) class indices
    test_inputs: np.ndarray
    test_targets: np.ndarray
    normalize: str
    shift: np.ndarray          # model input = (raw - shift) / scale
    scale: np.ndarray
    source_csv: str | None     # data.csv as written in the file, or None for inline rows
    test_fraction: float       # data.test_fraction (0 when absent)
    explicit_test_rows: bool   # test rows came from data.test_rows

    def key_of(self, test: bool = False) -> str:
        """The file's key the (train or test) rows came from, for messages."""
        if test and self.explicit_test_rows:
            return "data.test_rows"
        return "data.csv" if self.source_csv else "data.rows"

    @property
    def n_features(self) -> int:
        return len(self.feature_names)

    @property
    def n_outputs(self) -> int:
        return len(self.classes) if self.classes else len(self.target_names)

    @property
    def n_train(self) -> int:
        return len(self.train_inputs)

    @property
    def n_test(self) -> int:
        return len(self.test_inputs)

    def scaled(self, raw: np.ndarray) -> np.ndarray:
        """Inputs as the model sees them."""
        return (raw - self.shift) / self.scale


def build_dataset(reader: Reader, path: Path, seed: int) -> Dataset:
    """Read the `[data]` table; `path` is the scenario file (CSV paths are relative to it) and
    `seed` the training seed that shuffles the train/test split."""
    reader.check_known({"features", "target", "rows", "csv", "test_rows", "test_fraction",
                        "normalize", "classes"})
    features = _names(reader, "features")
    target_value = reader.get("target", (str, list), what="a column name or a list of names")
    targets = (target_value,) if isinstance(target_value, str) else _names(reader, "target")
    classes = None
    if "classes" in reader.table:
        classes = _names(reader, "classes")
        if len(targets) != 1:
            raise reader.fail("target", "must be one column when data.classes is given")
        if len(classes) < 2:
            raise reader.fail("classes", "must name at least 2 classes")
    columns = features + targets
    if len(set(columns)) != len(columns):
        raise reader.fail("features", "feature and target names must all be different")

    has_rows, has_csv = "rows" in reader.table, "csv" in reader.table
    if has_rows == has_csv:
        raise reader.fail("rows", "give exactly one of data.rows or data.csv")
    if has_rows:
        table = _inline_rows(reader, "rows", len(columns))
    else:
        table = _csv_rows(reader, path, columns)
    if not table:
        raise reader.fail("rows" if has_rows else "csv", "the data set is empty (no rows)")
    inputs, outputs = _convert(reader, "rows" if has_rows else "csv", table, len(features), classes)

    if "test_rows" in reader.table and "test_fraction" in reader.table:
        raise reader.fail("test_fraction", "give data.test_rows or data.test_fraction, not both")
    fraction = 0.0
    if "test_rows" in reader.table:
        test_table = _inline_rows(reader, "test_rows", len(columns))
        test_inputs, test_outputs = _convert(reader, "test_rows", test_table, len(features), classes)
    else:
        fraction = reader.number("test_fraction", 0.0)
        if not 0 <= fraction < 1:
            raise reader.fail("test_fraction", f"must be at least 0 and less than 1, not {fraction}")
        order = np.random.default_rng(seed).permutation(len(inputs))
        n_test = int(round(len(inputs) * fraction)) if fraction else 0
        if fraction and not 1 <= n_test < len(inputs):
            raise reader.fail("test_fraction", f"leaves no rows for training or testing with "
                              f"{len(inputs)} rows")
        test_idx, train_idx = np.sort(order[:n_test]), np.sort(order[n_test:])
        test_inputs, test_outputs = inputs[test_idx], outputs[test_idx]
        inputs, outputs = inputs[train_idx], outputs[train_idx]

    normalize = reader.choice("normalize", NORMALIZATIONS, "none")
    shift, scale = _scaling(normalize, inputs)
    arrays = [_readonly(a) for a in (inputs, outputs, test_inputs, test_outputs, shift, scale)]
    return Dataset(features, targets, classes, *arrays[:4], normalize, *arrays[4:],
                   source_csv=reader.table.get("csv"), test_fraction=fraction,
                   explicit_test_rows="test_rows" in reader.table)


def _readonly(array: np.ndarray) -> np.ndarray:
    """Datasets are shared by every snapshot: nobody may write into them."""
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


def _names(reader: Reader, key: str) -> tuple[str, ...]:
    value = reader.get(key, list, what="a list of names")
    if not value:
        raise reader.fail(key, "must name at least one column")
    for i, name in enumerate(value):
        if not isinstance(name, str) or not name.strip():
            raise reader.fail(f"{key}[{i}]", f"must be a non-empty string, not {name!r}")
    return tuple(value)


def _inline_rows(reader: Reader, key: str, width: int) -> list[list[Any]]:
    rows = reader.get(key, list, what="a list of rows")
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise reader.fail(f"{key}[{i}]", f"must be a list of {width} values, not {row!r}")
        if len(row) != width:
            raise reader.fail(f"{key}[{i}]", f"has {len(row)} values but every row needs {width} "
                              f"(features, then target)")
    return rows


def _csv_rows(reader: Reader, path: Path, columns: tuple[str, ...]) -> list[list[Any]]:
    name = reader.get("csv", str, what="a file path")
    csv_path = (path.parent / name)
    try:
        text = csv_path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise reader.fail("csv", f"CSV file not found: {csv_path}") from None
    except UnicodeDecodeError:
        raise reader.fail("csv", f"{csv_path} is not UTF-8 text") from None
    except OSError as exc:
        raise reader.fail("csv", f"cannot read {csv_path} ({exc.strerror or exc})") from None
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise reader.fail("csv", f"{csv_path} is not valid CSV: {exc}") from None
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        raise reader.fail("csv", f"{csv_path} is empty (it needs a header row)")
    header = [cell.strip() for cell in records[0]]
    positions = []
    for column in columns:
        if column not in header:
            raise reader.fail("csv", f"column {column!r} is not in {csv_path.name} "
                              f"(its columns: {', '.join(header)})")
        positions.append(header.index(column))
    out = []
    for line, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise reader.fail("csv", f"{csv_path.name} line {line} has {len(record)} cells, "
                              f"the header has {len(header)}")
        out.append([_csv_cell(record[p]) for p in positions])
    return out


def _csv_cell(text: str) -> Any:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        return text


def _convert(reader: Reader, key: str, table: list[list[Any]], n_features: int,
             classes: tuple[str, ...] | None) -> tuple[np.ndarray, np.ndarray]:
    inputs = np.empty((len(table), n_features))
    width = len(table[0]) if table else n_features + 1
    outputs = (np.empty(len(table), dtype=np.int64) if classes
               else np.empty((len(table), width - n_features)))
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            where = f"{key}[{i}][{j}]" if key != "csv" else key
            if classes and j == n_features:
                outputs[i] = _class_index(reader, where, value, classes, i)
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                detail = f"row {i + 1}: " if key == "csv" else ""
                raise reader.fail(where, f"{detail}must be a number, not {value!r}")
            if not math.isfinite(value):
                detail = f"row {i + 1}: " if key == "csv" else ""
                raise reader.fail(where, f"{detail}must be a finite number, not {value}")
            if j < n_features:
                inputs[i, j] = value
            else:
                outputs[i, j - n_features] = value
    inputs.flags.writeable = False
    outputs.flags.writeable = False
    return inputs, outputs


def _class_index(reader: Reader, where: str, value: Any, classes: tuple[str, ...], row: int) -> int:
    if isinstance(value, str) and value in classes:
        return classes.index(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 0 <= value < len(classes):
        return int(value)
    raise reader.fail(where, f"row {row + 1}: target {value!r} is not a class name or index "
                      f"(classes: {', '.join(classes)})")


def _scaling(normalize: str, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = inputs.shape[1]
    if normalize == "standard":
        shift, scale = inputs.mean(axis=0), inputs.std(axis=0)  # ddof=0, like StandardScaler
    elif normalize == "minmax":
        shift, scale = inputs.min(axis=0), inputs.max(axis=0) - inputs.min(axis=0)
    else:
        shift, scale = np.zeros(n), np.ones(n)
    scale = np.where(scale > 0, scale, 1.0)  # a constant column stays put instead of dividing by 0
    return shift, scale
