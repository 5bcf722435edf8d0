"""Scenario files: read a TOML file, check every key, and return a frozen `Scenario`.

Nothing here imports torch, so a screen can show a scenario's data before torch has loaded.
Every problem becomes one `ScenarioError` naming the file, the key path and what is wrong.
"""

from __future__ import annotations

import math
import tomllib
import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dltui.engine import ops
from dltui.engine.views import VIEW_NAMES, view
from dltui.engine.load.dataset import MAX_INLINE_ROWS, NORMALIZATIONS, Dataset, build_dataset
from dltui.engine.load.quiz import check_answers, quiz_specs
from dltui.engine.load.reader import (MAX_FLOAT_INT, FileTooLarge, NotRegularFile, Reader, ScenarioError, megabytes,
                                     kind_of, read_capped, shown, too_large_integer)
from dltui.engine.load.toml_error import toml_error_values


ACTIVATIONS = ops.ACTIVATION_NAMES
LOSSES = ops.LOSS_NAMES
OPTIMIZERS = ops.OPTIMIZER_NAMES
LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class LayerSpec:
    """One dense layer as the file describes it; `weight`/`bias` None means seeded init."""

    units: int
    activation: str
    weight: tuple[tuple[float, ...], ...] | None
    bias: tuple[float, ...] | None
    has_bias: bool


@dataclass(frozen=True)
class TrainSpec:
    loss: str
    optimizer: str
    learning_rate: float
    batch_size: int
    seed: int
    momentum: float
    betas: tuple[float, float]


