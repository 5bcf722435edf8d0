"""A comparison's runs on one line under the status line: each run's number, label and loss, the
selected one (that the tables and the arithmetic follow) lit. Hidden for a single run."""

from __future__ import annotations

import math

from rich.style import Style
from rich.text import Text

from dltui.engine.numbers import fmt_loss
from dltui.engine import symbols
from . import palette
from .i18n import t
from .quiet import QuietStatic, text_key, unwrapped_lines


class RunsLine(QuietStatic):
    DEFAULT_CSS = """
    RunsLine { height: auto; padding: 0 1; display: none; }
    RunsLine.shown { display: block; }
    """

    def show(self, runs, snapshots, selected: int, lang: str) -> None:
        """`runs`: the comparison's runs (None for a single run); `snapshots`: one per run."""
        self.set_class(bool(runs), "shown")
        if not runs:
            return
        text = Text(t("runs.title", lang) + " ", style="dim")
        for index, (run, snap) in enumerate(zip(runs, snapshots)):
            mine = index == selected
            colour = palette.rgb(palette.run_colour(index))
            text.append(symbols.POINTER if mine else " ", style="bold")
            text.append(f"{index + 1} {run.label(lang)} ", style=Style(color=colour, bold=mine, underline=mine))
            if snap.diverged or not math.isfinite(snap.loss):
                text.append(t("loss.diverged", lang), style="bold white on red")
            else:
                text.append(fmt_loss(snap.loss), style="bold" if mine else "")
            text.append("  ")
        if self.app.size.width >= 100:   # 80×24: the runs alone, on one line where they fit
            text.append(t("runs.keys", lang, n=len(runs)), style="dim")
        self.show_content(text, text_key(text), unwrapped_lines(text, self.content_size.width))
