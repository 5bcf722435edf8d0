"""Scenario files: read a TOML file, check every key, and return a frozen `Scenario`.

Nothing here imports torch, so a screen can show a scenario's data before torch has loaded.
Every problem becomes one `ScenarioError` naming the file, the key path and what is wrong.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dltui.engine.pictures import VIEW_NAMES
from dltui.engine.load.dataset import Dataset, build_dataset

ACTIVATIONS = ("identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")
LOSSES = ("mae", "mse", "bce", "cross_entropy")
OPTIMIZERS = ("sgd", "momentum", "adam", "perceptron")
NORMALIZATIONS = ("none", "standard", "minmax")
LANGUAGES = ("ko", "en")


class ScenarioError(ValueError):
    """A scenario file that cannot be used: one message naming file, key path and problem."""

    def __init__(self, file: str | Path, key: str, problem: str):
        self.file = str(file)
        self.key = key
        self.problem = problem
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + problem)


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
class Scenario:
    """Everything needed to train and explain one small learning problem."""

    path: Path
    title: str
    descriptions: dict[str, str]
    data: Dataset
    layers: tuple[LayerSpec, ...]
    train: TrainSpec
    display: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem

    def description(self, lang: str = "ko") -> str:
        """The lesson text in `lang`, falling back to whatever language the file gives."""
        return self.descriptions.get(lang) or next(iter(self.descriptions.values()), "")


class _Reader:
    """Typed access to a TOML table that raises `ScenarioError` with the full key path."""

    def __init__(self, file: Path, table: dict, prefix: str = ""):
        self.file, self.table, self.prefix = file, table, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, problem: str) -> ScenarioError:
        return ScenarioError(self.file, self.key(name) if name else self.prefix, problem)

    def get(self, name: str, kinds: type | tuple, default: Any = ..., what: str = "") -> Any:
        if name not in self.table:
            if default is ...:
                raise self.fail(name, "is required but missing")
            return default
        value = self.table[name]
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            raise self.fail(name, f"must be {what or _kind_name(kinds)}, not true/false")
        if not isinstance(value, kinds):
            raise self.fail(name, f"must be {what or _kind_name(kinds)}, not {_describe(value)}")
        return value

    def number(self, name: str, default: Any = ..., positive: bool = False) -> float:
        value = self.get(name, (int, float), default, "a number")
        if value is default:
            return value
        if not math.isfinite(value):
            raise self.fail(name, f"must be a finite number, not {value}")
        if positive and value <= 0:
            raise self.fail(name, f"must be greater than 0, not {value}")
        return float(value)

    def choice(self, name: str, options: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(name, str, default, "a string")
        if value not in options:
            raise self.fail(name, f"unknown value {value!r}; expected one of: {', '.join(options)}")
        return value

    def sub(self, name: str, required: bool = True) -> "_Reader":
        value = self.get(name, dict, ... if required else {}, "a table")
        return _Reader(self.file, value, self.key(name))

    def check_known(self, known: set[str]) -> None:
        for name in self.table:
            if name not in known:
                raise self.fail(name, f"unknown key; expected one of: {', '.join(sorted(known))}")


def _kind_name(kinds: type | tuple) -> str:
    names = {int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a table", bool: "true or false"}
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise `ScenarioError` for anything wrong with it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(path, "", "file not found") from None
    except IsADirectoryError:
        raise ScenarioError(path, "", "is a directory, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError(path, "", f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, "", f"is not UTF-8 text (byte {exc.start} is not valid)") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, "", f"is not valid TOML: {exc}") from None
    return parse_scenario(document, path)


def parse_scenario(document: dict, path: Path) -> Scenario:
    """Validate an already-parsed TOML document (kept apart so tests can feed dictionaries)."""
    top = _Reader(path, document)
    top.check_known({"title", "description", "data", "model", "train", "display"})
    title = top.get("title", str).strip()
    if not title:
        raise top.fail("title", "must not be empty")
    descriptions = _descriptions(top)
    train = _train(top.sub("train"))
    data = build_dataset(top.sub("data"), path, train)
    model = top.sub("model")
    model.check_known({"layers"})
    layer_tables = model.get("layers", list, what="a list of [[model.layers]] tables")
    if not layer_tables:
        raise model.fail("layers", "must hold at least one layer")
    layers = _layers(model, layer_tables, data.n_features)
    _check_fit(model, layers, data, train)
    display = top.get("display", dict, {}, "a table")
    if "view" in display:   # the picture the screen opens on
        top.sub("display").choice("view", VIEW_NAMES)
    return Scenario(path, title, descriptions, data, layers, train, dict(display))


def _descriptions(top: _Reader) -> dict[str, str]:
    value = top.get("description", (str, dict), "", "a string or a table of languages")
    if isinstance(value, str):
        return {"ko": value, "en": value} if value else {}
    sub = top.sub("description")
    sub.check_known(set(LANGUAGES))
    return {lang: sub.get(lang, str) for lang in LANGUAGES if lang in value}


def _train(reader: _Reader) -> TrainSpec:
    reader.check_known({"loss", "optimizer", "learning_rate", "batch_size", "seed", "momentum",
                        "beta1", "beta2"})
    batch_size = reader.get("batch_size", int, 0)
    if batch_size < 0:
        raise reader.fail("batch_size", f"must be 0 (full batch) or a positive integer, not {batch_size}")
    seed = reader.get("seed", int, 0)
    if not 0 <= seed < 2**63:
        raise reader.fail("seed", f"must be between 0 and 2^63 - 1, not {seed}")
    optimizer = reader.choice("optimizer", OPTIMIZERS, "sgd")
    momentum = reader.number("momentum", 0.9 if optimizer == "momentum" else 0.0)
    if not 0 <= momentum < 1:
        raise reader.fail("momentum", f"must be in [0, 1), not {momentum}")
    betas = (reader.number("beta1", 0.9), reader.number("beta2", 0.999))
    for name, beta in zip(("beta1", "beta2"), betas):
        if not 0 <= beta < 1:
            raise reader.fail(name, f"must be in [0, 1), not {beta}")
    return TrainSpec(
        loss=reader.choice("loss", LOSSES),
        optimizer=optimizer,
        learning_rate=reader.number("learning_rate", positive=True),
        batch_size=batch_size,
        seed=seed,
        momentum=momentum,
        betas=betas,
    )


def _layers(model: _Reader, tables: list, n_inputs: int) -> tuple[LayerSpec, ...]:
    layers = []
    fan_in = n_inputs
    for index, table in enumerate(tables):
        key = f"layers[{index}]"
        if not isinstance(table, dict):
            raise model.fail(key, f"must be a table ([[model.layers]]), not {_describe(table)}")
        reader = _Reader(model.file, table, model.key(key))
        reader.check_known({"units", "activation", "weight", "bias"})
        units = reader.get("units", int)
        if units < 1:
            raise reader.fail("units", f"must be at least 1, not {units}")
        if units > 4096:
            raise reader.fail("units", f"must be at most 4096, not {units}")
        activation = reader.choice("activation", ACTIVATIONS, "identity")
        weight = None
        if "weight" in table:
            weight = _matrix(reader, "weight", units, fan_in)
        bias, has_bias = None, True
        if "bias" in table:
            value = table["bias"]
            if value is False:
                has_bias = False
            elif value is True:
                raise reader.fail("bias", "must be a list of numbers or false, not true")
            else:
                bias = _vector(reader, "bias", units)
        layers.append(LayerSpec(units, activation, weight, bias, has_bias))
        fan_in = units
    return tuple(layers)


def _matrix(reader: _Reader, name: str, rows: int, cols: int) -> tuple[tuple[float, ...], ...]:
    value = reader.get(name, list, what=f"a list of {rows} lists of {cols} numbers")
    if len(value) != rows:
        raise reader.fail(name, f"must have {rows} rows (one per unit), not {len(value)}"
                          f" (expected shape [{rows}][{cols}])")
    out = []
    for i, row in enumerate(value):
        if not isinstance(row, list):
            raise reader.fail(f"{name}[{i}]", f"must be a list of {cols} numbers, not {_describe(row)}"
                              f" (expected shape [{rows}][{cols}])")
        if len(row) != cols:
            raise reader.fail(f"{name}[{i}]", f"must have {cols} numbers (one per input), not {len(row)}"
                              f" (expected shape [{rows}][{cols}])")
        out.append(tuple(_finite(reader, f"{name}[{i}][{j}]", v) for j, v in enumerate(row)))
    return tuple(out)


def _vector(reader: _Reader, name: str, length: int) -> tuple[float, ...]:
    value = reader.get(name, list, what=f"a list of {length} numbers or false")
    if len(value) != length:
        raise reader.fail(name, f"must have {length} numbers (one per unit), not {len(value)}")
    return tuple(_finite(reader, f"{name}[{i}]", v) for i, v in enumerate(value))


def _finite(reader: _Reader, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise reader.fail(key, f"must be a number, not {_describe(value)}")
    if not math.isfinite(value):
        raise reader.fail(key, f"must be a finite number, not {value}")
    return float(value)


def _check_fit(model: _Reader, layers: tuple[LayerSpec, ...], data: Dataset, train: TrainSpec) -> None:
    """Cross-checks between the model, the loss and the data."""
    last_key = f"layers[{len(layers) - 1}]"
    last = layers[-1]
    if last.units != data.n_outputs:
        need = (f"{data.n_outputs} (one per class)" if data.classes
                else f"{data.n_outputs} (one per target column)")
        raise model.fail(f"{last_key}.units", f"the output layer must have {need}, not {last.units}")
    for index, layer in enumerate(layers[:-1]):
        if layer.activation == "softmax":
            raise model.fail(f"layers[{index}].activation", "softmax is only allowed on the output layer")
    if train.loss == "bce" and last.activation != "sigmoid":
        raise model.fail(f"{last_key}.activation",
                         f"loss 'bce' needs a sigmoid output layer, not {last.activation!r}")
    if train.loss == "cross_entropy":
        if last.activation != "softmax":
            raise model.fail(f"{last_key}.activation",
                             f"loss 'cross_entropy' needs a softmax output layer, not {last.activation!r}")
        if not data.classes:
            raise ScenarioError(model.file, "data.classes",
                                "loss 'cross_entropy' needs data.classes (the class names)")
    if train.optimizer == "perceptron" and (len(layers) != 1 or last.activation != "step"):
        raise ScenarioError(model.file, "train.optimizer",
                            "'perceptron' needs exactly one layer with activation 'step'")
    if train.batch_size > data.n_train:
        raise ScenarioError(model.file, "train.batch_size",
                            f"is {train.batch_size} but there are only {data.n_train} training rows")
    if train.loss == "bce":
        for key, targets in ((data.key_of(), data.train_targets), (data.key_of(test=True), data.test_targets)):
            bad = targets[~np.isin(targets, (0.0, 1.0))]
            if bad.size:
                raise ScenarioError(model.file, key, f"loss 'bce' needs targets 0 or 1, found {bad.flat[0]:g}")
