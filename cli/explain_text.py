"""`dltui run --explain`: each step's arithmetic as plain text, ready to paste into a handout.

The same engine explanations the TUI shows (forward sums, loss terms, gradients, updates),
with the screen's headings in Korean or English.
"""

from __future__ import annotations

from typing import IO

from dltui.engine.explain.terms import forward_terms, loss_terms
from dltui.engine.explain.gradients import gradient_terms, update_explanation
from dltui.engine.numbers import fmt, fmt_loss
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Phase
from dltui.words import (diverged_text, for_optimizer, gradient_lines, loss_heading, loss_note, loss_total, t,
                         update_header)


def write_explained(scenario: Scenario, steps: int, lang: str, out: IO[str]) -> None:
    """Steps 1..steps, each with its forward sums, loss, gradients and update. With `steps` 0,
    step 0's forward pass and loss: the lecture's exercise of computing them by hand."""
    from dltui.engine.train.trainer import Trainer

    trainer = Trainer(scenario)
    out.write(f"{scenario.title}\n")
    out.write(f"{t('step', lang)} 0: {t('loss', lang)} ({scenario.train.loss}) = "
              f"{fmt_loss(trainer.snapshot().loss)}\n")
    if steps == 0:
        out.write(f"\n== {t('step', lang)} 0 ==\n")
        _forward_and_loss(trainer, lang, out)
        return
    for _ in range(steps):
        if trainer.diverged:
            break
        snapshot = trainer.snapshot()
        out.write(f"\n== {t('step', lang)} {snapshot.step} → {snapshot.step + 1} ==\n")
        snapshot = _forward_and_loss(trainer, lang, out)
        if snapshot.diverged:
            out.write(f"{diverged_text(snapshot, lang)}\n")
            break
        snapshot = trainer.advance()                                  # BACKWARD
        out.write(f"\n{for_optimizer('explain.backward', snapshot.optimizer, lang)}\n")
        out.writelines(line + "\n" for line in gradient_lines(gradient_terms(snapshot), lang))
        before = snapshot
        snapshot = trainer.advance()                                  # UPDATE
        out.write(f"\n{update_header(snapshot, lang)}\n")
        out.writelines(line + "\n" for line in update_explanation(snapshot, scenario.train, previous=before))
        out.write(f"{t('explain.loss_now', lang, loss=fmt_loss(snapshot.loss))}\n")
        if snapshot.diverged:
            out.write(f"{diverged_text(snapshot, lang)}\n")


def _forward_and_loss(trainer, lang: str, out: IO[str]):
    """The step in progress through its LOSS phase, written out; returns the LOSS snapshot."""
    snapshot = trainer.advance()
    while snapshot.phase is Phase.FORWARD and snapshot.row < len(snapshot.batch) - 1:
        snapshot = trainer.advance()
    out.write(f"\n{t('explain.forward', lang)}\n")
    if len(snapshot.batch) != snapshot.n_rows:
        out.write(f"{t('explain.batch', lang, rows=len(snapshot.batch))}\n")
    for row in snapshot.batch.tolist():
        for layer in forward_terms(snapshot, row):
            for neuron in layer:
                label = f"L{neuron.layer + 1}.{neuron.unit + 1} " if len(snapshot.layers) > 1 or len(layer) > 1 else ""
                activation = neuron.activation_text()
                out.write(f"{row + 1}) {label}{neuron.text()}{'   ' + activation if activation else ''}\n")
    snapshot = trainer.advance()                                      # LOSS
    terms = loss_terms(snapshot, snapshot.batch)
    out.write(f"\n{loss_heading(terms, lang)}\n")
    for row in terms.rows:
        target = ", ".join(fmt(v) for v in row.target)
        predict = ", ".join(fmt(v) for v in row.prediction)
        out.write(f"{row.row + 1}) {t('col.target', lang)} {target}  {t('col.predict', lang)} {predict}"
                  f"  → {fmt(row.term)}\n")
    out.write(f"{loss_total(terms, lang)}\n")
    note = loss_note(terms, lang)
    if note:
        out.write(f"({note})\n")
    return snapshot
