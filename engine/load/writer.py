"""Scenario files out: a scenario's TOML document written back as an ordinary, readable file.

The TUI's `s` (save), its export and `dltui run --out` write the setup in force with the current
weights as its start, so that loading the file gives exactly the state that was on screen: floats
are written with `repr` (the shortest text that reads back to the same float), and a CSV data file
is named relative to where the new file lives.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

from dltui.engine.load.scenario import Scenario

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def scenario_text(scenario: Scenario, note: str = "", folder: Path | None = None) -> str:
    """The TOML text of `scenario.document`, with `note` as a comment on top.

    `folder` is where the file will live: a `data.csv` path is rewritten relative to it so that
    the new file finds the same CSV.
    """
    document = dict(scenario.document)
    data = dict(document.get("data", {}))
    if isinstance(data.get("csv"), str) and folder is not None:
        source = (Path(scenario.path).parent / data["csv"]).resolve()
        try:
            data["csv"] = Path(os.path.relpath(source, Path(folder).resolve())).as_posix()
        except ValueError:   # another drive (Windows): the absolute path
            data["csv"] = source.as_posix()
        document["data"] = data
    lines = [f"# {line}".rstrip() for line in note.splitlines()] if note else []
    if lines:
        lines.append("")
    lines += _table(document, [])
    return "\n".join(lines).rstrip("\n") + "\n"


def write_scenario(scenario: Scenario, path: Path, note: str = "") -> Path:
    """Write the scenario file at `path` (folders created), via a temporary file renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = scenario_text(scenario, note, path.parent)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


def saved_name(scenario: Scenario, step: int) -> str:
    return f"{scenario.name}-step{step}.toml"


def unused_path(scenario: Scenario, path: Path, note: str = "") -> Path:
    """`path`, or `NAME-2.toml`, `NAME-3.toml`, … when a different file already has that name
    (saving the same state again reuses its file)."""
    path = Path(path)
    text = scenario_text(scenario, note, path.parent)
    candidate, number = path, 2
    while candidate.exists():
        try:
            if candidate.read_text(encoding="utf-8") == text:
                break
        except (OSError, UnicodeDecodeError):
            pass
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def origin_note(scenario: Scenario, step: int, edited: bool = False) -> str:
    """The comment saying where a saved file came from, in both languages (a file has no screen)."""
    edits_ko = ", 손으로 고친 값 포함" if edited else ""
    edits_en = ", with hand edits" if edited else ""
    resume_en = resume_ko = ""
    if _resumes(scenario):
        resume_en = " [resume] holds the step and the optimizer's state: the run goes on exactly from there."
        resume_ko = " [resume] 에 단계와 옵티마이저 상태가 있어 학습이 그 자리에서 그대로 이어집니다."
    return (f"{scenario.name} after {step} steps{edits_en} — saved by dltui: these weights are "
            f"the state at that step.{resume_en}\n"
            f"{scenario.name}, {step}단계 뒤{edits_ko} — dltui 가 저장: 가중치는 그 단계의 값입니다.{resume_ko}\n"
            f"Open it with: dltui FILE   (check it: dltui check FILE)")


def _resumes(scenario: Scenario) -> bool:
    """Whether the file goes on from a saved state: its own `[resume]`, or a run's."""
    runs = scenario.document.get("compare") or ()
    return scenario.resume is not None or any(isinstance(run, dict) and "resume" in run for run in runs)


# ----------------------------------------------------------------- TOML


def _table(table: dict, path: list[str]) -> list[str]:
    """Scalars and inline values first, then sub-tables, then arrays of tables (TOML's order)."""
    lines: list[str] = []
    subtables, arrays = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            subtables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            arrays.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value, top=True)}")
    for key, value in subtables:
        header = path + [_key(key)]
        body = _table(value, header)
        has_scalars = any(not isinstance(v, dict) and not _is_table_array(v) for v in value.values())
        if has_scalars or not value:
            lines += ["", f"[{'.'.join(header)}]"]
        lines += body
    for key, items in arrays:
        header = path + [_key(key)]
        for item in items:
            lines += ["", f"[[{'.'.join(header)}]]"]
            lines += _table(item, header)
    return lines


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any, top: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _multiline(value) if "\n" in value and top else _string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value]
        if top and value and all(isinstance(v, (list, tuple)) for v in value) and len(value) > 1:
            return "[\n" + "".join(f"  {item},\n" for item in items) + "]"   # a row per line
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _string(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)   # JSON's escapes are all valid in TOML
    return out.replace("\x7f", "\\u007f")


def _multiline(text: str) -> str:
    escaped = []
    for ch in text:
        if ch == "\\":
            escaped.append("\\\\")
        elif ch == '"':
            escaped.append('\\"')
        elif ch in "\n\t":
            escaped.append(ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            escaped.append(f"\\u{ord(ch):04x}")
        else:
            escaped.append(ch)
    return '"""\n' + "".join(escaped) + '"""'
