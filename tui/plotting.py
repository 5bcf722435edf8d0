"""Small helpers shared by the plotext charts."""

from __future__ import annotations

import math

import numpy as np


def finite_points(values) -> list:
    """plotext cannot draw NaN or inf: such a point repeats the last finite one."""
    out, last = [], 0.0
    for v in np.asarray(values, dtype=float).reshape(-1).tolist():
        if math.isfinite(v):
            last = v
        out.append(last)
    return out
