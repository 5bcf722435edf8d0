"""The loss view's charts: loss per step and each row's target beside its prediction.

Words (legend, axis names, "log scale") are Textual text above the plot (see plotting.Chart).
"""

from __future__ import annotations

import numpy as np

from dltui.engine.train.snapshot import Snapshot
from . import palette
from .i18n import t
from .plotting import Chart, finite_points, log_values, wants_log


def _span(*series) -> tuple[float, float]:
    values = np.concatenate([np.asarray(finite_points(s), dtype=float) for s in series if len(s)] or [np.zeros(1)])
    return float(values.min()), float(values.max())


class LossChart(Chart):
    """Train (and test) loss at every step so far, downsampled to the chart's width."""

    def show(self, steps: np.ndarray, losses: np.ndarray, test: tuple | None, lang: str) -> None:
        self.begin()
        test_losses = test[1] if test is not None and len(test[0]) else []
        self.log_y = wants_log(np.concatenate([np.asarray(losses, float).reshape(-1),
                                               np.asarray(test_losses, float).reshape(-1)]))
        ys = log_values(losses) if self.log_y else losses
        test_ys = (log_values(test_losses) if self.log_y else test_losses) if len(test_losses) else []
        if len(steps):
            self.line(steps, ys, palette.TRAIN_LINE, t("loss", lang))
        if len(test_ys):
            self.line(test[0], test_ys, palette.TEST_LINE, t("test_loss", lang))
        last = float(steps[-1]) if len(steps) else 0.0
        self.x_ticks(0, max(1.0, last), integer=True)
        low, high = _span(ys, test_ys)
        self.y_ticks(low, high)
        self.notes.append(t("pic.x_step", lang))
        if self.log_y:
            self.notes.append(t("pic.log_y", lang))
        self.finish()


class PredictionChart(Chart):
    """Each row's target and prediction (first output; classes by name); wrong classes in red."""

    MAX_POINTS = 200

    def show(self, snapshot: Snapshot, lang: str, class_names: tuple[str, ...] = ()) -> None:
        self.begin()
        n = min(snapshot.n_rows, self.MAX_POINTS)
        xs = np.arange(1, n + 1)
        targets = snapshot.targets[:n]
        target_values = np.asarray(targets.reshape(n, -1)[:, 0] if targets.ndim > 1 else targets, dtype=float)
        if snapshot.classification:
            predicted = np.asarray(snapshot.predicted_classes()[:n], dtype=float).reshape(n, -1)[:, 0]
        else:
            predicted = np.asarray(snapshot.predictions[:n, 0], dtype=float)
        self.points(xs, target_values, "●", palette.TARGET, t("col.target", lang))
        if snapshot.classification:
            wrong = predicted != target_values
            self.points(xs[~wrong], predicted[~wrong], "◆", palette.PREDICT, t("col.predict", lang))
            self.points(xs[wrong], predicted[wrong], "◆", palette.WRONG, t("pic.wrong", lang))
            names = list(class_names) or [str(i) for i in range(int(max(target_values.max(), predicted.max())) + 1)]
            self.class_ticks(names)
        else:
            self.points(xs, predicted, "◆", palette.PREDICT, t("col.predict", lang))
            low, high = _span(target_values, predicted)
            self.y_ticks(low, high)
        self.x_ticks(1, max(2, n), integer=True)
        self.notes.append(t("pic.x_row", lang))
        self.finish()
