"""Scenario overrides: change keys of a scenario's TOML document, then validate it like the file.

One mechanism for `dltui run/check/SCENARIO --set KEY=VALUE`, the TUI's settings screen and
comparisons. KEY is a dotted path as in the file (`train.learning_rate`, `data.normalize`,
`display.output`); list items are counted from 1 as on screen (`model.layers[1].weight`,
`model.layers[2].weight[1][3]`). VALUE is TOML text from the command line
(`parse_assignment`) or a Python value from code; `None` from code removes the key (e.g. a
layer's `weight`, so it is initialised from the seed again).

The overrides are applied to a copy of the raw document and the result goes through
`parse_scenario`, so an override is checked exactly like the same key written in the file.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dltui.engine.load.dataset import Dataset
from dltui.engine.load.reader import ScenarioError, kind_of, shown
from dltui.engine.load.scenario import MAX_DEPTH, Scenario, check_document, parse_scenario, read_document
from dltui.engine.load.toml_error import toml_error_values

Overrides = Mapping[str, Any] | Iterable[tuple[str, Any]]

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)((?:\[[^\]]*\])*)")
_INDEX = re.compile(r"\[([^\]]*)\]")
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def parse_assignment(text: str, file: str | Path = "--set") -> tuple[str, Any]:
    """`KEY=VALUE` from the command line → (KEY, the VALUE parsed as TOML).

    A bare word that is not TOML (`adam`) is taken as the string it spells, so
    `--set train.optimizer=adam` and `--set 'train.optimizer="adam"'` mean the same.
    """
    key, sep, value_text = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(file, "", "set.syntax", text=_clipped(text))
    parse_key(key, file)
    return key, parse_value(key, value_text.strip(), file)


def parse_value(key: str, text: str, file: str | Path = "--set") -> Any:
    """A TOML value (`0.01`, `"adam"`, `[[0.1, 0.3, 3]]`, `true`, `{units = 2}`)."""
    if not text:
        raise ScenarioError(file, key, "set.no_value")
    try:
        document = tomllib.loads(f"value = {text}\n")
    except RecursionError:
        raise ScenarioError(file, key, "too_deep", depth=MAX_DEPTH) from None
    except tomllib.TOMLDecodeError as exc:
        if _BARE_WORD.fullmatch(text):
            return text
        values = toml_error_values(exc, f"value = {text}\n")
        raise ScenarioError(file, key, "set.not_toml", text=_clipped(text), reason=values["reason"]) from None
    except ValueError:   # Python refuses to read an integer longer than 4,300 digits
        raise ScenarioError(file, key, "number_too_long_value") from None
    if set(document) != {"value"}:  # `1\nother = 2` would smuggle in a second key
        raise ScenarioError(file, key, "set.not_single", text=_clipped(text))
    return document["value"]


def _clipped(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def parse_key(key: str, file: str | Path = "--set") -> list[str | int]:
    """`model.layers[2].weight` → ["model", "layers", 1, "weight"] (indices from 0 inside)."""
    path: list[str | int] = []
    if not key or key.startswith(".") or key.endswith(".") or ".." in key:
        raise ScenarioError(file, key or "--set", "set.key")
    for part in key.split("."):
        match = _SEGMENT.fullmatch(part)
        if not match:
            raise ScenarioError(file, key, "set.key_part", part=shown(part))
        path.append(match.group(1))
        for index_text in _INDEX.findall(match.group(2)):
            if not index_text.strip().isdigit() or int(index_text) < 1:
                raise ScenarioError(file, key, "set.position", position=f"[{index_text}]")
            path.append(int(index_text) - 1)
    return path


def apply_overrides(document: dict, overrides: Overrides, file: str | Path = "") -> dict:
    """A deep copy of `document` with every override set (in order); the original is untouched.

    Only the shape of the path is checked here (that it leads somewhere); what the value means
    is checked by `parse_scenario` afterwards.
    """
    check_document(document, Path(file))   # deepcopy recurses: nothing deeper than MAX_DEPTH gets there
    result = copy.deepcopy(document)
    for key, value in _pairs(overrides):
        path = parse_key(key, file)
        _set(result, path, key, _plain(value, key, file), file)
    return result


def apply_and_parse(document: dict, path: Path, overrides: Overrides) -> Scenario:
    """Apply, then validate like the file; a problem under an override's key names that key."""
    pairs = list(_pairs(overrides))
    return _parse(apply_overrides(document, pairs, path), path, pairs)


