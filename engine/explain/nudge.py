"""Nudging a parameter by hand: a step size that suits its value, and the gradient's advice.

Guessing by hand is the lecture's first lesson (9 + 10 = 19); the gradient telling which way
lowers the loss is the second. The screen shows both beside the parameter being edited.
"""

from __future__ import annotations

import math


def nudge_step(value: float) -> float:
    """A tenth of the value's leading decimal place: 4 → 0.1, 0.3 → 0.01, 32 → 1; 0 → 0.01."""
    value = abs(float(value))
    if not math.isfinite(value) or value == 0:
        return 0.01
    return 10.0 ** (math.floor(math.log10(value)) - 1)


def nudged(value: float, step: float, direction: int) -> float:
    """`value + direction⋅step`, rounded to the step's decimal place (0.3 + 0.01 is 0.31, not
    0.31000000000000005)."""
    places = max(0, -math.floor(math.log10(step)) if step > 0 else 0)
    return round(float(value) + direction * step, places + 1)


def advice(gradient: float) -> int:
    """Which way lowers the loss: -1 (decrease), +1 (increase) or 0 (flat: no advice)."""
    if not math.isfinite(gradient) or gradient == 0:
        return 0
    return -1 if gradient > 0 else 1
