"""The loss view's charts: loss per step and each row's target beside its prediction."""

from __future__ import annotations

import numpy as np

from dltui.engine.train.snapshot import Snapshot
from .i18n import t
from .plotting import SafePlot, finite_points


class LossChart(SafePlot):
    """Train (and test) loss at every step so far, downsampled to the chart's width."""

    def show(self, steps: np.ndarray, losses: np.ndarray, test: tuple | None, lang: str) -> None:
        plt = self.plt
        plt.clear_data()
        if len(steps):
            plt.plot(finite_points(steps), finite_points(losses), marker="braille", label=t("loss", lang))
        if test is not None and len(test[0]):
            plt.plot(finite_points(test[0]), finite_points(test[1]), marker="braille", label=t("test_loss", lang))
        self.refresh()


class PredictionChart(SafePlot):
    """Each row's target (●) and prediction (◆), first output only."""

    MAX_POINTS = 200

    def show(self, snapshot: Snapshot, lang: str) -> None:
        plt = self.plt
        plt.clear_data()
        n = min(snapshot.n_rows, self.MAX_POINTS)
        xs = list(range(1, n + 1))
        targets = snapshot.targets[:n]
        target_values = (targets.reshape(n, -1)[:, 0] if targets.ndim > 1 else targets).tolist()
        if snapshot.loss_name == "cross_entropy":
            predicted = snapshot.predicted_classes()[:n].tolist()
        else:
            predicted = snapshot.predictions[:n, 0].tolist()
        plt.scatter(xs, finite_points(target_values), marker="●", label=t("col.target", lang))
        plt.scatter(xs, finite_points(np.asarray(predicted, dtype=float)), marker="◆", label=t("col.predict", lang))
        self.refresh()
