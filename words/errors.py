"""A scenario file's problem (engine/load's `ScenarioError`: file, key path, problem) in Korean or
English. The loader writes its problems in English; the common ones ‒ the file itself, its
encoding, TOML and CSV syntax, an unknown bundled name ‒ are said in Korean here. Others keep
the loader's English under a Korean heading (their key path and value say where to look).
"""

from __future__ import annotations

import re

from .input_errors import coded_error_text
from .messages import MESSAGES, t

WORDS: dict[str, dict[str, str]] = {
    "err.not_found": {"ko": "파일이 없습니다", "en": "file not found"},
    "err.directory": {"ko": "폴더입니다 (시나리오 파일이 아님)", "en": "is a directory, not a scenario file"},
    "err.unreadable": {"ko": "읽을 수 없습니다 ({why})", "en": "cannot be read ({why})"},
    "err.not_utf8": {"ko": "UTF-8 글자가 아닙니다 ({byte}번째 바이트가 잘못됨) ‒ UTF-8로 저장하세요",
                     "en": "is not UTF-8 text (byte {byte} is not valid)"},
    "err.not_toml": {"ko": "TOML 형식이 아닙니다: {why}", "en": "is not valid TOML: {why}"},
    "err.csv_not_found": {"ko": "CSV 파일이 없습니다: {path}", "en": "CSV file not found: {path}"},
    "err.csv_not_utf8": {"ko": "{path:은} UTF-8 글자가 아닙니다 ‒ 엑셀이라면 'CSV UTF-8'로 저장하세요",
                         "en": "{path} is not UTF-8 text"},
    "err.csv_unreadable": {"ko": "{path:을} 읽을 수 없습니다 ({why})", "en": "cannot read {path} ({why})"},
    "err.csv_invalid": {"ko": "{path:은} CSV 형식이 아닙니다: {why}", "en": "{path} is not valid CSV: {why}"},
    "err.unknown_name": {"ko": "이런 이름의 포함된 시나리오가 없고, .toml 경로도 아닙니다; 포함된 시나리오: {names}",
                         "en": "no bundled scenario has this name and it is not a .toml path; bundled: {names}"},
    "err.empty": {"ko": "비어 있으면 안 됩니다", "en": "must not be empty"},
}
MESSAGES.update(WORDS)

# The loader's English problem → (message key, its values' names), first match wins.
PATTERNS: list[tuple[re.Pattern, str, tuple[str, ...]]] = [
    (re.compile(r"^file not found$"), "err.not_found", ()),
    (re.compile(r"^is a directory, not a scenario file$"), "err.directory", ()),
    (re.compile(r"^cannot be read \((?P<why>.*)\)$"), "err.unreadable", ("why",)),
    (re.compile(r"^is not UTF-8 text \(byte (?P<byte>\d+) is not valid\)$"), "err.not_utf8", ("byte",)),
    (re.compile(r"^is not valid TOML: (?P<why>.*)$", re.S), "err.not_toml", ("why",)),
    (re.compile(r"^CSV file not found: (?P<path>.*)$"), "err.csv_not_found", ("path",)),
    (re.compile(r"^(?P<path>.*) is not UTF-8 text$"), "err.csv_not_utf8", ("path",)),
    (re.compile(r"^cannot read (?P<path>.*) \((?P<why>.*)\)$"), "err.csv_unreadable", ("path", "why")),
    (re.compile(r"^(?P<path>.*) is not valid CSV: (?P<why>.*)$", re.S), "err.csv_invalid", ("path", "why")),
    (re.compile(r"^no bundled scenario has this name and it is not a \.toml path; bundled: (?P<names>.*)$"),
     "err.unknown_name", ("names",)),
    (re.compile(r"^must not be empty$"), "err.empty", ()),
]


def problem_text(problem: str, lang: str) -> str:
    """The loader's problem in `lang` (as written when it is not one of the known ones)."""
    for pattern, key, names in PATTERNS:
        match = pattern.match(problem)
        if match:
            return t(key, lang, **{name: match.group(name) for name in names})
    return problem


def scenario_error_text(error, lang: str) -> str:
    """`file: key: problem` with the problem in `lang`; a plain string passes through."""
    if not all(hasattr(error, a) for a in ("file", "key", "problem")):
        return str(error)
    coded = coded_error_text(error, lang)     # the problems real files have (robust input)
    if coded is not None:
        return coded
    where = f"{error.file}: {error.key}: " if error.key else f"{error.file}: "
    return where + problem_text(error.problem, lang)
