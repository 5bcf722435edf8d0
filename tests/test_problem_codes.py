"""Every problem the engine can raise is a code that words/ says in Korean and English.

The codes are read from the source (every `ScenarioError(file, key, CODE, ...)`, every
`reader.fail(key, CODE, ...)`, what a registry's `*_requires` returns), so a new check without
words fails here, not on a teacher's screen.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from dltui.engine.load.toml_error import REASON_CODES
from dltui.words.errors import PROBLEMS
from dltui.words.problems import GOT, KINDS, TOML_REASONS
from words_check import english_prose

ROOT = Path(__file__).resolve().parent.parent
RAISERS = [*sorted((ROOT / "engine").rglob("*.py")), ROOT / "tui" / "served.py", ROOT / "cli" / "main.py"]
CODE_ARGUMENT = {"ScenarioError": 2, "fail": 1}          # where the code sits in each call
PASSED_ON = ("code", "requires")                        # exc.code (a run, a --set), requires(layers)
# Keys and values of the scenario format a Korean text names as the file writes them.
FILE_WORDS = {"true", "false", "missing", "drop", "encoding", "rgb", "output", "paint", "ask", "title",
              "lessons", "section", "compare", "quiz", "prediction", "display", "data", "model", "train",
              "run", "code", "explain", "out", "format", "name", "set", "value", "key", "none", "layers"}


def _strings(node: ast.expr, where: str) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, where) | _strings(node.orelse, where)
    called = node.func if isinstance(node, ast.Call) else node
    if isinstance(called, (ast.Attribute, ast.Name)) and getattr(called, "attr", getattr(called, "id", "")) in PASSED_ON:
        return set()
    raise AssertionError(f"{where}: a problem code must be written out as a string, not {ast.unparse(node)}")


def raised() -> tuple[set[str], set[str]]:
    """(codes, kinds): every code the source raises, every kind a `get(..., what=)` or
    `expected=` names."""
    codes, kinds = set(), set()
    for path in RAISERS:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_requires"):
                codes |= {r.value.value for r in ast.walk(node) if isinstance(r, ast.Return)
                          and isinstance(r.value, ast.Constant) and isinstance(r.value.value, str)}
            if not isinstance(node, ast.Call):
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            position = CODE_ARGUMENT.get(called)
            if position is not None and len(node.args) > position:
                codes |= _strings(node.args[position], where)
            for keyword in node.keywords:
                if keyword.arg in ("what", "expected") and isinstance(keyword.value, ast.Constant):
                    kinds.add(keyword.value.value)
            if called == "get" and len(node.args) >= 4 and isinstance(node.args[3], ast.Constant):
                kinds.add(node.args[3].value)
    return codes, kinds - {""}


CODES, WHATS = raised()


def test_the_source_raises_the_codes_this_test_reads():
    """The reader itself works: the codes of three checks a teacher meets, and many more."""
    assert {"value.unknown", "weights.count", "toml.syntax", "too_large_integer", "csv_missing",
            "optimizer.one_step_layer", "served.unavailable", "compare.needs_run"} <= CODES
    assert len(CODES) > 100 and {"matrix", "number", "layer_tables"} <= WHATS


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_said_in_both_languages_with_the_same_values(code):
    assert code in PROBLEMS, f"{code}: no words in words/ (problems.py or input_errors.py)"
    texts = PROBLEMS[code]
    assert set(texts) == {"ko", "en"} and all(texts.values()), code
    names = {lang: {field for _, field, _, _ in string.Formatter().parse(text) if field}
             for lang, text in texts.items()}
    assert names["ko"] == names["en"], f"{code}: the two languages show different values {names}"


@pytest.mark.parametrize("code", sorted(CODES))
def test_korean_problem_texts_have_no_english_prose(code):
    assert english_prose(PROBLEMS[code]["ko"], FILE_WORDS) == [], PROBLEMS[code]["ko"]


def test_every_kind_and_toml_reason_has_words():
    for table, names in ((KINDS, {kind for what in WHATS for kind in what.split("|")}),
                         (TOML_REASONS, set(REASON_CODES)), (GOT, set(KINDS))):
        missing = names - set(table)
        assert not missing, missing
        for name in names:
            assert english_prose(table[name]["ko"], FILE_WORDS) == [], table[name]["ko"]