def _parse(changed: dict, path: Path, pairs: list, dataset: Dataset | None = None) -> Scenario:
    try:
        return parse_scenario(changed, path, dataset)
    except ScenarioError as exc:
        for key, _ in pairs:
            # the error is about a table above the key (`foo` for `foo.bar`): name what was typed
            if exc.key and key != exc.key and key.startswith((exc.key + ".", exc.key + "[")):
                raise ScenarioError(path, key, exc.code, **exc.values, within=exc.key) from None
        raise


def load_with_overrides(path: str | Path, overrides: Overrides) -> Scenario:
    """Read a scenario file and validate it with `overrides` applied, as if the file said so."""
    return apply_and_parse(read_document(path), Path(path), overrides)


def with_overrides(scenario: Scenario, overrides: Overrides, siblings: Iterable[Scenario] = ()) -> Scenario:
    """The scenario as if its file said `overrides` too (its own overrides included).

    A scenario is a value: its loaded dataset is used as it is unless the change touches a data
    key or `train.seed` (which splits the rows), so a change of weights, training settings or
    layers never reads the rows or the CSV again (it may have moved since). `siblings` (other
    scenarios of the same file, as a comparison's runs) lend theirs when the data keys agree."""
    pairs = list(_pairs(overrides))
    changed = apply_overrides(scenario.document, pairs, scenario.path)
    dataset = next((known.data for known in (scenario, *siblings) if same_data(changed, known.document)), None)
    return _parse(changed, scenario.path, pairs, dataset)


def same_data(document: dict, other: dict) -> bool:
    """Both documents build the same rows: the same [data] table and the seed that splits it."""
    return document.get("data") == other.get("data") and _seed(document) == _seed(other)


def weight_overrides(layers: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """`{"model.layers[N].weight": rows, "model.layers[N].bias": values}` for layers given in order
    as (weight, bias) from N = 1; None (no bias, or nothing to set) leaves that key out."""
    overrides = {}
    for number, (weight, bias) in enumerate(layers, start=1):
        if weight is not None:
            overrides[f"model.layers[{number}].weight"] = weight
        if bias is not None:
            overrides[f"model.layers[{number}].bias"] = bias
    return overrides


def _seed(document: dict) -> Any:
    train = document.get("train")
    return train.get("seed", 0) if isinstance(train, dict) else None


def _pairs(overrides: Overrides) -> list[tuple[str, Any]]:
    items = overrides.items() if isinstance(overrides, Mapping) else overrides
    return [(str(key), value) for key, value in items]


_DELETE = object()


def _plain(value: Any, key: str, file: str | Path) -> Any:
    """Python values as tomllib would give them: lists, dicts, str, int, float, bool."""
    if value is None:
        return _DELETE
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # numpy arrays/scalars
        value = value.tolist()
    if isinstance(value, (bool, int, float, str)):  # nan/inf pass here; validation names them
        return value
    if isinstance(value, (list, tuple)):
        return [_plain_item(v, key, file) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain_item(v, key, file) for k, v in value.items()}
    raise ScenarioError(file, key, "set.value", got=kind_of(value), value=shown(value))


def _plain_item(value: Any, key: str, file: str | Path) -> Any:
    if value is None:
        raise ScenarioError(file, key, "set.none_inside")
    return _plain(value, key, file)


def _set(document: dict, path: list[str | int], key: str, value: Any, file: str | Path) -> None:
    node: Any = document
    walked = ""
    for step, nxt in zip(path[:-1], path[1:]):
        walked = _walked(walked, step)
        child = _child(node, step)
        if child is _MISSING:
            if isinstance(step, int):
                raise ScenarioError(file, key, "set.missing", walked=walked)
            child = [] if isinstance(nxt, int) else {}
            node[step] = child
        if isinstance(nxt, int) and not isinstance(child, list):
            raise ScenarioError(file, key, "set.not_list", walked=walked, got=kind_of(child), value=shown(child))
        if isinstance(nxt, str) and not isinstance(child, dict):
            raise ScenarioError(file, key, "set.not_table", walked=walked, got=kind_of(child), value=shown(child))
        node = child
    last = path[-1]
    if isinstance(last, int):
        if last < len(node):
            if value is _DELETE:
                del node[last]
            else:
                node[last] = value
        elif last == len(node) and isinstance(value, dict):  # a table one past the end appends
            node.append(value)                               # (a new last layer)
        else:
            raise ScenarioError(file, key, "set.position_range", position=last + 1, count=len(node))
    elif value is _DELETE:
        node.pop(last, None)
    else:
        node[last] = value


_MISSING = object()


def _child(node: Any, step: str | int) -> Any:
    if isinstance(step, int):
        return node[step] if step < len(node) else _MISSING
    return node.get(step, _MISSING)


def _walked(walked: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{walked}[{step + 1}]"
    return f"{walked}.{step}" if walked else step
