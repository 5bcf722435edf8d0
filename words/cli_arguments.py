"""argparse's refusals in the reader's language: Korean for each message argparse and our own
argument types (cli/arguments.py, cli/serve) write; English is argparse's own text, kept as is.

argparse hands `error()` a finished English sentence, so each sentence is matched by its shape;
one the table does not know is shown as it is rather than lost.
"""

from __future__ import annotations

import re

from .particles import format_particles

USAGE = {"ko": "사용법: ", "en": "usage: "}

# (the English sentence's shape, its Korean); the named groups are the values
ARGUMENT_MESSAGES: list[tuple[str, str]] = [
    (r"argument (?P<name>.+?): (?P<why>.+)", "{name}: {why}"),
    (r"unrecognized arguments: (?P<args>.+)", "알 수 없는 인자입니다: {args}"),
    (r"the following arguments are required: (?P<args>.+)", "꼭 주어야 하는 인자가 없습니다: {args}"),
    (r"one of the arguments (?P<args>.+) is required", "이 중 하나를 주어야 합니다: {args}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
     "{option:은} 여러 옵션과 맞습니다 ({matches}): 이름을 더 길게 쓰세요"),
    (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
     "고를 수 없는 값입니다: {value} (고를 수 있는 값: {choices})"),
    (r"expected one argument", "값이 하나 필요합니다"),
    (r"expected at least one argument", "값이 하나 이상 필요합니다"),
    (r"expected at most one argument", "값은 하나까지만 줄 수 있습니다"),
    (r"ignored explicit argument (?P<value>.+)", "이 옵션은 값을 받지 않습니다: {value}"),
    (r"not allowed with argument (?P<other>.+)", "{other}와(과) 함께 쓸 수 없습니다"),
    (r"invalid \S+ value: (?P<value>.+)", "올바른 값이 아닙니다: {value}"),
    (r"must be a whole number, not (?P<value>.+)", "정수여야 합니다 (받은 값: {value})"),
    (r"must be (?P<minimum>\d+) or more, not (?P<value>.+)", "{minimum} 이상이어야 합니다 (받은 값: {value})"),
    (r"must be between (?P<low>\d+) and (?P<high>\d+), not (?P<value>.+)",
     "{low}에서 {high} 사이여야 합니다 (받은 값: {value})"),
    (r"must be a duration like 30m, 90s or 1h longer than 0 \(or 0 for never\), not (?P<value>.+)",
     "0보다 긴 시간이어야 합니다. 30m, 90s, 1h처럼 쓰세요 (끝없이는 0; 받은 값: {value})"),
    (r"must be a duration like 30m, 90s or 1h \(or 0 for never\), not (?P<value>.+)",
     "30m, 90s, 1h 같은 시간이어야 합니다 (끝없이는 0; 받은 값: {value})"),
    (r"must be an http:// or https:// address like (?P<example>\S+), not (?P<value>.+)",
     "{example}처럼 http:// 또는 https://로 시작하는 주소여야 합니다 (받은 값: {value})"),
    (r"(?P<value>.+) is not a folder", "{value:은} 폴더가 아닙니다"),
]
_SHAPES = [(re.compile(shape), words) for shape, words in ARGUMENT_MESSAGES]


def argument_error_text(message: str, lang: str) -> str:
    """argparse's (or an argument type's) English `message`, said in `lang`."""
    if lang == "en":
        return message
    for shape, words in _SHAPES:
        found = shape.fullmatch(message)
        if found:
            values = found.groupdict()
            if "why" in values:
                values["why"] = argument_error_text(values["why"], lang)
            return format_particles(words, **values)
    return message
