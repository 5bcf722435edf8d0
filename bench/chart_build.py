"""One chart's build: our canvas against a floor, the same size and data as a loss view's chart.

A 60×12-cell chart with two series of 200 points (a braille loss curve and a scatter of
predictions), built as `Chart` builds it on a key: the series given, then the framed body drawn (its lines,
and the Text a legend is checked against).
The floor builds a rich Text of the same 12 lines and two colour spans from ready strings (what
any chart costs to hand to Textual). `python -m bench.chart_build`; issue 23 wants the build well
under 1 ms (plotext's, the same chart: 3.1 ms here, load ≈ 1.3).
"""

from __future__ import annotations

import time

import numpy as np
from rich.text import Text

from ._util import median

WIDTH, HEIGHT, POINTS = 60, 12, 200


def _timed(build, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    return median(times)


def chart_build(steps: np.ndarray, losses: np.ndarray, predictions: np.ndarray) -> Text:
    from dltui.engine import symbols
    from dltui.tui.plotting import Chart

    chart = Chart()
    chart.begin()
    chart.line(steps, losses, (86, 180, 233), "loss")
    chart.points(steps, predictions, symbols.PREDICT, (240, 228, 66), "predict")
    chart.x_ticks(0, float(steps[-1]), integer=True)
    chart.y_ticks(float(min(losses.min(), predictions.min())), float(max(losses.max(), predictions.max())))
    chart._body(WIDTH, HEIGHT)
    return chart.drawn


def floor_build(lines: list[str]) -> Text:
    text = Text("\n".join(lines), no_wrap=True)
    text.stylize("blue", 5, 60)
    text.stylize("yellow", 70, 130)
    return text


def measure(repeats: int = 300) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    steps = np.arange(POINTS, dtype=float)
    losses = 0.6 * np.exp(-steps / 60) + 0.05
    predictions = losses + rng.normal(0, 0.05, POINTS)
    drawn = chart_build(steps, losses, predictions).plain.splitlines()
    chart = _timed(lambda: chart_build(steps, losses, predictions), repeats)
    floor = _timed(lambda: floor_build(drawn), repeats)
    return chart, floor


if __name__ == "__main__":
    chart, floor = measure()
    print(f"chart build ({WIDTH}×{HEIGHT} cells, 2 series of {POINTS} points), median of 300: "
          f"{chart * 1000:.3f} ms  |  floor (the same Text from ready strings): {floor * 1000:.3f} ms  |  "
          f"ratio {chart / floor:.1f}×  |  target well under 1 ms")
