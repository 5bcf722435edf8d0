"""The switchable text area under the data table: the arithmetic of the current phase, the
PyTorch training loop with the current phase's line lit, or the autograd graph. `c` switches."""

from __future__ import annotations

from dataclasses import replace

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Static

from dltui.engine.explain.codegen import training_code
from dltui.engine.load.scenario import Scenario
from dltui.engine import Phase, Snapshot
from dltui.words.code import code_text
from dltui.engine.frame import Frame
from .i18n import t
from .panels import ExplanationPanel
from .quiet import Same
from .wrap import HangingLines

NOTES = ("explain", "code", "graph")


class CodePanel(Static):
    """The standard PyTorch loop for this scenario, equal to what the engine runs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._code = None
        self._text = ""
        self._scenario = None
        self._line = None   # the lit line on screen

    def show(self, scenario: Scenario, snapshot: Snapshot, lang: str) -> int | None:
        key = (Same(scenario), snapshot.learning_rate, lang)    # the rate in force now, after any [ / ]
        new_code = key != self._scenario
        if new_code:
            now = scenario
            if snapshot.learning_rate != scenario.train.learning_rate:
                now = replace(scenario, train=replace(scenario.train, learning_rate=snapshot.learning_rate))
            self._scenario, self._code = key, training_code(now)
            self._text = code_text(self._code.lines, lang)
        line = None if snapshot.phase is Phase.START else self._code.line_of(snapshot.phase)
        if new_code or line != self._line:   # the same code with another line lit keeps its size
            self._line = line
            self.update(Syntax(self._text, "python", theme="monokai", line_numbers=True,
                               highlight_lines={line} if line else set(), word_wrap=False), layout=new_code)
        return line


class GraphPanel(Static):
    """The chain of grad_fn nodes behind the current batch loss ("PyTorch under the hood")."""

    def show(self, graph, loss: str, lang: str) -> None:
        from dltui.words.graph import graph_lines

        lines = [Text(t("notes.graph.caption", lang), style="italic")]
        if not graph.has_gradients:
            lines.append(Text(t("notes.graph.no_grad", lang), style="dim"))
        lines += [Text(line) for line in graph_lines(graph, loss, lang)]
        self.update(HangingLines(lines))   # long lines wrap under their indentation: the tree stays a tree


class NotesArea(ContentSwitcher):
    def __init__(self, **kwargs):
        super().__init__(initial="notes-explain", **kwargs)
        self.note = "explain"
        self.explain = ExplanationPanel(id="explain")
        self.code = CodePanel(id="code")
        self.code_box = VerticalScroll(self.code, id="notes-code")
        self.graph = GraphPanel(id="graph")

    def compose(self) -> ComposeResult:
        yield VerticalScroll(self.explain, id="notes-explain")
        yield self.code_box
        yield VerticalScroll(self.graph, id="notes-graph")

    def cycle(self) -> str:
        self.note = NOTES[(NOTES.index(self.note) + 1) % len(NOTES)]
        self.current = f"notes-{self.note}"
        return self.note

    def title(self, lang: str) -> str:
        return t(f"notes.{self.note}", lang)

    def draw(self, scenario: Scenario, frame: Frame, lang: str) -> None:
        snapshot = frame.snapshot
        if self.note == "explain":
            self.explain.show(scenario, snapshot, lang)
        elif self.note == "code":
            line = self.code.show(scenario, snapshot, lang)
            if line:
                box = self.code_box
                box.scroll_to(y=max(0, line - box.size.height // 2), animate=False)
        elif frame.graph is not None:
            self.graph.show(frame.graph, scenario.train.loss, lang)
