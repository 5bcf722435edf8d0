"""Text padded to terminal cells: a Korean letter takes two cells, so `str.rjust` would shift
every column after a Korean header (단계, 손실)."""

from __future__ import annotations

import unicodedata


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def rjust(text: str, width: int) -> str:
    return " " * (width - cells(text)) + text


def ljust(text: str, width: int) -> str:
    return text + " " * (width - cells(text))
