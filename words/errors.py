"""A scenario file's problem (engine/load's `ScenarioError`: file, key path, code, values) in
Korean or English: `scenario_error_text(exc, lang)`.

PROBLEMS is the one catalogue of every code the engine raises (assembled here from the loader's,
the learner's files' and the served folder's words); tests/test_problem_codes.py checks that
every code in the engine has both languages.
"""

from __future__ import annotations

from .particles import format_particles

from typing import Any

from .input_errors import EMPTY_CELL, INPUT_MESSAGES
from .problems import GOT, KINDS, LOADER_MESSAGES, OR, TOML_REASONS
from .serve import SERVE_MESSAGES


def _catalogue(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        assert not twice, f"a problem code is said twice: {sorted(twice)}"
        merged.update(table)
    return merged


SERVED_PROBLEMS = ("served.unavailable", "served.too_big")   # a served folder's file (tui/served.py)
PROBLEMS = _catalogue(LOADER_MESSAGES, INPUT_MESSAGES, {code: SERVE_MESSAGES[code] for code in SERVED_PROBLEMS})


def problem_text(error, lang: str) -> str:
    """What is wrong, in `lang` (without the file and key)."""
    values = {name: _said(name, value, error.values, lang) for name, value in error.values.items()}
    text = format_particles(PROBLEMS[error.code][lang], **values)
    within = error.values.get("within")    # a --set below the key the problem is about
    return f"({within}) {text}" if within else text


def scenario_error_text(error, lang: str) -> str:
    """`file: key: problem` in `lang`; anything that is not a ScenarioError as its own text."""
    if not hasattr(error, "code"):
        return str(error)
    where = f"{error.file}: {error.key}: " if error.key else f"{error.file}: "
    return where + problem_text(error, lang)


def _said(name: str, value: Any, values: dict[str, Any], lang: str) -> Any:
    """One value as the sentence shows it: a kind or a TOML reason in words, a list joined."""
    if name == "expected":
        return OR[lang].join(format_particles(KINDS[kind][lang], **values) for kind in value.split("|"))
    if name == "got":
        return format_particles(GOT[value][lang], **values) if value in GOT else value
    if name == "reason":
        return TOML_REASONS[value][lang]
    if name == "text" and "column" in values:      # a CSV cell, quoted; '' is an empty cell
        return f"'{value}'" if value else EMPTY_CELL[lang]
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    return value


def error_text(error, lang: str) -> str:
    """A refusal the session passes on (engine/frame.py `Notice`): a scenario problem in the reader's
    words, an OSError by its reason, anything else (a ValueError) as it says itself."""
    from dltui.engine.load.reader import ScenarioError

    if isinstance(error, ScenarioError):
        return scenario_error_text(error, lang)
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
