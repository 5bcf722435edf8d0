"""Numbers people type (the `w` edit box, the `t` settings, CSV cells): one reader, one set of
refusals, so a number the settings take is one a CSV takes too.

Python's float() reads more than a person means: full-width and Arabic-Indic digits (`１２`,
`٣`, `٠.٥`), underscores (`1_0` is 10), and `1e-400` silently becomes 0. Here each is refused
with a reason: `NumberTextError.code` is one of "not_ascii", "underscore", "not_number",
"not_finite", "underflow", "not_whole" (words say them).
"""

from __future__ import annotations

import math
import re

_WHOLE = re.compile(r"[+-]?[0-9]+")
_NONZERO_MANTISSA = re.compile(r"[+-]?[0-9.]*[1-9]")


class NumberTextError(ValueError):
    def __init__(self, code: str, text: str):
        super().__init__(f"{text!r} is not a number ({REASONS[code]})")
        self.code, self.text = code, text


REASONS = {
    "not_ascii": "write it with the digits 0-9",
    "underscore": "an underscore inside a number is not allowed",
    "not_number": "not a number",
    "not_finite": "not a finite number",
    "underflow": "too small: it would round to 0; write 0 if you mean 0",
    "not_whole": "not a whole number",
}


def read_number(text: str) -> float:
    """`text` (stripped) as a finite float, or `NumberTextError` saying why not."""
    text = text.strip()
    if not text.isascii():
        raise NumberTextError("not_ascii", text)
    if "_" in text:
        raise NumberTextError("underscore", text)
    try:
        value = float(text)
    except ValueError:
        raise NumberTextError("not_number", text) from None
    if not math.isfinite(value):
        raise NumberTextError("not_finite", text)
    if value == 0 and underflows(text):
        raise NumberTextError("underflow", text)
    return value


def read_whole(text: str) -> int:
    """`text` (stripped) as an int written with the digits 0-9 (`12`, `-3`), or `NumberTextError`."""
    text = text.strip()
    if not text.isascii():
        raise NumberTextError("not_ascii", text)
    if "_" in text:
        raise NumberTextError("underscore", text)
    if not _WHOLE.fullmatch(text) or len(text) > 30:   # int() refuses 4,300 digits with a traceback
        raise NumberTextError("not_whole", text)
    return int(text)


def underflows(text: str) -> bool:
    """A number written with a non-zero digit before its exponent (`1e-400`) that float() made 0."""
    return bool(_NONZERO_MANTISSA.match(text.strip()))
