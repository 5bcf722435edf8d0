"""Predict, then reveal (issue 15): in quiz mode each phase asks for its number before it shows it.

The engine knows the answer (engine/explain/quiz.py asks the snapshot the phase produced); the
screen hides that number ‒ the row's prediction shows `?`, the loss shows `?`, the arithmetic
gives way to the question ‒ until the learner answers in the quiz bar or skips with Escape.
Space and `.` both go one phase at a time in quiz mode, so every phase asks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from dltui.engine.explain.quiz import Question, question_for
from dltui.engine.train.snapshot import Phase, Snapshot
from dltui.words.quiz import answer_text, invalid_text, question_text
from .i18n import t
from .panels import ExplanationPanel, RowsTable, StatusLine
from .view_area import ViewArea


@dataclass
class Pending:
    question: Question
    snapshot: Snapshot          # the phase's snapshot, shown once the question is answered


class QuizBar(Vertical):
    """The open question, an input for the answer, and the last verdict."""

    DEFAULT_CSS = """
    QuizBar { height: auto; border-top: solid $accent; padding: 0 1; background: $boost; }
    QuizBar #quiz-answer { height: 1; }
    QuizBar #quiz-verdict { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "skip", show=False)]

    def __init__(self, text: str = "", **kwargs):
        super().__init__(**kwargs)
        self._text = text

    def compose(self) -> ComposeResult:
        yield Static(self._text, id="quiz-question", markup=False)
        yield Input(id="quiz-answer", compact=True)
        yield Static("", id="quiz-verdict", markup=False)

    def ask(self, text: str, prompt: str) -> None:
        self.query_one("#quiz-question", Static).update(text)
        field = self.query_one(Input)
        field.placeholder = prompt
        field.value = ""
        field.focus()

    def say(self, verdict: str) -> None:
        self.query_one("#quiz-verdict", Static).update(verdict)

    def clear_question(self, text: str) -> None:
        self.query_one("#quiz-question", Static).update(text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.app.quiz_answer(event.value)

    def action_skip(self) -> None:
        self.app.quiz_answer(None)


class QuizMixin:
    """`k` and the quiz flow for the dltui app (which has trainer, snapshot, lock, lang, main, _apply)."""

    quiz_on = False
    quiz_pending: Pending | None = None

    def quiz_setup(self) -> None:
        self.quiz_right = 0
        self.quiz_asked = 0
        self.quiz_log: list[dict] = []

    # ----------------------------------------------------------------- on / off

    def action_quiz(self) -> None:
        self.set_quiz(not self.quiz_on)

    def set_quiz(self, on: bool) -> None:
        self.quiz_on = on
        if on:
            if not self.main.query(QuizBar):
                self.main.mount(QuizBar(t("quiz.on", self.lang)), before=self.main.query_one(Footer))
            self.notify(t("quiz.on", self.lang), timeout=4)
        else:
            if self.quiz_pending is not None:
                self.quiz_answer(None)
            for bar in self.main.query(QuizBar):
                bar.remove()
            self.notify(t("quiz.off", self.lang), timeout=2)
        self._quiz_masks()
        if self.snapshot is not None:
            self._apply(self.snapshot)

    def _quiz_bar(self) -> QuizBar | None:
        bars = self.main.query(QuizBar)
        return bars.first() if bars else None

    # ----------------------------------------------------------------- a phase, asked first

    def quiz_advance(self) -> bool:
        """In quiz mode, `.` and space: advance one phase, ask before showing. False: not in quiz mode."""
        if not self.quiz_on:
            return False
        bar = self._quiz_bar()
        if self.quiz_pending is not None:          # answer (or skip) the open question first
            if bar is not None:
                bar.query_one(Input).focus()
            return True
        trainer = self._engine("phase")
        if trainer is None:
            return True
        self._pause()
        before = self.snapshot
        with self.lock:
            after = trainer.advance()
            scenario = getattr(trainer, "trainer", trainer).scenario
        question = question_for(after, scenario)
        if question is None or before is None:
            self._quiz_masks(after)
            self._apply(after)
            return True
        # forward and loss: the new phase is shown with its number masked; gradients and update:
        # the screen stays where it was (the new numbers would give the answer away)
        shown = after if after.phase in (Phase.FORWARD, Phase.LOSS) else before
        self.quiz_pending = Pending(question, after)
        self.quiz_asked += 1
        self._quiz_masks(shown)
        self._apply(shown)
        if bar is not None:
            bar.ask(question_text(question, self.lang), t("quiz.prompt", self.lang))
        return True

    def quiz_answer(self, text: str | None) -> None:
        """An answer from the bar (None: skipped). Not an answer at all: say so, keep asking."""
        pending = self.quiz_pending
        bar = self._quiz_bar()
        if pending is None:
            return
        question = pending.question
        right = answer_text(question, self.lang)
        if text is None:
            verdict, outcome = t("quiz.skipped", self.lang, shown=right), "skipped"
        else:
            result = question.check(text)
            if result is None:
                if bar is not None:
                    bar.say(invalid_text(question, self.lang))
                    bar.query_one(Input).value = ""
                return
            outcome = "correct" if result else "wrong"
            if result:
                self.quiz_right += 1
            verdict = (t("quiz.correct", self.lang, shown=right) if result
                       else t("quiz.wrong", self.lang, shown=right, given=text.strip()))
        self.quiz_log.append({"step": question.step, "phase": question.phase.value,
                              "question": question_text(question, self.lang), "answer": text,
                              "right": question.answer, "verdict": outcome})
        self.quiz_pending = None
        if bar is not None:
            bar.say(verdict)
            bar.clear_question("")
            bar.query_one(Input).value = ""
        self.set_focus(None)     # the keys go back to the app: `.` / space ask the next phase
        self._quiz_masks(pending.snapshot)
        self._apply(pending.snapshot)
        self.notify(verdict, severity="information" if outcome == "correct" else "warning", timeout=4)

    # ----------------------------------------------------------------- what stays hidden

    def _quiz_masks(self, shown: Snapshot | None = None) -> None:
        """Hide what the phases have not computed yet: predictions until their forward row, the
        loss until the loss phase; the open question stands in for the arithmetic."""
        table = self.main.query_one(RowsTable)
        status = self.main.query_one(StatusLine)
        explain = self.main.query_one(ExplanationPanel)
        views = self.main.query_one(ViewArea)
        shown = shown or self.snapshot
        if not self.quiz_on or shown is None:
            table.hidden_rows, status.hide_loss, explain.question, status.quiz_score = frozenset(), False, "", ""
            views.hidden_rows, views.hide_loss = table.hidden_rows, status.hide_loss
            return
        pending = self.quiz_pending
        everything = frozenset(range(shown.n_rows))
        if shown.phase is Phase.FORWARD:
            done = set(int(r) for r in shown.batch[: shown.row + 1]) if shown.row is not None else set()
            if pending is not None and pending.question.row is not None:
                done.discard(pending.question.row)
            hidden = everything - done
        elif shown.phase in (Phase.LOSS, Phase.BACKWARD):
            hidden = frozenset()
        else:                                   # a step's start: its forward pass has not run yet
            hidden = everything
        table.hidden_rows = frozenset(hidden)
        status.hide_loss = shown.phase in (Phase.START, Phase.FORWARD, Phase.UPDATE) or (
            pending is not None and pending.question.kind == "loss")
        explain.question = (question_text(pending.question, self.lang) + "\n\n" + t("quiz.waiting", self.lang)
                            if pending is not None else "")
        status.quiz_score = t("quiz.score", self.lang, right=self.quiz_right, asked=self.quiz_asked)
        views.hidden_rows, views.hide_loss = table.hidden_rows, status.hide_loss   # the charts keep the answer too

    def quiz_log_file(self, folder: Path) -> Path | None:
        """quiz.json beside an export: every question, the answer given, the right value, the verdict."""
        if not getattr(self, "quiz_log", None):
            return None
        path = folder / "quiz.json"
        path.write_text(json.dumps({"right": self.quiz_right, "asked": self.quiz_asked, "questions": self.quiz_log},
                                   ensure_ascii=False, indent=1), "utf-8")
        return path
