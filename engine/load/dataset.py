"""The data table of a scenario: rows or CSV, train/test split, input scaling.

Raw inputs are kept for display (a learner reads 32 평, not 0.73); the model sees the scaled ones.
Scaling statistics come from the training rows only.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from array import array
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from dltui.engine.load.number_text import underflows
from dltui.engine.load.reader import FileTooLarge, NotRegularFile, Reader, kind_of, megabytes, read_capped, shown

NORMALIZATIONS = ("none", "standard", "minmax")
MAX_INLINE_ROWS = 10_000   # data.rows / data.test_rows; a CSV reads millions in seconds, TOML does not


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
    dropped_rows: int = 0      # CSV rows left out for a missing value (data.missing = "drop")
    # False when reading the CSV took more than UTF-8, commas and plain numbers (data.encoding,
    # ';', NFD headers, "1,234", dropped rows): generated code then writes the rows out instead.
    csv_plain: bool = True

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
                        "normalize", "classes", "encoding", "missing"})
    target_value = reader.get("target", (str, list), what="column_or_names")
    targets = (target_value,) if isinstance(target_value, str) else _names(reader, "target")
    targets = tuple(unicodedata.normalize("NFC", name) for name in targets)
    has_rows, has_csv = "rows" in reader.table, "csv" in reader.table
    if has_rows == has_csv:
        raise reader.fail("rows", "data.rows_or_csv")
    for key in ("encoding", "missing"):
        if key in reader.table and not has_csv:
            raise reader.fail(key, "data.csv_only")
    csv_file = _read_csv(reader, path) if has_csv else None
    if "features" in reader.table or not has_csv:
        features = tuple(unicodedata.normalize("NFC", name) for name in _names(reader, "features"))
    else:   # every column of the CSV but the target
        features = tuple(name for name in csv_file.header if name not in targets)
        if not features:
            raise reader.fail("csv", "csv_no_features", file=csv_file.name)
    classes = None
    if "classes" in reader.table:
        classes = _names(reader, "classes")
        if len(targets) != 1:
            raise reader.fail("target", "data.classes_one_target")
        if len(classes) < 2:
            raise reader.fail("classes", "data.classes_few")
        twice = sorted({name for name in classes if classes.count(name) > 1})
        if twice:
            raise reader.fail("classes", "data.classes_twice", names=tuple(map(shown, twice)))
    columns = features + targets
    if len(set(columns)) != len(columns):
        raise reader.fail("features", "data.names_twice")

    dropped = 0
    if has_rows:
        table = _inline_rows(reader, "rows", len(columns))
        if not table:
            raise reader.fail("rows", "data.empty")
        inputs, outputs = _convert(reader, "rows", table, len(features), classes)
    else:
        inputs, outputs, dropped = _csv_arrays(reader, csv_file, features, targets, classes)

    if "test_rows" in reader.table and "test_fraction" in reader.table:
        raise reader.fail("test_fraction", "data.test_both")
    fraction = 0.0
    if "test_rows" in reader.table:
        test_table = _inline_rows(reader, "test_rows", len(columns))
        test_inputs, test_outputs = _convert(reader, "test_rows", test_table, len(features), classes)
    else:
        fraction = reader.number("test_fraction", 0.0)
        if not 0 <= fraction < 1:
            raise reader.fail("test_fraction", "data.test_fraction_range", value=shown(fraction))
        order = np.random.default_rng(seed).permutation(len(inputs))
        n_test = int(round(len(inputs) * fraction)) if fraction else 0
        if fraction and not 1 <= n_test < len(inputs):
            raise reader.fail("test_fraction", "data.test_fraction_rows", rows=len(inputs))
        test_idx, train_idx = np.sort(order[:n_test]), np.sort(order[n_test:])
        test_inputs, test_outputs = inputs[test_idx], outputs[test_idx]
        inputs, outputs = inputs[train_idx], outputs[train_idx]

    normalize = reader.choice("normalize", NORMALIZATIONS, "none")
    shift, scale = _scaling(normalize, inputs)
    arrays = [_readonly(a) for a in (inputs, outputs, test_inputs, test_outputs, shift, scale)]
    return Dataset(features, targets, classes, *arrays[:4], normalize, *arrays[4:],
                   source_csv=reader.table.get("csv"), test_fraction=fraction,
                   explicit_test_rows="test_rows" in reader.table, dropped_rows=dropped,
                   csv_plain=csv_file.plain and not dropped if csv_file else True)


def _readonly(array: np.ndarray) -> np.ndarray:
    """Datasets are shared by every snapshot: nobody may write into them."""
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


def _names(reader: Reader, key: str) -> tuple[str, ...]:
    value = reader.get(key, list, what="names")
    if not value:
        raise reader.fail(key, "data.names_none")
    for i, name in enumerate(value, start=1):
        if not isinstance(name, str) or not name.strip():
            raise reader.fail(f"{key}[{i}]", "data.name_not_text", value=shown(name))
    return tuple(value)


def _inline_rows(reader: Reader, key: str, width: int) -> list[list[Any]]:
    rows = reader.get(key, list, what="rows")
    if len(rows) > MAX_INLINE_ROWS:
        raise reader.fail(key, "too_many_inline_rows", count=len(rows), limit=MAX_INLINE_ROWS)
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list):
            raise reader.fail(f"{key}[{i}]", "value.type", expected="row", got=kind_of(row), value=shown(row),
                              width=width)
        if len(row) != width:
            raise reader.fail(f"{key}[{i}]", "data.row_width", count=len(row), width=width)
    return rows


ENCODINGS = {"utf-8": "utf-8-sig", "cp949": "cp949", "euc-kr": "cp949"}   # cp949 is a superset of EUC-KR
MISSING_WORDS = {"", "na", "n/a", "nan", "null", "none", "#n/a", "-"}
MISSING_CHOICES = ("error", "drop")
MAX_CELLS = 10_000_000   # rows × columns used: 80 MB a copy as numbers
MAX_CSV_BYTES = 256_000_000   # 10,000,000 numbers written out, with room for unused columns
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


@dataclass
class _CsvFile:
    path: Path
    name: str                 # as the scenario names it (data.csv)
    header: list[str]         # stripped, NFC
    records: Iterator[tuple[int, list[str]]]   # (file line, cells) after the header
    plain: bool               # UTF-8, commas, NFC header (so far: "1,234" cells clear it)
    delimiter: str
    header_line: int


def _read_csv(reader: Reader, path: Path) -> _CsvFile:
    """Decode the CSV (UTF-8, or data.encoding), find its delimiter and its header row."""
    name = reader.get("csv", str, what="file_path")
    csv_path = (path.parent / name)
    encoding = reader.choice("encoding", tuple(ENCODINGS), "utf-8")
    try:
        raw = read_capped(csv_path, MAX_CSV_BYTES)
    except FileNotFoundError:
        raise reader.fail("csv", "csv_not_found", path=str(csv_path)) from None
    except IsADirectoryError:
        raise reader.fail("csv", "csv_directory", path=str(csv_path)) from None
    except NotRegularFile:
        raise reader.fail("csv", "csv_not_regular", file=csv_path.name) from None
    except FileTooLarge:
        raise reader.fail("csv", "csv_file_too_large", file=csv_path.name,
                          limit=megabytes(MAX_CSV_BYTES)) from None
    except OSError as exc:
        raise reader.fail("csv", "csv_unreadable", path=str(csv_path), why=exc.strerror or str(exc)) from None
    if b"\x00" in raw[:65536]:   # UTF-8 and CP949 text never holds a NUL byte
        raise reader.fail("csv", "csv_binary", file=csv_path.name)
    try:
        text = raw.decode(ENCODINGS[encoding])
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        if encoding == "utf-8" and _looks_korean(raw):
            raise reader.fail("csv", "csv_cp949", file=csv_path.name) from None
        raise reader.fail("csv", "csv_encoding", file=csv_path.name, line=line, encoding=encoding) from None
    text = text.lstrip("\ufeff")
    lines = iter(enumerate(io.StringIO(text, newline=""), start=1))
    header_line, first = 0, ""
    for header_line, first in lines:
        if first.strip():
            break
    else:
        raise reader.fail("csv", "csv_empty", file=csv_path.name)
    delimiter = ","
    for candidate in (";", "\t"):
        if candidate in first and "," not in first:
            delimiter = candidate
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise reader.fail("csv", "csv_invalid", file=csv_path.name, line=header_line) from None
    stripped = [cell.strip() for cell in header]
    header = [unicodedata.normalize("NFC", cell) for cell in stripped]
    plain = encoding == "utf-8" and delimiter == "," and header == stripped
    return _CsvFile(csv_path, csv_path.name, header, _records(reader, csv_path.name, lines, delimiter), plain,
                    delimiter, header_line)


def _looks_korean(raw: bytes) -> bool:
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        return False
    return any("\uac00" <= char <= "\ud7a3" for char in text)


def _records(reader: Reader, name: str, lines, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for each non-blank record, one at a time; a quoted cell may span lines
    (line = where the record starts). Line numbers are the file's own, blank lines counted."""
    pending: list[str] = []
    quotes = start = 0
    for number, line in lines:
        if not pending:
            if not line.strip():
                continue
            start = number
        if not pending and '"' not in line:   # no quotes: the cells are the pieces (fast)
            yield start, line.rstrip("\r\n").split(delimiter)
            continue
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2:
            continue   # inside a quoted cell that goes on on the next line
        try:
            rows = list(csv.reader(pending, delimiter=delimiter))
        except csv.Error as exc:
            raise reader.fail("csv", "csv_invalid", file=name, line=start) from None
        pending, quotes = [], 0
        for cells in rows:
            yield start, cells
    if pending:
        raise reader.fail("csv", "csv_quote", file=name, line=start)


