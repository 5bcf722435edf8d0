"""Predict, then reveal: in quiz mode each phase asks for its number before it shows it.

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

from dltui.engine import Phase, Snapshot
from dltui.engine import intents as do
from dltui.engine.explain.quiz import Kind, Question, question_for
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
    BINDINGS = [Binding("escape", "skip", show=False),
                Binding("up", "direction('up')", show=False), Binding("down", "direction('down')", show=False)]

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
        self.say("")       # the last question's verdict does not stand under this one

    def say(self, verdict: str) -> None:
        self.query_one("#quiz-verdict", Static).update(verdict)

    def clear_question(self, text: str) -> None:
        self.query_one("#quiz-question", Static).update(text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.app.quiz.answer(event.value)

    def action_skip(self) -> None:
        self.app.quiz.answer(None)

    def action_direction(self, arrow: str) -> None:
        """↑ / ↓ answer a direction question as they say (other questions ignore them)."""
        pending = self.app.quiz.pending
        if pending is not None and pending.question.kind is Kind.DIRECTION:
            self.app.quiz.answer(arrow)


class Quiz:
    """The quiz flow of one app: on or off, the open question, the score and the log. It sends
    `Advance` to the session itself and keeps back what the phase has not revealed yet."""

    def __init__(self, app) -> None:
        self.app = app
        self.on = False
        self.pending: Pending | None = None
        self.right = 0
        self.asked = 0
        self.log: list[dict] = []

    # ----------------------------------------------------------------- on / off

    def toggle(self) -> None:
        self.set(not self.on)

    def set(self, on: bool) -> None:
        self.on = on
        if on:
            if not self.app.main.query(QuizBar):
                self.app.main.mount(QuizBar(t("quiz.on", self.app.lang)), before=self.app.main.query_one(Footer))
            self.app.notify(t("quiz.on", self.app.lang), timeout=4)
        else:
            if self.pending is not None:
                self.answer(None)
            for bar in self.app.main.query(QuizBar):
                bar.remove()
            self.app.notify(t("quiz.off", self.app.lang), timeout=2)
        self.masks()
        if self.app.snapshot is not None:
            self.app.snapshot = self.app.snapshot   # the watcher repaints with the masks

    def _bar(self) -> QuizBar | None:
        bars = self.app.main.query(QuizBar)
        return bars.first() if bars else None

    # ----------------------------------------------------------------- a phase, asked first

    async def advance(self) -> bool:
        """In quiz mode, `.` and space: advance one phase, ask before showing. False: not in quiz mode."""
        if not self.on:
            return False
        bar = self._bar()
        if self.pending is not None:          # answer (or skip) the open question first
            if bar is not None:
                bar.query_one(Input).focus()
            return True
        if not self.app._have_session("phase"):
            return True
        self.app._pause()
        before = self.app.snapshot
        frame = await self.app.answer(do.Advance())
        if frame is None:
            return True
        after = frame.snapshot
        question = question_for(after, frame.setup)
        if question is None or before is None:
            self.masks(after)
            self.app._show(frame)
            return True
        # forward and loss: the new phase is shown with its number masked; gradients and update:
        # the screen stays where it was (the new numbers would give the answer away)
        shown = after if after.phase in (Phase.FORWARD, Phase.LOSS) else before
        self.pending = Pending(question, after)
        self.asked += 1
        self.masks(shown)
        self.app._show(frame, shown)
        if bar is not None:
            bar.ask(question_text(question, self.app.lang), t("quiz.prompt", self.app.lang))
        return True

    def answer(self, text: str | None) -> None:
        """An answer from the bar (None: skipped). Not an answer at all: say so, keep asking."""
        pending = self.pending
        bar = self._bar()
        if pending is None:
            return
        question = pending.question
        right = answer_text(question, self.app.lang)
        if text is None:
            verdict, outcome = t("quiz.skipped", self.app.lang, shown=right), "skipped"
        else:
            result = question.check(text)
            if result is None:
                if bar is not None:
                    bar.say(invalid_text(question, self.app.lang))
                    bar.query_one(Input).value = ""
                return
            outcome = "correct" if result else "wrong"
            if result:
                self.right += 1
            verdict = (t("quiz.correct", self.app.lang, shown=right) if result
                       else t("quiz.wrong", self.app.lang, shown=right, given=text.strip()))
        self.log.append({"step": question.step, "phase": question.phase.value,
                              "question": question_text(question, self.app.lang), "answer": text,
                              "right": question.answer, "verdict": outcome})
        self.pending = None
        if bar is not None:
            bar.say(verdict)
            bar.clear_question("")
            bar.query_one(Input).value = ""
        self.app.set_focus(None)     # the keys go back to the app: `.` / space ask the next phase
        self.masks(pending.snapshot)
        self.app.snapshot = pending.snapshot
        self.app.notify(verdict, severity="information" if outcome == "correct" else "warning", timeout=4)

    def drop(self) -> None:
        """Back and reset leave an open question unasked."""
        if self.pending is not None:
            self.pending = None
            self.asked -= 1

    # ----------------------------------------------------------------- what stays hidden

    def masks(self, shown: Snapshot | None = None) -> None:
        """Hide what the phases have not computed yet: predictions until their forward row, the
        loss until the loss phase; the open question stands in for the arithmetic."""
        table = self.app.main.query_one(RowsTable)
        status = self.app.main.query_one(StatusLine)
        explain = self.app.main.query_one(ExplanationPanel)
        views = self.app.main.query_one(ViewArea)
        shown = shown or self.app.snapshot
        if not self.on or shown is None:
            table.hidden_rows, status.hide_loss, explain.question, status.quiz_score = frozenset(), False, "", ""
            views.hidden_rows, views.hide_loss = table.hidden_rows, status.hide_loss
            return
        pending = self.pending
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
            pending is not None and pending.question.kind is Kind.LOSS)
        explain.question = (question_text(pending.question, self.app.lang) + "\n\n" + t("quiz.waiting", self.app.lang)
                            if pending is not None else "")
        status.quiz_score = t("quiz.score", self.app.lang, right=self.right, asked=self.asked)
        views.hidden_rows, views.hide_loss = table.hidden_rows, status.hide_loss   # the charts keep the answer too

    def log_file(self, folder: Path) -> Path | None:
        """quiz.json beside an export: every question, the answer given, the right value, the verdict."""
        if not self.log:
            return None
        path = folder / "quiz.json"
        path.write_text(json.dumps({"right": self.right, "asked": self.asked, "questions": self.log},
                                   ensure_ascii=False, indent=1), "utf-8")
        return path
