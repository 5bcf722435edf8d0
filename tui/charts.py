"""The loss view's charts: loss per step and each row's target beside its prediction.

Words (legend, axis names, "log scale") are Textual text above the plot (see plotting.Chart).
Each chart redraws only when its data, language or size changed (a key that changes something
else costs it nothing).
"""

from __future__ import annotations

import numpy as np

from dltui.engine import symbols
from dltui.engine.train.snapshot import Snapshot
from . import palette
from .i18n import t
from .plotting import Chart, finite_points, log_values, wants_log
from .quiet import Same


def _span(*series) -> tuple[float, float]:
    values = np.concatenate([np.asarray(finite_points(s), dtype=float) for s in series if len(s)] or [np.zeros(1)])
    return float(values.min()), float(values.max())


class UnchangedChart(Chart):
    """A chart that remembers what it last drew and skips drawing the same again."""

    _drawn_key: object = None

    def unchanged(self, key: tuple) -> bool:
        """True if `key` (plus the chart's size) is what the chart shows now; else remember it."""
        key = (*key, self.size)
        if key == self._drawn_key:
            return True
        self._drawn_key = key
        return False


def _bytes(values) -> bytes:
    return np.asarray(values, dtype=float).tobytes()


class LossChart(UnchangedChart):
    """Train (and test) loss at every step so far, downsampled to the chart's width."""

    def show(self, steps: np.ndarray, losses: np.ndarray, test: tuple | None, lang: str,
             runs: list[tuple[str, np.ndarray, np.ndarray]] | None = None) -> None:
        """One train (and test) curve; or, for a comparison, one curve per run (label, steps, losses)."""
        if self.unchanged((_bytes(steps), _bytes(losses), lang,
                           None if test is None else (_bytes(test[0]), _bytes(test[1])),
                           None if runs is None else tuple((label, _bytes(xs), _bytes(ys)) for label, xs, ys in runs))):
            return
        self.begin()
        test_losses = test[1] if test is not None and len(test[0]) else []
        curves = runs if runs else [(t("loss", lang), steps, losses)]
        every = [np.asarray(c[2], float).reshape(-1) for c in curves] + [np.asarray(test_losses, float).reshape(-1)]
        self.log_y = wants_log(np.concatenate(every))
        drawn = []
        for index, (label, xs, values) in enumerate(curves):
            ys = log_values(values) if self.log_y else values
            if len(xs):
                self.line(xs, ys, palette.run_colour(index) if runs else palette.TRAIN_LINE,
                          f"{index + 1} {label}" if runs else label)
                drawn.append(ys)
        test_ys = (log_values(test_losses) if self.log_y else test_losses) if len(test_losses) and not runs else []
        if len(test_ys):
            self.line(test[0], test_ys, palette.TEST_LINE, t("test_loss", lang))
        last = max((float(c[1][-1]) for c in curves if len(c[1])), default=0.0)
        self.x_ticks(0, max(1.0, last), integer=True)
        low, high = _span(*drawn, test_ys)
        self.y_ticks(low, high)
        self.notes.append(t("pic.x_step", lang))
        if self.log_y:
            self.notes.append(t("pic.log_y", lang))
        self.finish()


class PredictionChart(UnchangedChart):
    """Each row's target and prediction (first output; classes by name); wrong classes in red."""

    MAX_POINTS = 200

    def show(self, snapshot: Snapshot, lang: str, class_names: tuple[str, ...] = ()) -> None:
        if self.unchanged((Same(snapshot), lang, tuple(class_names))):
            return
        self.begin()
        n = min(snapshot.n_rows, self.MAX_POINTS)
        xs = np.arange(1, n + 1)
        targets = snapshot.targets[:n]
        target_values = np.asarray(targets.reshape(n, -1)[:, 0] if targets.ndim > 1 else targets, dtype=float)
        if snapshot.classification:
            predicted = np.asarray(snapshot.predicted_classes()[:n], dtype=float).reshape(n, -1)[:, 0]
        else:
            predicted = np.asarray(snapshot.predictions[:n, 0], dtype=float)
        if snapshot.classification:
            # a right answer sits on its target: one prediction marker; a wrong one shows the target and a red prediction
            wrong = predicted != target_values
            self.points(xs[~wrong], predicted[~wrong], symbols.PREDICT, palette.PREDICT, t("pic.right", lang))
            self.points(xs[wrong], target_values[wrong], symbols.TARGET, palette.TARGET, t("col.target", lang))
            self.points(xs[wrong], predicted[wrong], symbols.PREDICT, palette.WRONG, t("pic.wrong", lang))
            names = list(class_names) or [str(i) for i in range(int(max(target_values.max(), predicted.max())) + 1)]
            self.class_ticks(names)
        else:
            self.points(xs, target_values, symbols.TARGET, palette.TARGET, t("col.target", lang))
            self.points(xs, predicted, symbols.PREDICT, palette.PREDICT, t("col.predict", lang))
            low, high = _span(target_values, predicted)
            self.y_ticks(low, high)
        self.x_ticks(1, max(2, n), integer=True)
        self.notes.append(t("pic.x_row", lang))
        self.finish()
