"""How numbers are written for a learner: short, exact where the lecture is exact."""

from __future__ import annotations

import math


def fmt(x: float, decimals: int = 6) -> str:
    """Up to `decimals` decimals with trailing zeros dropped: 5.8, 3.999633, -0.4333.

    Very large or very small magnitudes switch to scientific notation so columns stay short.
    """
    x = float(x)
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if x != 0 and (abs(x) >= 1e7 or abs(x) < 10.0 ** -decimals):
        return f"{x:.{min(decimals, 4)}e}"
    text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


NOISE = 1e-12   # a sum this small next to its terms is 0 with float64 rounding left over


def cancelled(total: float, magnitude: float) -> float:
    """`total`, or 0.0 when it is rounding noise next to the terms it summed (`magnitude` =
    sum|term|): XOR's symmetric bias gradient is 0, not 1.3878e-17."""
    return 0.0 if math.isfinite(total) and abs(total) <= NOISE * magnitude else total


def fmt_loss(x: float) -> str:
    """Losses as the lecture writes them: three decimals (1.7 / 3 = 0.567)."""
    x = float(x)
    if math.isfinite(x) and x != 0 and abs(x) < 0.001:
        return f"{x:.3e}"
    return fmt(x, 3)
