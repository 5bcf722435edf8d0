"""Find scenarios: the bundled ones by name, anything else by path."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from dltui.engine.load.scenario import Scenario, ScenarioError, load_scenario

DEFAULT_SCENARIO = "paint_mixing"   # the course's first lesson (engine/load/course.py checks it)
COURSE_FILE = "course.toml"          # the course order, beside the scenarios but not one of them


def bundled_dir() -> Path:
    return Path(str(resources.files("dltui.scenarios")))


def bundled_names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.toml") if p.name != COURSE_FILE)


def bundled_titles() -> list[tuple[str, str]]:
    """(name, title) of every bundled scenario, read without building anything."""
    return [(name, bundled_title(name)) for name in bundled_names()]


def bundled_title(name: str) -> str:
    """One bundled scenario's title (the lesson pane's "next" reads one file, not every one)."""
    try:
        return str(tomllib.loads((bundled_dir() / f"{name}.toml").read_text("utf-8")).get("title", ""))
    except (OSError, ValueError):
        return "(unreadable)"


def resolve(name_or_path: str | Path) -> Path:
    """A bundled scenario's file for a bare name; otherwise the path as given."""
    text = str(name_or_path)
    candidate = bundled_dir() / f"{text}.toml"
    looks_like_path = text.endswith(".toml") or "/" in text or "\\" in text or Path(text).exists()
    if not looks_like_path and candidate.is_file() and candidate.name != COURSE_FILE:
        return candidate
    if looks_like_path:
        return Path(text)
    raise ScenarioError(text, "", "scenario.unknown_name", allowed=tuple(bundled_names()))


def open_scenario(name_or_path: str | Path) -> Scenario:
    """Resolve and load in one call; raises `ScenarioError` with a clear message.

    `COMPARISON:RUN` (e.g. `learning_rate:large`) is one run of a comparison on its own: the base
    file with that run's overrides, as a plain scenario.
    """
    text = str(name_or_path)
    base, colon, run = text.rpartition(":")
    if colon and base and run and not Path(text).exists():
        from dltui.engine.load.compare import find_run

        return find_run(load_scenario(resolve(base)), run).scenario
    return load_scenario(resolve(name_or_path))
