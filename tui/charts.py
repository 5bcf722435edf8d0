"""The loss view's charts: loss per step and each row's target beside its prediction.

Words (legend, axis names, "log scale") are Textual text above the plot (see plotting.Chart).
Each chart redraws only when its data, language or size changed (a key that changes something
else costs it nothing).
"""

from __future__ import annotations

import math

import numpy as np

from dltui.engine import Snapshot, symbols
from dltui.engine.numbers import fmt_loss
from . import palette
from .i18n import t
from .plotting import Chart, finite_array, log_values, wants_log


def _span(*series) -> tuple[float, float]:
    values = np.concatenate([finite_array(s) for s in series if len(s)] or [np.zeros(1)])
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


EXPLODES = 100.0   # a run whose loss grows to this many times its start has left the others' scale


def peak(values) -> float:
    """A run's largest loss (inf if it ever was not finite)."""
    v = np.asarray(values, dtype=float).reshape(-1)
    return float("inf") if not np.isfinite(v).all() else float(v.max(initial=0.0))


def off_scale(curves) -> list[bool]:
    """Which runs exploded: their loss grew to EXPLODES times where it started (or overflowed).
    All False when every run did (the log scale then shows them all) or none did."""
    out = []
    for _label, _xs, values in curves:
        v = np.asarray(values, dtype=float).reshape(-1)
        start = abs(float(v[0])) if v.size and math.isfinite(v[0]) else 0.0
        out.append(bool(v.size) and peak(v) > EXPLODES * max(start, 1e-12))
    return out if not all(out) else [False] * len(out)


def leaving(xs, values, high: float) -> int | None:
    """The index of the first point above `high` (where a clipped run leaves the frame)."""
    v = np.asarray(values, dtype=float).reshape(-1)
    above = np.flatnonzero(~(v <= high))       # NaN counts as above
    return int(above[0]) if above.size else None


class LossChart(UnchangedChart):
    """Train (and test) loss at every step so far, downsampled to the chart's width.

    A comparison draws every run with its own colour and line style, the first run on top (the
    lesson is usually about it). A run that explodes does not squash the others into a log scale:
    the axis keeps the other runs' range, and the exploding run is drawn up to where it leaves the
    top, marked there (▴) with its last value in the notes."""

    def show(self, steps: np.ndarray, losses: np.ndarray, test: tuple | None, lang: str,
             runs: list[tuple[str, np.ndarray, np.ndarray]] | None = None, hide_last: bool = False) -> None:
        """One train (and test) curve; or, for a comparison, one curve per run (label, steps, losses).
        `hide_last`: the quiz asks for the newest loss, so its point is not drawn yet."""
        if hide_last and not runs:
            steps, losses = steps[:-1], losses[:-1]
        if self.unchanged((_bytes(steps), _bytes(losses), lang,
                           None if test is None else (_bytes(test[0]), _bytes(test[1])),
                           None if runs is None else tuple((label, _bytes(xs), _bytes(ys)) for label, xs, ys in runs))):
            return
        self.begin()
        if runs:
            self._runs(runs, lang)
        else:
            self._single(steps, losses, test, lang)
        last = max((float(c[1][-1]) for c in (runs or [("", steps, losses)]) if len(c[1])), default=0.0)
        self.x_ticks(0, max(1.0, last), integer=True)
        self.notes.append(t("pic.x_step", lang))
        if self.log_y:
            self.notes.append(t("pic.log_y", lang))
        self.finish()

    def _single(self, steps, losses, test, lang: str) -> None:
        test_losses = test[1] if test is not None and len(test[0]) else []
        self.log_y = wants_log(np.concatenate([np.asarray(losses, float).reshape(-1),
                                               np.asarray(test_losses, float).reshape(-1)]))
        scaled = (lambda v: log_values(v)) if self.log_y else (lambda v: v)
        ys = scaled(losses)
        if len(steps):
            self.line(steps, ys, palette.TRAIN_LINE, t("loss", lang))
        test_ys = scaled(test_losses) if len(test_losses) else []
        if len(test_ys):
            self.line(test[0], test_ys, palette.TEST_LINE, t("test_loss", lang))
        self.y_ticks(*_span(ys if len(steps) else [], test_ys))

    def _runs(self, runs, lang: str) -> None:
        away = off_scale(runs)
        calm = [values for (_l, _x, values), gone in zip(runs, away) if not gone]
        self.log_y = wants_log(np.concatenate([np.asarray(v, float).reshape(-1) for v in calm]))
        scaled = (lambda v: log_values(v)) if self.log_y else finite_array
        low, high = _span(*(scaled(v) for v in calm))
        self.y_ticks(low, high)
        top = self.y_top if self.y_top is not None else high
        exits = []
        for index in reversed(range(len(runs))):    # the first run drawn last: on top
            label, xs, values = runs[index]
            if not len(xs):
                continue
            colour, mark, name = palette.run_colour(index), palette.run_mark(index), f"{index + 1} {label}"
            xs, ys = np.asarray(xs, float), scaled(values)
            out = leaving(xs, ys, top) if away[index] else None
            if out is None:
                self.styled_line(xs, ys, colour, mark, name)
                continue
            if out:
                self.styled_line(xs[:out + 1], np.minimum(ys[:out + 1], top), colour, mark)
            exits.append((xs[out], colour, name))
            self.notes.append(t("pic.off_scale", lang, run=index + 1, value=fmt_loss(float(values[-1]))))
        for x, colour, name in exits:               # where a run leaves the frame, over every line
            self.points([x], [top], symbols.UP, colour, name)
        self.legend.sort(key=lambda entry: entry.label)   # run 1, 2, 3 … as numbered


