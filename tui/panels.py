"""The main screen's panels. Each takes a snapshot (and the scenario) and lays it out."""

from __future__ import annotations

import math

import numpy as np
from rich.cells import cell_len
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from dltui.engine import ops
from dltui.engine.explain.terms import forward_terms, loss_terms, parameter_label
from dltui.engine.explain.gradients import gradient_terms, update_explanation
from dltui.engine import symbols
from dltui.engine.numbers import cancelled, fmt, fmt_loss
from dltui.engine.load.scenario import Scenario
from dltui.engine import Phase, Snapshot
from . import palette
from .cells import prediction_text, target_text
from dltui.words import gradient_lines, loss_heading, loss_total

from .i18n import activation_name, diverged_text, for_optimizer, loss_note, t, update_header
from .layout import fit_status
from .line_table import LineTable
from .titles import FittedTitle
from .text_columns import column_lines
from .quiet import QuietStatic, Same, text_key, unwrapped_lines
from .wrap import hang

MAX_TABLE_ROWS = 100      # a learner reads the first rows; the rest are counted
MAX_TEST_ROWS = 30
MAX_PARAMETER_ROWS = 60   # a big network lists its first units; the network view shows them all
MAX_EXPLAIN_LINES = 40    # likewise for per-parameter gradient and update lines
CHANGED = "bold bright_yellow"   # a value that moved this step (not orange: that is − and class 1)
CURRENT = "bold reverse"
# explicit colours: a theme's ANSI magenta can be crimson, and red means "went wrong"
PHASE = "#c3a6ff"         # the phase label, an activation's output
UP, DOWN = (Style(color=palette.rgb(c)) for c in (palette.GROWS, palette.SHRINKS))   # ▴ / ▾         # the row the forward pass is computing: the whole row, only it


def short_number(x: float, decimals: int) -> str:
    """fmt(x, decimals), but tiny or huge magnitudes as 2.3e-05 (not 2.3000e-05): columns stay narrow."""
    text = fmt(x, decimals)
    if "e" in text:
        mantissa, exponent = f"{float(x):.{max(1, decimals // 3)}e}".split("e")
        text = f"{mantissa.rstrip('0').rstrip('.')}e{exponent}"
    return text


def phase_text(snapshot: Snapshot, lang: str) -> str:
    if snapshot.phase is Phase.FORWARD:
        if snapshot.rows_per_phase:
            return t("phase.forward", lang, row=snapshot.row + 1, rows=len(snapshot.batch))
        return t("phase.forward_all", lang, rows=len(snapshot.batch))
    return for_optimizer(f"phase.{snapshot.phase.value}", snapshot.optimizer, lang)


