"""A scenario's own quiz questions: `[[quiz]]` tables with a step, a phase, the question in each
language and the quantity (or, with `choices`, the word) that answers it."""

from __future__ import annotations

from dataclasses import dataclass

import re

from dltui.engine.load.reader import Reader, ScenarioError, kind_of, shown
from dltui.engine.naming import parameter_name

# the file's phase names → the engine's (Phase values); `gradients` is what the screen calls backward
PHASES = {"forward": "forward", "loss": "loss", "gradients": "backward", "backward": "backward",
          "update": "update"}


@dataclass(frozen=True)
class QuizSpec:
    step: int
    phase: str                   # a Phase value
    ask: dict[str, str]          # ko / en
    answer: str                  # loss | prediction[N] | a parameter label (w1, b, L2 w[1,2]) | one of choices
    choices: tuple[str, ...] = ()
    row: int | None = None       # forward: ask at this training row (from 1 in the file)


def quiz_specs(top: Reader) -> tuple[QuizSpec, ...]:
    tables = top.get("quiz", list, [], "quiz_tables")
    specs = []
    for index, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise top.fail(f"quiz[{index}]", "value.type", expected="quiz_table", got=kind_of(table),
                           value=shown(table))
        reader = Reader(top.file, table, f"quiz[{index}]")
        reader.check_known({"step", "phase", "ask", "answer", "choices", "row"})
        step = reader.get("step", int, 0, "integer")
        if step < 0:
            raise reader.fail("step", "quiz.step_negative", value=step)
        phase = PHASES[reader.choice("phase", tuple(PHASES))]
        ask_value = reader.get("ask", (str, dict), ..., "languages")
        if isinstance(ask_value, str):
            ask = {"ko": ask_value, "en": ask_value}
        else:
            sub = reader.sub("ask")
            sub.check_known({"ko", "en"})
            ask = {lang: sub.get(lang, str) for lang in ("ko", "en") if lang in ask_value}
            if not ask:
                raise reader.fail("ask", "quiz.ask_language")
        answer = reader.get("answer", str)
        choices = tuple(reader.get("choices", list, [], "words"))
        if choices and (not all(isinstance(c, str) and c for c in choices) or answer not in choices):
            raise reader.fail("choices", "quiz.choices", answer=shown(answer))
        row = reader.get("row", int, None, "integer") if reader.has("row") else None
        if row is not None and row < 1:
            raise reader.fail("row", "quiz.row_from_one", value=row)
        specs.append(QuizSpec(step, phase, ask, answer, choices, None if row is None else row - 1))
    return tuple(specs)


def check_answers(file, specs: tuple[QuizSpec, ...], layers, n_inputs: int, n_rows: int) -> None:
    """Every question names something the scenario has: a parameter as the screen labels it, a
    training row's prediction, a training row (a question that names nothing is never asked,
    and nobody would notice)."""
    single = len(layers) == 1 and layers[0].units == 1
    labels, fan_in = {"loss"}, n_inputs
    for index, layer in enumerate(layers):
        labels |= {parameter_name(index, "w", unit, i, single) for unit in range(layer.units) for i in range(fan_in)}
        if layer.has_bias:
            labels |= {parameter_name(index, "b", unit, None, single) for unit in range(layer.units)}
        fan_in = layer.units
    for number, spec in enumerate(specs, start=1):
        where = f"quiz[{number}]"
        if spec.row is not None and spec.row >= n_rows:
            raise ScenarioError(file, f"{where}.row", "quiz.row_range", value=spec.row + 1, rows=n_rows)
        if spec.choices:
            continue
        row = re.fullmatch(r"prediction\[(\d+)\]", spec.answer)
        if row and not 1 <= int(row.group(1)) <= n_rows:
            raise ScenarioError(file, f"{where}.answer", "quiz.prediction_range", answer=shown(spec.answer),
                                rows=n_rows)
        if not row and spec.answer not in labels:
            names = tuple(sorted(labels)[:12]) + (("...",) if len(labels) > 12 else ())
            raise ScenarioError(file, f"{where}.answer", "quiz.answer_unknown", answer=shown(spec.answer),
                                allowed=names)
