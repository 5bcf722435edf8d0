"""Property-based: the scenario loader's only outcomes are a scenario or a ScenarioError.

Random TOML documents, random bytes, and mutations of every bundled scenario (a value replaced,
a key dropped, a list cut or lengthened) go through `load_scenario`; any other exception fails.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from marks import slow_beyond
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dltui.engine import Scenario, ScenarioError, bundled_names, load_scenario, resolve

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

class Raw(str):
    """TOML text written as is: values Python cannot even print as an int (> 4,300 digits)."""


# Hostile values (issue 18): integers too large for a float (400 digits: OverflowError) or for
# Python to read (> 4,300 digits: ValueError), and lists nested up to 1,500 deep (RecursionError).
huge_integers = st.builds(lambda digits, sign: Raw(sign + "9" * digits),
                          st.integers(300, 6000), st.sampled_from(["", "-"]))
deep_lists = st.builds(lambda depth: Raw("[" * depth + "1" + "]" * depth), st.integers(20, 1500))
hostile = st.one_of(huge_integers, deep_lists)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), hostile)


def toml_value(value) -> str:
    """TOML text for a Python value (None becomes a missing key by the caller)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # JSON's string escapes are TOML's too; DEL must be escaped in TOML and is not in JSON.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items() if v is not None) + "}"
    raise TypeError(value)


def dump(document: dict) -> str:
    """A flat TOML rendering: top-level keys as inline values (tables inline)."""
    return "\n".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in document.items() if v is not None) + "\n"


values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
keys = st.sampled_from(["title", "description", "data", "model", "train", "display", "features",
                        "rows", "layers", "loss", "units", "weight", "bias", "x"])


def outcome(path: Path) -> None:
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(scenario, Scenario)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path, data):
    path = tmp_path / "random.toml"
    path.write_bytes(data)
    outcome(path)


@pytest.mark.slow
@SETTINGS
@given(st.dictionaries(keys, values, max_size=6))
def test_random_documents(tmp_path, document):
    path = tmp_path / "doc.toml"
    path.write_text(dump(document), encoding="utf-8")
    outcome(path)


def _paths(document, prefix=()):
    """Every (path) to a value inside a parsed TOML document."""
    if isinstance(document, dict):
        for k, v in document.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(document, list):
        for i, v in enumerate(document[:6]):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _mutate(document, path, action, value):
    *parents, last = path
    node = document
    for p in parents:
        node = node[p]
    if action == "drop":
        if isinstance(node, dict):
            del node[last]
        else:
            node.pop(last)
    elif action == "replace":
        node[last] = value
    elif action == "duplicate" and isinstance(node, list):
        node.append(node[last])
    elif action == "emptylist":
        node[last] = []


@pytest.mark.parametrize("name", slow_beyond(bundled_names(), fast=("house_prices", "xor")))
def test_mutations_of_bundled_scenarios(tmp_path_factory, name):
    source = resolve(name)
    original = tomllib.loads(source.read_text(encoding="utf-8"))
    paths = list(_paths(original))

    @SETTINGS
    @given(st.sampled_from(paths), st.sampled_from(["drop", "replace", "duplicate", "emptylist"]),
           st.one_of(scalars, st.lists(scalars, max_size=3)))
    def check(path, action, value):
        folder = tmp_path_factory.mktemp("mut")
        document = tomllib.loads(source.read_text(encoding="utf-8"))
        if value is None:
            value = "none"
        _mutate(document, path, action, value)
        outcome(_beside_its_csv(folder, source, document))

    check()


def _dump_nested(document: dict) -> str:
    """TOML for a parsed scenario: top-level scalars first, then each table as an inline table."""
    lines = []
    for k, v in document.items():
        lines.append(f"{toml_value(k)} = {toml_value(_strip_none(v))}")
    return "\n".join(lines) + "\n"


def _strip_none(value):
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value if v is not None]
    return value


@pytest.mark.parametrize("name", bundled_names())
def test_the_mutation_writer_round_trips_each_bundled_scenario(tmp_path, name):
    """So the mutations above start from a valid file, not from one the writer broke."""
    source = resolve(name)
    target = tmp_path / source.name
    target.write_text(_dump_nested(tomllib.loads(source.read_text(encoding="utf-8"))), encoding="utf-8")
    for csv_file in source.parent.glob("*.csv"):
        (tmp_path / csv_file.name).write_bytes(csv_file.read_bytes())
    assert load_scenario(target).title == load_scenario(source).title


@pytest.mark.parametrize("name", ["house_prices", "iris"])
def test_huge_integers_and_deep_nesting_anywhere(tmp_path_factory, name):
    """A hostile value in place of any value of a real scenario: a scenario or a ScenarioError."""
    source = resolve(name)
    original = tomllib.loads(source.read_text(encoding="utf-8"))
    paths = list(_paths(original))

    @SETTINGS
    @given(st.sampled_from(paths), hostile)
    def check(path, value):
        folder = tmp_path_factory.mktemp("hostile")
        document = tomllib.loads(source.read_text(encoding="utf-8"))
        _mutate(document, path, "replace", value)
        outcome(_beside_its_csv(folder, source, document))

    check()


CSV_SCENARIO = """title = "csv"
[data]
csv = "d.csv"
target = "y"
{extra}
[[model.layers]]
units = 1
[train]
loss = "mse"
learning_rate = 0.01
"""

csv_text = st.text(alphabet=st.sampled_from(list('0123456789.,;"_-+eE \t\r\nNAnaxy가각\ufeff')), max_size=200)


@SETTINGS
@given(st.one_of(csv_text.map(lambda t: ("x,y\n" + t).encode("utf-8")), st.binary(max_size=200)),
       st.sampled_from(["", 'missing = "drop"', 'encoding = "cp949"', 'features = ["x"]']))
def test_random_csv_files(tmp_path, data, extra):
    (tmp_path / "d.csv").write_bytes(data)
    path = tmp_path / "s.toml"
    path.write_text(CSV_SCENARIO.format(extra=extra), encoding="utf-8")
    outcome(path)


def _beside_its_csv(folder, source, document) -> Path:
    """The mutated document written in `folder` as `source`'s name, with the CSVs it may read."""
    target = folder / source.name
    target.write_text(_dump_nested(document), encoding="utf-8")
    for csv_file in source.parent.glob("*.csv"):
        (folder / csv_file.name).write_bytes(csv_file.read_bytes())
    return target
