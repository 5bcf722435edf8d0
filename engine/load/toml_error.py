"""tomllib's syntax error as values: the file's own line and column, and a reason code.

tomllib (Python 3.11) says where and why only in its English message ("Invalid value (at line
3, column 9)"), so it is read here, once, and never shown: words/ says the reason.
"""

from __future__ import annotations

import re
import tomllib

_AT = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)$")

# tomllib's message starts → reason codes (words/problems.py says each); anything else is "other"
REASONS = (
    ("Expected newline or end of document", "toml.newline"),
    ("Invalid value", "toml.value"),
    ("Expected '=' after a key", "toml.equals"),
    ("Unclosed array", "toml.array"),
    ("Unclosed inline table", "toml.inline_table"),
    ("Unterminated string", "toml.string"),
    ("Cannot overwrite a value", "toml.twice"),
    ("Cannot declare", "toml.twice"),
    ("Duplicate inline table key", "toml.twice"),
    ("Cannot redefine namespace", "toml.twice"),
    ("Cannot mutate immutable namespace", "toml.twice"),
    ("Invalid statement", "toml.statement"),
    ("Invalid initial character for a key part", "toml.key"),
    ("Expected ']' at the end of a table", "toml.bracket"),
    ("Expected ']]' at the end of an array", "toml.bracket"),
    ("Invalid date or datetime", "toml.date"),
)
REASON_CODES = tuple(sorted({code for _, code in REASONS} | {"toml.other"}))


def toml_error_values(exc: tomllib.TOMLDecodeError, text: str) -> dict[str, object]:
    """{line, column, reason}: where in the file (counted from 1; the end of the text when
    tomllib says "end of document") and which of REASON_CODES."""
    message = str(exc)
    where = _AT.search(message)
    if where and where.group(1):
        line, column = int(where.group(1)), int(where.group(2))
    else:
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
    reason = next((code for start, code in REASONS if message.startswith(start)), "toml.other")
    return {"line": line, "column": column, "reason": reason}
