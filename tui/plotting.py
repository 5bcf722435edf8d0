"""Small helpers shared by the plotext charts: sane numbers in, no crash out."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual_plotext import PlotextPlot

from .i18n import t

LIMIT = 1e30  # plotext's tick rounding overflows near 1e300; a diverging run is still plainly huge


def finite_points(values) -> list:
    """Numbers plotext can draw: NaN / inf repeat the last finite point; huge ones are clipped."""
    out, last = [], 0.0
    for v in np.asarray(values, dtype=float).reshape(-1).tolist():
        if math.isfinite(v):
            last = min(LIMIT, max(-LIMIT, v))
        out.append(last)
    return out


class SafePlot(PlotextPlot):
    """A plotext chart that says so instead of crashing the app when plotext cannot draw."""

    def render(self):
        try:
            return super().render()
        except (ArithmeticError, ValueError, IndexError) as exc:
            lang = getattr(self.app, "lang", "en")
            return Text(t("chart.failed", lang, error=exc), style="dim italic")
