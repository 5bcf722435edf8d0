"""Argument types shared by `dltui run` and `dltui serve`: whole numbers with a floor, ports."""

from __future__ import annotations

import argparse


def whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
    return value


def non_negative(text: str) -> int:
    return whole_number(text, 0)


def positive(text: str) -> int:
    return whole_number(text, 1)


def port(text: str) -> int:
    value = non_negative(text)
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"must be between 1 and 65535, not {value}")
    return value