class PredictionChart(UnchangedChart):
    """Each row's target and prediction (first output; classes by name); wrong classes in red."""

    MAX_POINTS = 200

    def show(self, snapshot: Snapshot, lang: str, class_names: tuple[str, ...] = (),
             hidden_rows: frozenset = frozenset()) -> None:
        """`hidden_rows`: rows whose prediction the quiz has not shown yet (their target only)."""
        n = min(snapshot.n_rows, self.MAX_POINTS)
        # what is drawn, not the snapshot: the loss, backward and update phases (and a step that
        # leaves the predictions where they were) draw the same points again, so nothing redraws
        if self.unchanged((_bytes(snapshot.predictions[:n]), _bytes(snapshot.targets[:n]), snapshot.classification,
                           lang, tuple(class_names), hidden_rows)):
            return
        self.begin()
        xs = np.arange(1, n + 1)
        targets = snapshot.targets[:n]
        target_values = np.asarray(targets.reshape(n, -1)[:, 0] if targets.ndim > 1 else targets, dtype=float)
        if snapshot.classification:
            predicted = np.asarray(snapshot.predicted_classes()[:n], dtype=float).reshape(n, -1)[:, 0]
        else:
            predicted = np.asarray(snapshot.predictions[:n, 0], dtype=float)
        shown = np.array([row not in hidden_rows for row in range(n)], dtype=bool)
        if snapshot.classification:
            # a right answer sits on its target: one prediction marker; a wrong one shows the target and a red prediction
            wrong = (predicted != target_values) & shown
            right = ~wrong & shown
            self.points(xs[right], predicted[right], symbols.PREDICT, palette.PREDICT, t("pic.right", lang))
            self.points(xs[~right], target_values[~right], symbols.TARGET, palette.TARGET, t("col.target", lang))
            self.points(xs[wrong], predicted[wrong], symbols.PREDICT, palette.WRONG, t("pic.wrong", lang))
            names = list(class_names) or [str(i) for i in range(int(max(target_values.max(), predicted.max())) + 1)]
            self.class_ticks(names)
        else:
            self.points(xs, target_values, symbols.TARGET, palette.TARGET, t("col.target", lang))
            self.points(xs[shown], predicted[shown], symbols.PREDICT, palette.PREDICT, t("col.predict", lang))
            low, high = _span(target_values, predicted[shown])
            self.y_ticks(low, high)
        self.x_ticks(1, max(2, n), integer=True)
        self.notes.append(t("pic.x_row", lang))
        self.finish()
