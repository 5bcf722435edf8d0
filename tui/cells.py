"""How one target, prediction or row term is written in a table cell (formatting only)."""

from __future__ import annotations

import numpy as np

from dltui.engine.numbers import fmt
from dltui.engine.load.scenario import Scenario


def target_text(scenario: Scenario, target: np.ndarray | float | int) -> str:
    classes = scenario.data.classes
    if classes:
        return classes[int(target)]
    values = np.atleast_1d(target)
    return ", ".join(fmt(v, 4) for v in values)


def prediction_text(scenario: Scenario, prediction: np.ndarray) -> str:
    """A class name with its probability for softmax outputs; the values otherwise."""
    classes = scenario.data.classes
    if classes:
        best = int(np.argmax(prediction))
        return f"{classes[best]} {fmt(prediction[best], 2)}"
    return ", ".join(fmt(v, 4) for v in prediction)