@dataclass(frozen=True)
class Resume:
    """Where a saved run goes on (`[resume]`): the step it was saved at, which is also its place in
    the minibatch order, and per layer the optimizer's state of its weight and bias
    ({"weight": {torch key: nested lists or a count}, "bias": {⋯}}), empty when it keeps none."""

    step: int
    layers: tuple[dict[str, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class Scenario:
    """Everything needed to train and explain one small learning problem."""

    path: Path
    title: str
    descriptions: dict[str, str]
    data: Dataset
    layers: tuple[LayerSpec, ...]
    train: TrainSpec
    display: dict[str, Any]
    # The TOML document as read (before validation), so overrides can be applied to it and
    # validated again: `engine.load.overrides.with_overrides`. Never mutate it.
    document: dict = field(default_factory=dict, repr=False, compare=False)
    quiz: tuple = ()   # the file's own [[quiz]] questions (engine.load.quiz.QuizSpec)
    resume: Resume | None = None   # a saved run's state to go on from; None: a fresh start

    @property
    def name(self) -> str:
        return self.path.stem

    def description(self, lang: str = "ko") -> str:
        """The lesson text in `lang`, falling back to whatever language the file gives."""
        return self.descriptions.get(lang) or next(iter(self.descriptions.values()), "")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise `ScenarioError` for anything wrong with it.
    (With overrides: `engine.load.overrides.load_with_overrides`.)"""
    return parse_scenario(read_document(path), Path(path))


def read_document(path: str | Path) -> dict:
    """The file's TOML document, unvalidated; `ScenarioError` if it cannot be read or parsed."""
    path = Path(path)
    try:
        raw = read_capped(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise ScenarioError(path, "", "file.not_found") from None
    except IsADirectoryError:
        raise ScenarioError(path, "", "file.directory") from None
    except NotRegularFile:
        raise ScenarioError(path, "", "not_regular_file") from None
    except FileTooLarge:
        raise ScenarioError(path, "", "file_too_large", limit=megabytes(MAX_FILE_BYTES)) from None
    except OSError as exc:
        raise ScenarioError(path, "", "file.unreadable", why=exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, "", "file.not_utf8", byte=exc.start + 1) from None
    if text.count("[") > MAX_BRACKETS:   # tomllib takes minutes over a million inline rows
        raise ScenarioError(path, "", "too_many_lists", count=MAX_BRACKETS, limit=MAX_INLINE_ROWS)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", "toml.syntax", **toml_error_values(exc, text)) from None
    except ValueError:   # Python refuses to read an integer longer than 4,300 digits
        line, digits = _longest_number(text)
        raise ScenarioError(path, "", "number_too_long", line=line, digits=digits) from None
    except RecursionError:
        raise ScenarioError(path, "", "too_deep_at", depth=MAX_DEPTH, line=_deep_line(text)) from None
    return document


MAX_FILE_BYTES = 32_000_000   # a scenario file: the largest model's weights written out fit in 8 MB
MAX_BRACKETS = 2 * MAX_INLINE_ROWS + 5_000   # rows and test rows, one '[' each, plus the rest
MAX_DEPTH = 32   # lists and tables inside each other; a real scenario needs 4 (data.rows[i][j])


def _longest_number(text: str) -> tuple[int, int]:
    """(line, digits) of the longest run of digits in the text (underscores count as part of it)."""
    import re

    best = max(re.finditer(r"[0-9_]+", text), key=lambda m: len(m.group()), default=None)
    if best is None:
        return 1, 0
    return text.count("\n", 0, best.start()) + 1, len(best.group().replace("_", ""))


def _deep_line(text: str) -> int:
    """The line where brackets first open more than MAX_DEPTH deep (strings are not skipped:
    good enough to point at the place)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(char, 0)
            if depth > MAX_DEPTH:
                return number
    return 1


def check_document(document: dict, path: Path) -> None:
    """Before validation: no structure deeper than MAX_DEPTH (nothing below may recurse without
    bound) and no integer too large for a float, each named by its key path."""
    stack = [(document, "", 0)]
    while stack:
        value, key, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ScenarioError(path, _short_key(key), "too_deep", depth=MAX_DEPTH)
        if isinstance(value, dict):
            stack += [(v, f"{key}.{k}" if key else str(k), depth + 1) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, f"{key}[{i + 1}]", depth + 1) for i, v in enumerate(value)]
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_FLOAT_INT:
            raise too_large_integer(Reader(path, {}, ""), key, value)


def _short_key(key: str) -> str:
    return key if len(key) <= 60 else key[:57] + "..."


def parse_scenario(document: dict, path: Path, dataset: Dataset | None = None) -> Scenario:
    """Validate an already-parsed TOML document (kept apart so tests can feed dictionaries).

    `dataset`: the data this document's `[data]` table and `train.seed` already built (a change of
    other keys), used as it is instead of reading the rows or the CSV again."""
    check_document(document, path)
    top = Reader(path, document)
    top.check_known({"title", "description", "data", "model", "train", "display", "compare", "quiz", "resume"})
    title = top.get("title", str).strip()
    if not title:
        raise top.fail("title", "value.empty")
    descriptions = _descriptions(top)
    train = _train(top.sub("train"))
    data = dataset if dataset is not None else build_dataset(top.sub("data"), path, seed=train.seed)
    model = top.sub("model")
    model.check_known({"layers"})
    layer_tables = model.get("layers", list, what="layer_tables")
    if not layer_tables:
        raise model.fail("layers", "layers.none")
    layers = _layers(model, layer_tables, data.n_features)
    _check_size(model, layers, data)
    _check_fit(model, layers, data, train)
    display = _display(top, layers, data)
    quiz = quiz_specs(top)
    check_answers(path, quiz, layers, data.n_features, data.n_train)
    resume = _resume(top, layers, data.n_features, train) if "resume" in document else None
    return Scenario(path, title, descriptions, data, layers, train, dict(display), quiz=quiz,
                    document=copy.deepcopy(document), resume=resume)


MAX_RESUME_STEP = 2**53   # a step count every float holds exactly


def _resume(top: Reader, layers: tuple[LayerSpec, ...], n_inputs: int, train: TrainSpec) -> Resume:
    """`[resume]`: a step, and the optimizer's state in the shapes of the model's parameters, with
    exactly the keys this optimizer keeps (a typo would silently start that state afresh)."""
    reader = top.sub("resume")
    reader.check_known({"step", "layers"})
    step = reader.get("step", int)
    if not 0 <= step <= MAX_RESUME_STEP:
        raise reader.fail("step", "resume.step_range", value=step)
    if "layers" not in reader.table:
        return Resume(step)
    optimizer = ops.optimizer(train.optimizer)
    per_element, counts = tuple(optimizer.state_names), optimizer.counts
    keys = set(per_element) | set(counts)
    if not keys:
        raise reader.fail("layers", "resume.no_state", optimizer=train.optimizer)
    tables = reader.get("layers", list, what="resume_tables", count=len(layers))
    if len(tables) != len(layers):
        raise reader.fail("layers", "resume.layer_count", count=len(tables), need=len(layers))
    out, fan_in = [], n_inputs
    for index, (table, spec) in enumerate(zip(tables, layers), start=1):
        if not isinstance(table, dict):
            raise reader.fail(f"layers[{index}]", "value.type", expected="table", got=kind_of(table),
                              value=shown(table))
        layer = Reader(top.file, table, reader.key(f"layers[{index}]"))
        names = {"weight", "bias"} if spec.has_bias else {"weight"}
        layer.check_known(names)
        parsed = {}
        for name in sorted(names & set(table)):
            values = layer.sub(name)
            values.check_known(keys)
            missing = sorted(keys - set(values.table))
            if missing:
                raise values.fail(missing[0], "value.missing")
            parsed[name] = {key: (_count(values, key) if key in counts
                                  else _matrix(values, key, spec.units, fan_in) if name == "weight"
                                  else _vector(values, key, spec.units))
                            for key in sorted(keys)}
        if parsed and set(parsed) != names:
            raise layer.fail(sorted(names - set(parsed))[0], "value.missing")
        out.append(parsed)
        fan_in = spec.units
    if any(out) and not all(out):
        empty = next(i for i, tables in enumerate(out, start=1) if not tables)
        raise reader.fail(f"layers[{empty}]", "resume.layer_empty")
    return Resume(step, tuple(out))


def _count(reader: Reader, key: str) -> int:
    value = reader.get(key, int, what="integer")
    if not 0 <= value <= MAX_RESUME_STEP:
        raise reader.fail(key, "resume.step_range", value=value)
    return value


DISPLAY_OUTPUTS = ("rgb",)


def _display(top: Reader, layers: tuple[LayerSpec, ...], data: Dataset) -> dict[str, Any]:
    """`[display]`: checked here, so a file that loads is one every view can draw."""
    display = top.get("display", dict, {}, "table")
    if not display:
        return {}
    reader = top.sub("display")
    reader.check_known({"view", "output", "rgb_rows"})
    if "view" in display:   # the picture the screen opens on (engine/views.py)
        reader.choice("view", VIEW_NAMES)
    if "output" in display:
        reader.choice("output", DISPLAY_OUTPUTS)
        # "rgb": the three training rows are the R, G, B channels of one colour (one output each)
        if data.n_train != 3 or data.n_outputs != 1 or data.classes or layers[-1].units != 1:
            raise reader.fail("output", "display.rgb_shape.classes" if data.classes else "display.rgb_shape",
                              rows=data.n_train, outputs=data.n_outputs, units=layers[-1].units)
    if "rgb_rows" in display:
        names = reader.get("rgb_rows", list, what="three_names")
        if len(names) != 3 or not all(isinstance(n, str) and n.strip() for n in names):
            raise reader.fail("rgb_rows", "display.rgb_names")
        if display.get("output") != "rgb":
            raise reader.fail("rgb_rows", "display.rgb_rows_alone")
    wanted = view(display["view"]).display_output if "view" in display else None
    if wanted is not None and display.get("output") != wanted:   # the paint view needs `output = "rgb"`
        raise reader.fail("view", "display.paint_alone")
    return dict(display)


def _descriptions(top: Reader) -> dict[str, str]:
    value = top.get("description", (str, dict), "", "languages")
    if isinstance(value, str):
        return {"ko": value, "en": value} if value else {}
    sub = top.sub("description")
    sub.check_known(set(LANGUAGES))
    return {lang: sub.get(lang, str) for lang in LANGUAGES if lang in value}


def _train(reader: Reader) -> TrainSpec:
    reader.check_known({"loss", "optimizer", "learning_rate", "batch_size", "seed", "momentum",
                        "beta1", "beta2"})
    batch_size = reader.get("batch_size", int, 0)
    if batch_size < 0:
        raise reader.fail("batch_size", "batch.negative", value=batch_size)
    seed = reader.get("seed", int, 0)
    if not 0 <= seed < 2**63:
        raise reader.fail("seed", "seed.range", value=seed)
    optimizer = reader.choice("optimizer", OPTIMIZERS, ops.DEFAULT_OPTIMIZER)
    momentum = reader.number("momentum", ops.optimizer(optimizer).default_momentum)
    if not 0 <= momentum < 1:
        raise reader.fail("momentum", "number.unit_range", value=shown(momentum))
    betas = (reader.number("beta1", 0.9), reader.number("beta2", 0.999))
    for name, beta in zip(("beta1", "beta2"), betas):
        if not 0 <= beta < 1:
            raise reader.fail(name, "number.unit_range", value=shown(beta))
    return TrainSpec(
        loss=reader.choice("loss", LOSSES),
        optimizer=optimizer,
        learning_rate=reader.number("learning_rate", positive=True),
        batch_size=batch_size,
        seed=seed,
        momentum=momentum,
        betas=betas,
    )


def _layers(model: Reader, tables: list, n_inputs: int) -> tuple[LayerSpec, ...]:
    layers = []
    fan_in = n_inputs
    for index, table in enumerate(tables):
        key = f"layers[{index + 1}]"  # counted from 1, as on screen and in --set
        if not isinstance(table, dict):
            raise model.fail(key, "value.type", expected="layer_table", got=kind_of(table), value=shown(table))
        reader = Reader(model.file, table, model.key(key))
        reader.check_known({"units", "activation", "weight", "bias"})
        units = reader.get("units", int)
        if units < 1:
            raise reader.fail("units", "units.too_few", value=units)
        if units > MAX_UNITS:
            raise reader.fail("units", "units.too_many", value=units, limit=MAX_UNITS)
        activation = reader.choice("activation", ACTIVATIONS, ops.DEFAULT_ACTIVATION)
        weight = None
        if "weight" in table:
            weight = _matrix(reader, "weight", units, fan_in)
        bias, has_bias = None, True
        if "bias" in table:
            value = table["bias"]
            if value is False:
                has_bias = False
            elif value is True:
                raise reader.fail("bias", "bias.true")
            else:
                bias = _vector(reader, "bias", units)
        layers.append(LayerSpec(units, activation, weight, bias, has_bias))
        fan_in = units
    return tuple(layers)


def _matrix(reader: Reader, name: str, rows: int, cols: int) -> tuple[tuple[float, ...], ...]:
    value = reader.get(name, list, what="matrix", rows=rows, cols=cols)
    if len(value) != rows:
        raise reader.fail(name, "weights.rows", count=len(value), rows=rows, cols=cols)
    out = []
    for i, row in enumerate(value):
        if not isinstance(row, list):
            raise reader.fail(f"{name}[{i + 1}]", "value.type", expected="matrix_row", got=kind_of(row),
                              value=shown(row), rows=rows, cols=cols)
        if len(row) != cols:
            raise reader.fail(f"{name}[{i + 1}]", "weights.count", count=len(row), rows=rows, cols=cols)
        out.append(tuple(_finite(reader, f"{name}[{i + 1}][{j + 1}]", v) for j, v in enumerate(row)))
    return tuple(out)


def _vector(reader: Reader, name: str, length: int) -> tuple[float, ...]:
    value = reader.get(name, list, what="bias_list", length=length)
    if len(value) != length:
        raise reader.fail(name, "bias.count", count=len(value), length=length)
    return tuple(_finite(reader, f"{name}[{i + 1}]", v) for i, v in enumerate(value))


def _finite(reader: Reader, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise reader.fail(key, "value.type", expected="number", got=kind_of(value), value=shown(value))
    if not math.isfinite(value):
        raise reader.fail(key, "number.not_finite", value=shown(value))
    return float(value)


# Every accepted file builds in seconds and a few hundred MB (torch alone is ~300 MB): a step
# costs about rows ⋅ parameters multiply-adds (0.1‒0.2 s at the cap on 2 cores), and every copy
# of the layer outputs holds rows ⋅ units numbers.
MAX_PARAMETERS = 300_000
MAX_UNITS = 4096                # in one layer
MAX_WORK = 100_000_000          # training rows ⋅ parameters, per step
MAX_ACTIVATIONS = 5_000_000     # training rows ⋅ units of all layers


def parameter_count(layers: tuple[LayerSpec, ...], n_inputs: int) -> int:
    total, fan_in = 0, n_inputs
    for layer in layers:
        total += layer.units * fan_in + (layer.units if layer.has_bias else 0)
        fan_in = layer.units
    return total


def _check_size(model: Reader, layers: tuple[LayerSpec, ...], data: Dataset) -> None:
    """A model too large for the machine is refused before anything is built."""
    params = parameter_count(layers, data.n_features)
    rows = data.n_train + data.n_test
    if params > MAX_PARAMETERS:
        raise model.fail("layers", "too_many_parameters", count=params, limit=MAX_PARAMETERS)
    if rows * params > MAX_WORK:
        raise model.fail("layers", "too_much_work", rows=rows, count=params, work=rows * params, limit=MAX_WORK)
    units = sum(layer.units for layer in layers)
    if rows * units > MAX_ACTIVATIONS:
        raise model.fail("layers", "too_many_activations", rows=rows, units=units, work=rows * units,
                         limit=MAX_ACTIVATIONS)


def _check_fit(model: Reader, layers: tuple[LayerSpec, ...], data: Dataset, train: TrainSpec) -> None:
    """Cross-checks between the model, the loss and the data."""
    last_key = f"layers[{len(layers)}]"
    last = layers[-1]
    if last.units != data.n_outputs:
        raise model.fail(f"{last_key}.units", "output.classes" if data.classes else "output.targets",
                         need=data.n_outputs, value=last.units)
    for index, layer in enumerate(layers[:-1]):
        if ops.activation(layer.activation).output_only:
            raise model.fail(f"layers[{index + 1}].activation", "activation.output_only", activation=layer.activation)
    loss = ops.loss(train.loss)
    if loss.output_activation and last.activation != loss.output_activation:
        raise model.fail(f"{last_key}.activation", "loss.output_activation", loss=train.loss,
                         need=loss.output_activation, value=last.activation)
    if data.classes and not loss.class_targets:
        wanted = tuple(n for n in ops.LOSS_NAMES if ops.loss(n).class_targets)
        raise ScenarioError(model.file, "train.loss", "loss.number_targets", loss=train.loss, allowed=wanted)
    if loss.class_targets and not data.classes:
        raise ScenarioError(model.file, "data.classes", "loss.needs_classes", loss=train.loss)
    output = ops.activation(last.activation)
    if last.units < output.min_units:
        raise model.fail(f"{last_key}.units", "output.min_units", activation=last.activation,
                         need=output.min_units, value=last.units)
    requires = ops.optimizer(train.optimizer).requires
    if requires is not None and requires(layers):
        raise ScenarioError(model.file, "train.optimizer", requires(layers), optimizer=train.optimizer)
    if train.batch_size > data.n_train:
        raise ScenarioError(model.file, "train.batch_size", "batch.too_large", value=train.batch_size,
                            rows=data.n_train)
    if loss.binary_targets:
        for key, targets in ((data.key_of(), data.train_targets), (data.key_of(test=True), data.test_targets)):
            bad = targets[~np.isin(targets, (0.0, 1.0))]
            if bad.size:
                raise ScenarioError(model.file, key, "loss.binary_targets", loss=train.loss,
                                    value=f"{bad.flat[0]:g}")