class StatusLine(QuietStatic):
    """Title, step, phase, learning rate, optimizer and loss: the one line always visible."""

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; background: $primary-background; padding: 0 1; }
    """

    tiny = False   # set by the app on very small terminals: step and loss first, no title
    hide_loss = False   # quiz mode: the loss is a question until it is answered
    quiz_score = ""     # quiz mode: right / asked

    def show(self, scenario: Scenario, snapshot: Snapshot | None, lang: str, playing: str = "",
             error: str = "") -> None:
        if self.tiny and snapshot is not None:
            text = Text(f"{t('step', lang)} {snapshot.step}", style="bold cyan")
            if math.isfinite(snapshot.loss):
                text.append(f" {t('loss', lang)} {fmt_loss(snapshot.loss)}", style="bold green")
            if snapshot.diverged:
                text.append(f" ✗ {t('diverged', lang)}", style="bold white on red")
            self.show_content(text, text_key(text), text.plain.count("\n") + 1)
            return
        if snapshot is None:   # torch loading, or the trainer could not be built (`error`)
            text = Text(scenario.title, style="bold")
            text.append(f"  │  {error or t('loading', lang)}", style="bold white on red" if error else "italic")
            self.show_content(text, text_key(text), text.plain.count("\n") + 1)
            return
        # (text, style, priority): what goes first when the line is too long (tui/layout.py)
        parts = [
            (f"{t('step', lang)} {snapshot.step}", "bold cyan", 9),
            (f"{t('phase', lang)}: {phase_text(snapshot, lang)}", PHASE, 8),
            (f"{t('lr', lang)} {fmt(snapshot.learning_rate)}", "", 5),
            (snapshot.optimizer, "", 1),
            (f"{t('loss', lang)} ({snapshot.loss_name}) ?", "bold yellow", 10) if self.hide_loss else
            (f"{t('loss', lang)} ({snapshot.loss_name}) {fmt_loss(snapshot.loss)}", "bold green", 10)
            if math.isfinite(snapshot.loss) else
            (f"{t('loss', lang)} ({snapshot.loss_name}) {t('loss.diverged', lang)}", "bold white on red", 10),
        ]
        if snapshot.test_loss is not None:
            parts.append((f"{t('test_loss', lang)} {fmt_loss(snapshot.test_loss)}", "green", 4))
        accuracy = snapshot.accuracy() if snapshot.classification else None
        if accuracy is not None:
            parts.append((f"{t('accuracy', lang)} {accuracy:.0%}", "", 6))
            test_accuracy = snapshot.accuracy(test=True)
            if test_accuracy is not None:
                right = round(test_accuracy * len(snapshot.test_targets))
                parts.append((f"{t('test_accuracy', lang)} {test_accuracy:.0%} ({right}/{len(snapshot.test_targets)})",
                              "", 6))
        if playing:
            parts.append((playing, "bold blue", 7))
        if self.quiz_score:
            parts.append((self.quiz_score, "bold magenta", 9))
        text = fit_status(scenario.title, parts, max(20, self.app.size.width - 2), lang)
        if snapshot.diverged:
            text.append("\n")
            text.append(diverged_text(snapshot, lang), style="bold white on red")
        self.show_content(text, text_key(text), text.plain.count("\n") + 1)


def shows_error_column(scenario: Scenario) -> bool:
    """target − predict beside the loss term where the two differ in more than sign (MSE)."""
    return ops.loss(scenario.train.loss).squares_error and scenario.data.n_outputs == 1


class RowsTable(FittedTitle, LineTable):
    """Each row's inputs, target, prediction and loss term; test rows set apart below.

    What a row shows that no step changes (its number, target and inputs) is made once per
    scenario and language; a step makes the prediction, loss-term and error cells again."""

    DEFAULT_CSS = """
    RowsTable { height: 1fr; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._scenario: Scenario | None = None
        self._previous: Snapshot | None = None
        self._fixed: list[tuple[list[Text], list[Text]]] = []   # per row: (number, target), inputs
        self._error_column = False
        self._drawn: tuple | None = None                 # the inputs of the rows on screen
        self.hidden_rows: frozenset[int] = frozenset()   # quiz mode: rows whose prediction is asked

    def show_scenario(self, scenario: Scenario, lang: str) -> None:
        """Columns and the data itself: shown before torch has loaded."""
        self._scenario, self._previous = scenario, None
        self._error_column = shows_error_column(scenario)
        labels = [Text("#"), *(Text(t(key, lang)) for key in ("col.target", "col.predict", "col.loss_term"))]
        if self._error_column:
            labels.append(Text(t("col.error", lang)))
        labels += [Text(name) for name in scenario.data.feature_names]   # a name is text, never markup
        self._fixed = self._fixed_cells(scenario, lang)
        numbers = max((head[0].cell_len for head, _ in self._fixed), default=1)
        self.set_columns(labels, (cell_len(symbols.POINTER) + numbers,))   # room for ▸: no jump when lit
        self._fill(None, lang)
        self._drawn = None

    def show(self, snapshot: Snapshot, lang: str) -> None:
        """The rows of `snapshot`, lit where they moved since the one shown before it; nothing to
        do when these inputs are the ones drawn (another pane's key: the lights stay)."""
        drawn = (Same(snapshot), lang, self.hidden_rows)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self._fill(snapshot, lang)
        self._previous = snapshot

    def _fill(self, snapshot: Snapshot | None, lang: str) -> None:
        self.set_rows(self._rows(snapshot, lang))
        current = self._current_row(snapshot)
        if current is not None:
            self.keep_in_view(current)   # keep the lit row in view

    @staticmethod
    def _current_row(snapshot: Snapshot | None) -> int | None:
        """The training row the forward pass is computing now (None outside the forward pass)."""
        if snapshot is None or snapshot.phase is not Phase.FORWARD or not snapshot.rows_per_phase:
            return None   # (a forward pass over all rows at once lights none of them)
        row = int(snapshot.batch[snapshot.row])
        return row if row < MAX_TABLE_ROWS else None

    @staticmethod
    def _fixed_cells(scenario: Scenario, lang: str) -> list[tuple[list[Text], list[Text]]]:
        """Each shown row's number and target, and its inputs: training rows, then test rows."""
        data = scenario.data
        names = scenario.display.get("rgb_rows") if scenario.display.get("output") == "rgb" else None
        out = []
        for r in range(min(data.n_train, MAX_TABLE_ROWS)):
            name = names[r] if names and r < len(names) else str(r + 1)   # paint: rows R, G, B
            out.append(([Text(name, style="dim"), Text(target_text(scenario, data.train_targets[r]))],
                        [Text(fmt(v, 4)) for v in data.train_inputs[r]]))
        for r in range(min(data.n_test, MAX_TEST_ROWS)):
            out.append(([Text(f"{t('test_rows', lang)} {r + 1}", style="italic cyan"),
                         Text(target_text(scenario, data.test_targets[r]), style="italic")],
                        [Text(fmt(v, 4), style="italic") for v in data.test_inputs[r]]))
        return out

    def _rows(self, snapshot: Snapshot | None, lang: str) -> list[tuple[str, list]]:
        scenario = self._scenario
        data = scenario.data
        out = []
        current = None
        computed: set[int] = set()
        blanks = 3 if self._error_column else 2
        waiting = [Text(t("waiting", lang), style="dim")] * blanks
        if snapshot is not None and snapshot.phase is Phase.FORWARD:
            rows_done = snapshot.batch[: snapshot.row + 1].tolist()
            computed, current = set(rows_done), self._current_row(snapshot)
        previous = self._previous
        same_run = previous is not None and previous.n_rows == (snapshot.n_rows if snapshot else -1)
        shown_train = min(data.n_train, MAX_TABLE_ROWS)
        if snapshot is not None:
            moved = np.zeros(shown_train, dtype=bool)
            if same_run:   # which rows' predictions changed this step: their numbers are lit
                now, before = snapshot.predictions[:shown_train], previous.predictions[:shown_train]
                moved = (now != before).reshape(shown_train, -1).any(axis=1)
        for r in range(shown_train):
            head, inputs = self._fixed[r]
            if snapshot is None:
                middle = waiting
            elif r in self.hidden_rows:   # quiz mode: this row's prediction is still a question
                middle = [Text("?", style="bold yellow")] * blanks
            else:
                changed = bool(moved[r])
                style = CURRENT if r == current else ("bold" if r in computed else (CHANGED if changed else ""))
                lit = CHANGED if changed else ""
                middle = [Text(prediction_text(scenario, snapshot.predictions[r]), style=style),
                          Text(fmt(snapshot.row_losses[r], 4), style=lit)]
                if self._error_column:
                    error = float(np.ravel(snapshot.targets[r])[0]) - float(snapshot.predictions[r][0])
                    middle.append(Text(fmt(error, 4), style=lit))
            cells = [*head, *middle, *inputs]
            if r == current:   # the whole row reversed (new cells: the fixed ones stay as they are)
                cells = [Text(f"{symbols.POINTER}{head[0].plain}", style=CURRENT),
                         *(Text(cell.plain, style=CURRENT) for cell in cells[1:])]
            out.append((f"train-{r}", cells))
        if data.n_train > MAX_TABLE_ROWS:
            out.append(("more", [Text(t("more_rows", lang, n=data.n_train - MAX_TABLE_ROWS), style="dim")]
                        + [Text("")] * (len(self.columns) - 1)))
        for r in range(min(data.n_test, MAX_TEST_ROWS)):
            head, inputs = self._fixed[shown_train + r]
            if snapshot is None:
                middle = waiting
            else:
                middle = [Text(prediction_text(scenario, snapshot.test_predictions[r]), style="italic"),
                          Text(fmt(snapshot.test_row_losses[r], 4), style="italic")]
                if self._error_column:
                    error = float(np.ravel(snapshot.test_targets[r])[0]) - float(snapshot.test_predictions[r][0])
                    middle.append(Text(fmt(error, 4), style="italic"))
            out.append((f"test-{r}", [*head, *middle, *inputs]))
        return out


class ParametersPanel(QuietStatic):
    """Every weight and bias with value, gradient and last change (▴/▾), layer by layer.

    `selected` (layer, "w"/"b", unit, input) is the parameter being edited (w), shown reversed;
    `line_keys` maps each shown line to its parameter (None, or a Text that may wrap) for clicks.
    """

    selected: tuple | None = None
    line_keys: list = []
    _drawn: tuple | None = None   # the inputs of the lines on screen

    def show(self, scenario: Scenario, snapshot: Snapshot | None, lang: str) -> None:
        if snapshot is None:
            self._drawn = None
            self.show_content(Text(t("loading", lang), style="italic dim"), ("loading", lang), 1)
            return
        width = self.size.width or (40 if self.screen.has_class("compact") else 48)   # 0 while hidden
        drawn = (Same(scenario), Same(snapshot), lang, self.selected, width)   # all its lines follow from
        if drawn == self._drawn:
            return
        self._drawn = drawn
        single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
        blocks, lines = [], []
        if single:
            names = scenario.data.feature_names
            formula = " + ".join(f"{n}{symbols.TIMES}w{i + 1}" for i, n in enumerate(names))
            if snapshot.layers[0].bias is not None:
                formula += " + b"
            if ops.activation(snapshot.layers[0].activation).shows_value:   # no F: linear regression
                formula = f"{snapshot.layers[0].activation}({formula})"
            blocks.append(Text(f"{t('col.predict', lang)} = {formula}", style="italic"))
            lines.append(blocks[-1])
        digits = 6 if width >= 46 else (4 if width >= 42 else 3)   # narrow: fewer digits, no cut
        for index, layer in enumerate(snapshot.layers):
            units = layer.weight.shape[0]
            if not single:
                blocks.append(Text(t("layer.one" if units == 1 else "layer", lang, n=index + 1, units=units,
                                     act=activation_name(layer.activation, lang)),
                                   style="bold underline"))
                lines.append(blocks[-1])
            rows: list[tuple] = []
            keys: list[tuple] = []
            shown, more = 0, None
            per_unit = layer.weight.shape[1] + (layer.bias is not None)
            scale = max((float(np.abs(g).max(initial=0.0)) for g in (layer.weight_grad, layer.bias_grad)
                         if g is not None), default=0.0)
            for unit in range(units):
                if shown + per_unit > MAX_PARAMETER_ROWS // len(snapshot.layers) and unit:
                    hidden = (units - unit) * per_unit
                    more = Text(t("more_params", lang, n=hidden), style="dim")   # under the table: a
                    break                                                         # row would widen column 1
                for i in range(layer.weight.shape[1]):
                    keys.append((index, "w", unit, i))
                    rows.append(self._row(parameter_label(index, "w", unit, i, single),
                                          layer.weight, layer.weight_grad, layer.weight_change, (unit, i),
                                          digits, snapshot.diverged, scale))
                if layer.bias is not None:
                    keys.append((index, "b", unit, None))
                    rows.append(self._row(parameter_label(index, "b", unit, None, single),
                                          layer.bias, layer.bias_grad, layer.bias_change, (unit,),
                                          digits, snapshot.diverged, scale))
                shown += per_unit
            headers = [for_optimizer(key, snapshot.optimizer, lang)
                       for key in ("col.param", "col.value", "col.grad", "col.change")]
            table, header_lines = column_lines(headers, ["left", "right", "right", "right"], rows, width,
                                               ["reverse" if key == self.selected else None for key in keys])
            blocks += table
            lines += [None] * header_lines + keys
            if more is not None:
                blocks.append(more)
                lines.append(None)
        self.line_keys = lines
        content = Text("\n").join(blocks)
        self.show_content(content, (width, tuple(lines), text_key(content)),
                          (width, len(lines), blocks[0].plain if single else ""))   # its height

    @staticmethod
    def _row(name, value, grad, change, at, digits: int = 6, diverged: bool = False, scale: float = 0.0) -> tuple:
        # rounding noise next to the layer's other gradients (XOR's symmetric bias: 1.4e-17) reads 0
        grad_text = (Text(short_number(cancelled(float(grad[at]), scale), digits - 1)) if grad is not None
                     else Text(symbols.NOTHING, style="dim"))
        # ▲/▼ is a direction, not good or bad: neither green nor red (red is for divergence)
        if change is None or change[at] == 0:
            change_text = Text(symbols.UNCHANGED, style="dim")
        else:
            arrow, style = (symbols.UP, UP) if change[at] > 0 else (symbols.DOWN, DOWN)
            change_text = Text(f"{arrow}{short_number(abs(change[at]), digits)}",
                               style="bold red" if diverged else style)
        return Text(name, style="cyan"), Text(short_number(value[at], digits), style="bold"), grad_text, change_text


class ExplanationPanel(QuietStatic):
    """The arithmetic of the current phase, written like the lecture."""

    def update(self, content="", **kwargs) -> None:
        super().update(hang(content), **kwargs)   # long lines wrap under their indentation

    MAX_FORWARD_ROWS = 12

    question = ""   # quiz mode: the open question stands in for the arithmetic until it is answered

    def show(self, scenario: Scenario, snapshot: Snapshot | None, lang: str) -> None:
        # what it shows follows from these alone: the same ones, the same arithmetic (no repaint)
        key = (Same(scenario), Same(snapshot), lang, self.question)
        if key == self._shown_key:
            return
        content = self._content(scenario, snapshot, lang)
        lines = unwrapped_lines(content, self.content_size.width)   # its height, when no line wraps
        self.show_content(content, key, None if lines is None else ("lines", lines))

    def _content(self, scenario: Scenario, snapshot: Snapshot | None, lang: str):
        if snapshot is None:
            return ""
        if self.question:
            return Text(self.question, style="bold yellow")
        phase = snapshot.phase
        if phase is Phase.START:
            return Text(t("explain.start", lang, step=snapshot.step))
        if phase is Phase.FORWARD:
            return self._forward(snapshot, lang)
        if phase is Phase.LOSS:
            return self._loss(scenario, snapshot, lang)
        if phase is Phase.BACKWARD:
            return self._backward(snapshot, lang)
        return self._update(scenario, snapshot, lang)

    def _forward(self, snapshot: Snapshot, lang: str) -> Group:
        lines: list = [Text(t("explain.forward", lang), style="bold")]
        if len(snapshot.batch) != snapshot.n_rows:
            lines.append(Text(t("explain.batch", lang, rows=len(snapshot.batch)), style="dim"))
        rows = snapshot.batch[: snapshot.row + 1].tolist()
        if len(rows) > self.MAX_FORWARD_ROWS:
            lines.append(Text(t("explain.more_rows", lang, n=len(rows)), style="dim"))
            rows = rows[-3:]
        for position, r in enumerate(rows):
            current = position == len(rows) - 1
            layers = forward_terms(snapshot, r)
            style = "bold" if current else "dim"
            for depth, sums in enumerate(layers):
                if not current and depth < len(layers) - 1 and len(layers) > 1:
                    continue  # earlier rows: the output only
                for neuron in sums:
                    prefix = f"{r + 1})" if depth == 0 and neuron.unit == 0 else ""
                    label = f"L{depth + 1}.{neuron.unit + 1}" if len(layers) > 1 or len(sums) > 1 else ""
                    line = Text(f"{prefix:<4}{label:<6}" if label else f"{prefix:<4}", style=style)
                    line.append(neuron.text(), style="bold yellow" if current else "")
                    act = neuron.activation_text()
                    if act:
                        line.append(f"   {act}", style=PHASE if current else "dim")
                    lines.append(line)
        return Group(*lines)

    def _loss(self, scenario: Scenario, snapshot: Snapshot, lang: str) -> Group:
        terms = loss_terms(snapshot, snapshot.batch)
        lines: list = [Text(loss_heading(terms, lang), style="bold")]
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for key in ("#", "col.target", "col.predict", "col.loss_term"):
            table.add_column(key if key == "#" else t(key, lang), justify="right", header_style="bold")
        shown = terms.rows if len(terms.rows) <= 12 else terms.rows[:10]
        for row in shown:
            table.add_row(str(row.row + 1), target_text(scenario, snapshot.targets[row.row]),
                          prediction_text(scenario, snapshot.predictions[row.row]), fmt(row.term, 4))
        if len(terms.rows) > len(shown):
            table.add_row(symbols.ELLIPSIS, "", "", "")
        lines.append(table)
        lines.append(Text(loss_total(terms, lang), style="bold green"))
        note = loss_note(terms, lang)
        if note:
            lines.append(Text(note, style="dim italic"))
        return Group(*lines)

    def _backward(self, snapshot: Snapshot, lang: str) -> Group:
        lines: list = [Text(for_optimizer("explain.backward", snapshot.optimizer, lang), style="bold")]
        terms = gradient_terms(snapshot)
        lines += _capped([Text(line) for line in gradient_lines(terms, lang)], lang)
        lines.append(Text(for_optimizer("explain.backward_hint", snapshot.optimizer, lang), style="dim italic"))
        return Group(*lines)

    def _update(self, scenario: Scenario, snapshot: Snapshot, lang: str) -> Group:
        lines: list = [Text(update_header(snapshot, lang), style="bold")]
        lines += _capped([Text(line) for line in update_explanation(snapshot, scenario.train)], lang)
        lines.append(Text(t("explain.loss_now", lang, loss=fmt_loss(snapshot.loss)), style="bold green"))
        return Group(*lines)


def _capped(lines: list, lang: str) -> list:
    if len(lines) <= MAX_EXPLAIN_LINES:
        return lines
    return lines[:MAX_EXPLAIN_LINES] + [Text(t("more_lines", lang, n=len(lines) - MAX_EXPLAIN_LINES), style="dim")]
