"""A scenario's own quiz questions: `[[quiz]]` tables with a step, a phase, the question in each
language and the quantity (or, with `choices`, the word) that answers it."""

from __future__ import annotations

from dataclasses import dataclass

from dltui.engine.load.reader import Reader

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
    tables = top.get("quiz", list, [], "a list of [[quiz]] tables")
    specs = []
    for index, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise top.fail("quiz", f"item {index} must be a table ([[quiz]])")
        reader = Reader(top.file, table, f"quiz[{index}]")
        reader.check_known({"step", "phase", "ask", "answer", "choices", "row"})
        step = reader.get("step", int, 0, "a whole number")
        if step < 0:
            raise reader.fail("step", f"must be 0 or more, not {step}")
        phase = PHASES[reader.choice("phase", tuple(PHASES))]
        ask_value = reader.get("ask", (str, dict), ..., "a string or a table of languages")
        if isinstance(ask_value, str):
            ask = {"ko": ask_value, "en": ask_value}
        else:
            sub = reader.sub("ask")
            sub.check_known({"ko", "en"})
            ask = {lang: sub.get(lang, str) for lang in ("ko", "en") if lang in ask_value}
            if not ask:
                raise reader.fail("ask", "needs ask.ko or ask.en")
        answer = reader.get("answer", str)
        choices = tuple(reader.get("choices", list, [], "a list of words"))
        if choices and (not all(isinstance(c, str) and c for c in choices) or answer not in choices):
            raise reader.fail("choices", f"must be words, one of them the answer {answer!r}")
        row = reader.get("row", int, None, "a whole number") if reader.has("row") else None
        if row is not None and row < 1:
            raise reader.fail("row", f"rows are counted from 1, not {row}")
        specs.append(QuizSpec(step, phase, ask, answer, choices, None if row is None else row - 1))
    return tuple(specs)