def _csv_arrays(reader: Reader, source: _CsvFile, features: tuple[str, ...], targets: tuple[str, ...],
                classes: tuple[str, ...] | None) -> tuple[np.ndarray, np.ndarray, int]:
    """The used columns as numbers, row by row, with the file's line and the column in every
    message; rows with a missing value dropped when data.missing = "drop"."""
    name, header = source.name, source.header
    drop = reader.choice("missing", MISSING_CHOICES, "error") == "drop"
    positions = []
    for column in features + targets:
        found = [i for i, cell in enumerate(header) if cell == column]
        if not found and len(header) < 2:   # not a table (a file named by mistake): not echoed
            raise reader.fail("csv", "csv_not_table",
                              file=name, column=column)
        if not found:
            columns = _columns_shown(header)
            raise reader.fail("csv", "csv_no_column", file=name, column=column, columns=columns)
        if len(found) > 1:
            raise reader.fail("csv", "csv_duplicate", file=name, line=source.header_line,
                              column=column, places=tuple(i + 1 for i in found))
        positions.append(found[0])
    width, n_features = len(positions), len(features)
    used = list(zip(features + targets, positions))
    if classes:   # the class column is read apart (names or indices)
        del used[n_features]
    number_columns = [column for column, _ in used]
    number_positions = [position for _, position in used]
    if len(number_positions) == 1:
        only = number_positions[0]
        pick = lambda cells: (cells[only],)   # noqa: E731
    else:
        pick = itemgetter(*number_positions)
    values = array("d")
    labels: list[int] = []
    dropped = rows = 0
    for line, cells in source.records:
        if len(cells) != len(header):
            semicolons = source.delimiter == "," and ";" in "".join(cells)
            raise reader.fail("csv", "csv_cells.semicolon" if semicolons else "csv_cells", file=name, line=line,
                              count=len(cells), header=len(header))
        picked = pick(cells)
        row = None
        try:   # the common case, fast: plain finite non-zero numbers in ASCII (no '_', '١', '１', which
            row = list(map(float, picked))   # float() allows; a 0 may be 1e-400 rounded)
            total = sum(row)
            joined = "".join(picked)
            if not (total - total == 0 and "_" not in joined and joined.isascii() and 0.0 not in row):
                row = None
        except ValueError:
            pass
        if row is None:   # cell by cell, to say which one and why (or drop the row)
            row = _slow_row(reader, source, line, cells, number_columns, number_positions, drop)
            if row is None:
                dropped += 1
                continue
        if classes:
            text = cells[positions[n_features]].strip()
            if drop and text.lower() in MISSING_WORDS:
                dropped += 1
                continue
            labels.append(_class_of(reader, name, line, targets[0], text, classes))
        values.extend(row)
        rows += 1
        if rows * width > MAX_CELLS:
            raise reader.fail("csv", "csv_too_large", file=name, line=line, limit=MAX_CELLS)
    if rows == 0:
        raise reader.fail("csv", "csv_no_rows.dropped" if dropped else "csv_no_rows", file=name)
    n_numbers = n_features if classes else width
    table = np.frombuffer(values, dtype=float).reshape(rows, n_numbers)
    inputs = table[:, :n_features].copy()
    outputs = np.array(labels, dtype=np.int64) if classes else table[:, n_features:].copy()
    return inputs, outputs, dropped


