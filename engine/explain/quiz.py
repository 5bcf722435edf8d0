"""Predict, then reveal: the question each phase asks before it shows its number, as data.

`question_for(snapshot)` looks at the snapshot a phase has just produced and returns what the
learner is asked (the quantity and where it is) with its right answer, taken from that very
snapshot ‒ nothing is hard-coded. Questions stay answerable by hand: a forward row asks the
prediction of a one-neuron model, or one hidden unit's activation of a deeper one; the gradient
phase asks which way one output-layer weight will move; the update asks its new value.
A scenario's own `[[quiz]]` questions (load/scenario.py's `QuizSpec`) take the place of the
generic one at their step and phase. The words are in dltui.words.quiz.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from dltui.engine import ops
from dltui.engine.explain.terms import parameter_label
from dltui.engine.explain.gradients import PLAIN_OPTIMIZERS
from dltui.engine.numbers import fmt, fmt_loss
from dltui.engine.train.snapshot import Phase, Snapshot

UP, DOWN, STILL = "up", "down", "still"


class Kind(StrEnum):
    """What a question asks for (its words are `quiz.<kind>` in dltui.words)."""
    PREDICTION = "prediction"    # a forward row's prediction (one-neuron model)
    ACTIVATION = "activation"    # one hidden unit's activation of a deeper model
    LOSS = "loss"
    DIRECTION = "direction"      # which way a weight moves: answered with ↑ / ↓ too
    NEW_VALUE = "new_value"      # a weight after the update
    WORD = "word"                # a scenario's own question with choices
    NUMBER = "number"            # a scenario's own question with a number for answer


@dataclass(frozen=True)
class Question:
    kind: Kind
    phase: Phase
    step: int
    answer: float | str          # a number, a direction (UP/DOWN/STILL) or one of `choices`
    shown: str                   # the answer as the screen writes it
    row: int | None = None       # prediction / activation: the training row (0-based)
    unit: int | None = None      # activation: the hidden unit (0-based)
    parameter: str | None = None  # direction / new_value: the parameter's label on screen
    ask: dict | None = None      # a scenario's own words (ko / en)
    choices: tuple[str, ...] = ()
    remembers: bool = False      # direction: the optimizer's update also carries past gradients (momentum, Adam),
    #                              so the gradient's downhill side is asked, not where the next update goes
    optimizer: str | None = None

    def check(self, text: str) -> bool | None:
        """True / False for an answer; None when `text` is not an answer at all (ask again)."""
        text = text.strip()
        if self.choices:
            folded = {c.casefold(): c for c in self.choices}
            if text.isdigit() and 1 <= int(text) <= len(self.choices):
                return self.choices[int(text) - 1] == self.answer
            if text.casefold() not in folded:
                return None
            return folded[text.casefold()] == self.answer
        if self.kind is Kind.DIRECTION:
            said = direction_of(text)
            return None if said is None else said == self.answer
        number = number_of(text)
        if number is None:
            return None
        return within_shown_precision(number, float(self.answer), self.shown)


def direction_of(text: str) -> str | None:
    words = {UP: ("↑", "up", "u", "+", "increase", "올라", "위", "커짐", "증가"),
             DOWN: ("↓", "down", "d", "-", "−", "decrease", "내려", "아래", "작아짐", "감소"),
             STILL: ("0", "=", "still", "same", "그대로", "안 움직임")}
    folded = text.strip().casefold()
    for direction, spellings in words.items():
        if folded in spellings:
            return direction
    return None


def number_of(text: str) -> float | None:
    """A number as a learner types it: 0.567, −0.25, 1e-3, 1,000 (thousands) and 7,3 or 0,567 (a
    decimal comma: one comma, no point, not followed by exactly three digits of a thousands group)."""
    cleaned = text.strip().replace("−", "-")
    whole, comma, rest = cleaned.partition(",")
    if comma and "," not in rest and "." not in cleaned and rest.isdigit() and (
            len(rest) != 3 or whole.lstrip("+-") in ("", "0")):
        cleaned = f"{whole}.{rest}"
    cleaned = cleaned.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def within_shown_precision(given: float, right: float, shown: str) -> bool:
    """Right within half a unit of the last digit shown, or 1 % of the value, whichever is larger."""
    mantissa = shown.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(shown.lower().split("e")[1]) if "e" in shown.lower() else 0
    half_unit = 0.5 * 10.0 ** (exponent - decimals)
    return abs(given - right) <= max(half_unit, 0.01 * abs(right)) + 1e-12


def step_in_progress(snapshot: Snapshot) -> int:
    """The step whose phase this is: an UPDATE snapshot already counts the step it finished."""
    return snapshot.step - 1 if snapshot.phase is Phase.UPDATE else snapshot.step


def question_for(snapshot: Snapshot, scenario=None) -> Question | None:
    """The question for the phase `snapshot` has just reached (None at START or once diverged)."""
    if snapshot.diverged:
        return None
    own = _scenario_question(snapshot, scenario)
    if own is not None:
        return own
    phase = snapshot.phase
    if phase is Phase.FORWARD:
        return _forward(snapshot)
    if phase is Phase.LOSS and snapshot.batch_loss is not None:   # written as the screen writes a loss
        return Question(Kind.LOSS, phase, snapshot.step, snapshot.batch_loss, fmt_loss(snapshot.batch_loss),
                        parameter=snapshot.loss_name.upper())
    if phase is Phase.BACKWARD:
        grad = snapshot.layers[-1].weight_grad
        if grad is None:
            return None
        g = float(grad[0, 0])
        direction = STILL if g == 0 else (DOWN if g > 0 else UP)   # a step goes against the gradient
        return Question(Kind.DIRECTION, phase, snapshot.step, direction, direction, parameter=_output_weight(snapshot),
                        remembers=snapshot.optimizer not in PLAIN_OPTIMIZERS, optimizer=snapshot.optimizer)
    if phase is Phase.UPDATE:
        value = float(snapshot.layers[-1].weight[0, 0])
        return Question(Kind.NEW_VALUE, phase, step_in_progress(snapshot), value, fmt(value),
                        parameter=_output_weight(snapshot))
    return None


def _forward(snapshot: Snapshot) -> Question | None:
    if not snapshot.rows_per_phase or snapshot.row is None:
        return None      # a big batch computes every row at once: nothing to work out by hand
    row = int(snapshot.batch[snapshot.row])
    if len(snapshot.layers) == 1 and snapshot.predictions.shape[1] == 1 and ops.activation(snapshot.layers[0].activation).elementwise:
        value = float(snapshot.predictions[row, 0])
        return Question(Kind.PREDICTION, Phase.FORWARD, snapshot.step, value, fmt(value), row=row,
                        parameter=snapshot.layers[0].activation)   # the F around the weighted sum
    value = float(snapshot.layers[0].output[row, 0])    # one hidden unit: a sum and one function
    return Question(Kind.ACTIVATION, Phase.FORWARD, snapshot.step, value, fmt(value), row=row, unit=0,
                    parameter=snapshot.layers[0].activation)


def _output_weight(snapshot: Snapshot) -> str:
    single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
    return parameter_label(len(snapshot.layers) - 1, "w", 0, 0, single)


def _scenario_question(snapshot: Snapshot, scenario) -> Question | None:
    for spec in getattr(scenario, "quiz", ()) or ():
        if spec.step != step_in_progress(snapshot) or spec.phase != snapshot.phase.value:
            continue
        if snapshot.phase is Phase.FORWARD and spec.row is not None and snapshot.row is not None \
                and int(snapshot.batch[snapshot.row]) != spec.row:
            continue
        if spec.choices:
            return Question(Kind.WORD, snapshot.phase, spec.step, spec.answer, spec.answer, ask=spec.ask,
                            choices=spec.choices)
        value = quantity(snapshot, spec.answer)
        if value is not None:
            shown = fmt_loss(value) if spec.answer == "loss" else fmt(value)
            return Question(Kind.NUMBER, snapshot.phase, spec.step, value, shown, ask=spec.ask)
    return None


def quantity(snapshot: Snapshot, name: str) -> float | None:
    """A quantity a scenario's question names: `loss`, `prediction[N]` (rows from 1), or a
    parameter as the screen labels it (`w1`, `b`, `L2 w[1,2]`)."""
    if name == "loss":
        return snapshot.batch_loss if snapshot.batch_loss is not None else snapshot.loss
    match = re.fullmatch(r"prediction\[(\d+)\]", name)
    if match:
        row = int(match.group(1)) - 1
        return float(snapshot.predictions[row, 0]) if 0 <= row < snapshot.n_rows else None
    single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
    for index, layer in enumerate(snapshot.layers):
        for unit, inputs in np.ndindex(layer.weight.shape):
            if parameter_label(index, "w", unit, inputs, single) == name:
                return float(layer.weight[unit, inputs])
        if layer.bias is not None:
            for unit in range(layer.bias.shape[0]):
                if parameter_label(index, "b", unit, None, single) == name:
                    return float(layer.bias[unit])
    return None
