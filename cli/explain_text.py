"""`dltui run --explain`: each step's arithmetic as plain text, ready to paste into a handout.

The same engine explanations the TUI shows (forward sums, loss terms, gradients, updates),
with the screen's headings in Korean or English.
"""

from __future__ import annotations

from typing import IO

from dltui.engine.explain.terms import forward_terms, loss_terms
from dltui.engine.explain.gradients import gradient_terms, update_explanation
from dltui.engine.numbers import fmt_loss
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Phase
from dltui.words import diverged_text, t, update_header


def write_explained(scenario: Scenario, steps: int, lang: str, out: IO[str]) -> None:
    from dltui.engine.train.trainer import Trainer

    trainer = Trainer(scenario)
    out.write(f"{scenario.title}\n")
    out.write(f"{t('step', lang)} 0: {t('loss', lang)} ({scenario.train.loss}) = "
              f"{fmt_loss(trainer.snapshot().loss)}\n")
    for _ in range(steps):
        if trainer.diverged:
            break
        snapshot = trainer.advance()
        while snapshot.phase is Phase.FORWARD and snapshot.row < len(snapshot.batch) - 1:
            snapshot = trainer.advance()
        out.write(f"\n== {t('step', lang)} {snapshot.step} → {snapshot.step + 1} ==\n")
        out.write(f"\n{t('explain.forward', lang)}\n")
        if len(snapshot.batch) != snapshot.n_rows:
            out.write(f"{t('explain.batch', lang, rows=len(snapshot.batch))}\n")
        for row in snapshot.batch.tolist():
            for layer in forward_terms(snapshot, row):
                for neuron in layer:
                    label = f"L{neuron.layer + 1}.{neuron.unit + 1} " if len(snapshot.layers) > 1 or len(layer) > 1 else ""
                    activation = neuron.activation_text()
                    out.write(f"{row + 1}) {label}{neuron.text()}{'   ' + activation if activation else ''}\n")
        snapshot = trainer.advance()                                  # LOSS
        terms = loss_terms(snapshot, snapshot.batch)
        out.write(f"\n{t('explain.loss', lang, name=terms.name, formula=terms.formula)}\n")
        for row in terms.rows:
            target = ", ".join(f"{v:g}" for v in row.target)
            predict = ", ".join(f"{v:.6g}" for v in row.prediction)
            out.write(f"{row.row + 1}) {t('col.target', lang)} {target}  {t('col.predict', lang)} {predict}"
                      f"  → {row.term:.6g}\n")
        out.write(f"loss = {terms.reduction_text()}\n")
        snapshot = trainer.advance()                                  # BACKWARD
        out.write(f"\n{t('explain.backward', lang)}\n")
        out.writelines(line + "\n" for line in gradient_terms(snapshot).lines())
        before = snapshot
        snapshot = trainer.advance()                                  # UPDATE
        out.write(f"\n{update_header(snapshot, lang)}\n")
        out.writelines(line + "\n" for line in update_explanation(snapshot, scenario.train, previous=before))
        out.write(f"{t('explain.loss_now', lang, loss=fmt_loss(snapshot.loss))}\n")
        if snapshot.diverged:
            out.write(f"{diverged_text(snapshot, lang)}\n")