def _columns_shown(header: list[str]) -> tuple[str, ...]:
    """The header's names for a message, each clipped, at most 20 (then "..." if there are more)."""
    clipped = tuple(cell if len(cell) <= 40 else cell[:37] + "..." for cell in header[:20])
    return clipped + (("...",) if len(header) > 20 else ())


def _slow_row(reader: Reader, source: _CsvFile, line: int, cells: list[str], columns: list[str],
              positions: list[int], drop: bool) -> list[float] | None:
    """One row's numbers cell by cell, with the line and column in any message; None when the
    row has a missing value and data.missing = "drop"."""
    row = []
    for column, position in zip(columns, positions):
        text = cells[position].strip()
        value = _number(reader, source.name, line, column, text, source.delimiter)
        if "," in text:
            source.plain = False   # a thousands separator was read
        if value is None:
            if drop:
                return None
            shown = "empty cell" if not text else repr(text)
            raise reader.fail("csv", "csv_missing", file=source.name, line=line, column=column, text=text)
        row.append(value)
    return row


def _number(reader: Reader, name: str, line: int, column: str, text: str, delimiter: str) -> float | None:
    """A cell as a float; None for a missing value. `3_2` is not 32, `1,234` is 1234 (a
    thousands separator) in a comma-separated file."""
    if text.lower() in MISSING_WORDS:
        return None
    where = f"{name} line {line}, column {column!r}"
    if not text.isascii():
        raise reader.fail("csv", "csv_not_ascii", file=name, line=line, column=column, text=text)
    if "_" in text:
        raise reader.fail("csv", "csv_underscore", file=name, line=line, column=column, text=text,
                          joined=text.replace("_", ""), point=text.replace("_", "."))
    if "," in text:
        if delimiter == "," and _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        else:
            raise reader.fail("csv", "csv_comma", file=name, line=line,
                              column=column, text=text)
    try:
        value = float(text)
    except ValueError:
        raise reader.fail("csv", "csv_not_number",
                          file=name, line=line, column=column, text=text) from None
    if not math.isfinite(value):
        raise reader.fail("csv", "csv_not_finite",
                          file=name, line=line, column=column, text=text)
    if value == 0 and underflows(text):
        raise reader.fail("csv", "csv_underflow", file=name, line=line, column=column, text=text)
    return value


def _class_of(reader: Reader, name: str, line: int, column: str, text: str,
              classes: tuple[str, ...]) -> int:
    if text in classes:
        return classes.index(text)
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is not None and "_" not in text and value.is_integer() and 0 <= value < len(classes):
        return int(value)
    if text.lower() in MISSING_WORDS:
        raise reader.fail("csv", "csv_missing", file=name, line=line, column=column, text=text)
    raise reader.fail("csv", "csv_class",
                      file=name, line=line, column=column, text=text, classes=classes)


def _convert(reader: Reader, key: str, table: list[list[Any]], n_features: int,
             classes: tuple[str, ...] | None) -> tuple[np.ndarray, np.ndarray]:
    inputs = np.empty((len(table), n_features))
    width = len(table[0]) if table else n_features + 1
    outputs = (np.empty(len(table), dtype=np.int64) if classes
               else np.empty((len(table), width - n_features)))
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            where = f"{key}[{i + 1}][{j + 1}]"   # counted from 1, as --set and the screen count
            if classes and j == n_features:
                outputs[i] = _class_index(reader, where, value, classes)
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise reader.fail(where, "value.type", expected="number", got=kind_of(value), value=shown(value))
            if not math.isfinite(value):
                raise reader.fail(where, "number.not_finite", value=shown(value))
            if j < n_features:
                inputs[i, j] = value
            else:
                outputs[i, j - n_features] = value
    inputs.flags.writeable = False
    outputs.flags.writeable = False
    return inputs, outputs


def _class_index(reader: Reader, where: str, value: Any, classes: tuple[str, ...]) -> int:
    if isinstance(value, str) and value in classes:
        return classes.index(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 0 <= value < len(classes):
        return int(value)
    raise reader.fail(where, "data.class", value=shown(value), classes=classes)


def _scaling(normalize: str, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = inputs.shape[1]
    if normalize == "standard":   # ddof=0, like StandardScaler; divided by each column's largest
        size = np.max(np.abs(inputs), axis=0) if len(inputs) else np.ones(n)   # magnitude first, so
        size = np.where(size > 0, size, 1.0)                                  # data near 1e308 cannot
        shift, scale = (inputs / size).mean(axis=0) * size, (inputs / size).std(axis=0) * size   # overflow
    elif normalize == "minmax":
        shift, scale = inputs.min(axis=0), inputs.max(axis=0) - inputs.min(axis=0)
    else:
        shift, scale = np.zeros(n), np.ones(n)
    scale = np.where(scale > 0, scale, 1.0)  # a constant column stays put instead of dividing by 0
    return shift, scale
