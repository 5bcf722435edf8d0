"""Experiment in place (issue 13): edit a parameter (w), change the training settings (t), save the
setup with the current weights as a scenario file (s).

The app mixes `EditingMixin` in; this module holds the keys' actions and the edit bar. The engine
does the work (`Trainer.edit`, `change_setup`, `current_scenario`, `loss_gradient`; the writer);
the screen only sends intents and shows the snapshot that comes back.
"""

from __future__ import annotations

from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from dltui.engine import ScenarioError
from dltui.engine.load.number_text import NumberTextError, read_number
from dltui.engine.explain.nudge import advice, nudge_step, nudged
from dltui.engine.explain.terms import parameter_label
from dltui.engine.numbers import fmt, fmt_loss
from .i18n import t
from .panels import ParametersPanel

SAVE_FOLDER = "dltui-saved"


def parameter_refs(snapshot) -> list[tuple]:
    """Every parameter as (layer, "w"/"b", unit, input), in the parameters panel's order."""
    refs = []
    for index, layer in enumerate(snapshot.layers):
        units, fan_in = layer.weight.shape
        for unit in range(units):
            refs += [(index, "w", unit, i) for i in range(fan_in)]
            if layer.bias is not None:
                refs.append((index, "b", unit, None))
    return refs


def value_of(snapshot, ref) -> float:
    layer = snapshot.layers[ref[0]]
    if ref[1] == "w":
        return float(layer.weight[ref[2], ref[3]])
    return float(layer.bias[ref[2]])


class EditBar(Vertical, can_focus=True):
    """The parameter being edited: its value, the nudge step, the gradient's advice, an input."""

    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("left", "nudge(-1, False)", show=False),
        Binding("right", "nudge(1, False)", show=False),
        Binding("shift+left", "nudge(-1, True)", show=False),
        Binding("shift+right", "nudge(1, True)", show=False),
        Binding("enter", "type_value", show=False),
        Binding("escape", "leave", show=False),
    ]
    DEFAULT_CSS = """
    EditBar { height: auto; border-top: solid $accent; padding: 0 1; background: $boost; }
    EditBar:focus-within { background: $boost; }
    EditBar #edit-input { display: none; height: 1; margin-top: 1; }
    EditBar.typing #edit-input { display: block; }
    EditBar #edit-error { color: $error; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__(id="edit-bar")
        self.refs: list[tuple] = []
        self.cursor = 0
        self.step: float | None = None
        self.error = ""
        self.landscape_for: int | None = None   # the parameter the landscape was last turned to

    def compose(self) -> ComposeResult:
        yield Static(id="edit-info", markup=False)
        yield Static(id="edit-error", markup=False)
        yield Input(id="edit-input", select_on_focus=True, compact=True)

    # ----------------------------------------------------------------- state

    @property
    def ref(self) -> tuple | None:
        return self.refs[self.cursor] if self.refs else None

    @property
    def typing(self) -> bool:
        return self.has_class("typing")

    def follow(self, snapshot) -> None:
        """Keep the selection valid for the snapshot's layers (a setup change may reshape them)."""
        refs = parameter_refs(snapshot)
        if refs != self.refs:
            old = self.ref
            self.refs = refs
            self.cursor = refs.index(old) if old in refs else min(self.cursor, len(refs) - 1)
            self.step = None
        if self.step is None and self.ref is not None:
            self.step = nudge_step(value_of(snapshot, self.ref))

    def label(self, snapshot) -> str:
        ref = self.ref
        single = len(snapshot.layers) == 1 and snapshot.layers[0].weight.shape[0] == 1
        return parameter_label(ref[0], ref[1], ref[2], ref[3], single)

    def show(self, snapshot, gradient: float | None, lang: str) -> None:
        self.follow(snapshot)
        if self.ref is None or not self.query("#edit-info"):
            return   # not composed yet: the mount's own refresh shows it
        name = self.label(snapshot)
        value = value_of(snapshot, self.ref)
        lines = [t("edit.now", lang, name=name, value=fmt(value, 10), loss=fmt_loss(snapshot.loss))]
        if gradient is not None:
            way = advice(gradient)
            key = {-1: "edit.advice.down", 1: "edit.advice.up", 0: "edit.advice.flat"}[way]
            lines.append(t(key, lang, g=fmt(gradient, 5)))
        lines.append(t("edit.keys", lang, step=fmt(self.step, 10), fine=fmt(self.step / 10, 11)))
        self.query_one("#edit-info", Static).update("\n".join(lines))
        self._show_error()
        self.border_title = t("edit.title", lang)
        self.query_one("#edit-input", Input).placeholder = t("edit.input", lang, name=name)

    def _show_error(self) -> None:
        error = self.query_one("#edit-error", Static)
        error.update(self.error)
        error.display = bool(self.error)

    # ----------------------------------------------------------------- keys

    def action_move(self, delta: int) -> None:
        if self.typing or not self.refs:
            return
        self.cursor = (self.cursor + delta) % len(self.refs)
        self.step = None
        self.error = ""
        self.app.edit_selection_changed()

    def action_nudge(self, direction: int, fine: bool) -> None:
        if self.typing or self.ref is None or self.app.snapshot is None:
            return
        step = self.step / 10 if fine else self.step
        self.app.edit_parameter(self.ref, nudged(value_of(self.app.snapshot, self.ref), step, direction))

    def action_type_value(self) -> None:
        if self.ref is None or self.app.snapshot is None:
            return
        field = self.query_one("#edit-input", Input)
        field.value = repr(value_of(self.app.snapshot, self.ref))
        self.add_class("typing")
        field.focus()
        field.select_all()

    def action_leave(self) -> None:
        if self.typing:
            self.close_input()
            return
        self.app.stop_editing()

    def close_input(self) -> None:
        self.remove_class("typing")
        self.error = ""
        self.focus()
        self.app.edit_selection_changed()

    @on(Input.Submitted, "#edit-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        lang = self.app.lang
        try:
            value = read_number(text)
        except NumberTextError as exc:
            self.error = t("edit.not_number", lang, text=text, reason=t(f"number.{exc.code}", lang))
            self._show_error()
            self.app.notify(self.error, severity="warning", timeout=4)
            return
        self.step = nudge_step(value)
        self.close_input()
        self.app.edit_parameter(self.ref, value)


class EditingMixin:
    """`w`, `t` and `s` for the dltui app (which has trainer, snapshot, lock, lang, main, _apply)."""

    # ----------------------------------------------------------------- w: edit

    def action_edit(self) -> None:
        bar = self._edit_bar()
        if bar is not None:
            focused = self.focused
            if focused is bar or (focused is not None and bar in focused.ancestors):
                self.stop_editing()
            else:
                bar.focus()   # editing, but another pane had the keys: give them back
            return
        trainer = self._engine()
        if trainer is None or self.snapshot is None or self._comparison(trainer):
            return
        bar = EditBar()
        self.main.mount(bar, before=self.main.query_one(Footer))
        bar.follow(self.snapshot)
        bar.focus()
        self.notify(t("edit.on", self.lang), timeout=3)
        self.edit_selection_changed()
        self.call_after_refresh(self.edit_selection_changed)

    def _comparison(self, trainer) -> bool:
        """A comparison's runs step together: one run's edit or setup would put them out of step."""
        if hasattr(trainer, "runs"):
            self.notify(t("edit.comparison", self.lang), severity="warning", timeout=6)
            return True
        return False

    def stop_editing(self) -> None:
        bar = self._edit_bar()
        if bar is not None:
            bar.remove()
        panel = self.main.query_one(ParametersPanel)
        panel.selected = None
        if self.snapshot is not None:
            panel.show(self.scenario, self.snapshot, self.lang)

    def _edit_bar(self) -> EditBar | None:
        bars = self.main.query(EditBar)
        return bars.first() if bars else None

    def edit_selection_changed(self) -> None:
        """Show the selection in the parameters panel and the bar (with the gradient's advice)."""
        bar = self._edit_bar()
        if bar is None or self.snapshot is None:
            return
        bar.follow(self.snapshot)
        panel = self.main.query_one(ParametersPanel)
        panel.selected = bar.ref
        panel.show(self.scenario, self.snapshot, self.lang)
        if bar.ref in panel.line_keys:   # keep the selected row in sight
            line = self._panel_line(panel, bar.ref)
            self.main.query_one("#params-box").scroll_to(y=max(0, line - 2), animate=False)
        gradient = None
        if self.trainer is not None:
            index = self.trainer.parameter_index(*bar.ref)   # shapes only: no lock needed
            if not self.playing:   # while playing the advice would chase every frame: paused only
                with self.lock:
                    gradient = float(self.trainer.loss_gradient()[index])
            if index != bar.landscape_for:
                bar.landscape_for = index
                self._landscape_along(index)
        bar.show(self.snapshot, gradient, self.lang)

    def _landscape_along(self, index: int) -> None:
        """The loss landscape's x axis follows the parameter being edited (x / y still choose)."""
        from .view_area import ViewArea

        views = self.main.query_one(ViewArea)
        choice = views.choice
        if choice.x == index:
            return
        if choice.y == index:
            choice.y = choice.x
        choice.x = index
        if choice.view in ("landscape1d", "landscape2d"):
            self._redraw_views()

    def edit_parameter(self, ref: tuple, value: float) -> None:
        """Set one parameter at the current step (history: b undoes it) and show the new state."""
        trainer = self._engine()
        if trainer is None:
            return
        self._pause()
        old = value_of(self.snapshot, ref)
        try:
            with self.lock:
                snapshot = trainer.edit(trainer.parameter_index(*ref), value)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=4)
            return
        self._apply(snapshot)
        self._redraw_views()
        bar = self._edit_bar()
        name = bar.label(snapshot) if bar is not None else str(ref)
        self.notify(t("edit.done", self.lang, name=name, old=fmt(old, 10), new=fmt(value, 10),
                      loss=fmt_loss(snapshot.loss)), timeout=3)

    def _after_render(self) -> None:
        """Called by the app after each render: the setup in force, and the edit bar."""
        if self._edit_bar() is not None:
            self.edit_selection_changed()

    def _sync_setup(self) -> None:
        """After a setup change (or going back across one) the trainer's scenario is the one shown."""
        trainer = self.trainer
        if trainer is None or trainer.scenario is self.scenario:
            return
        same_rows = trainer.scenario.data is self.scenario.data
        self.scenario = trainer.scenario
        if not same_rows:
            from .panels import RowsTable

            self.main.query_one(RowsTable).show_scenario(self.scenario, self.lang)

    def _redraw_views(self) -> None:
        """An edit or a setup change keeps the step and phase: the picture must redraw anyway."""
        from .view_area import ViewArea

        views = self.main.query_one(ViewArea)
        if not views.display or self.snapshot is None or self.trainer is None:
            return
        try:
            views.draw(self.scenario, self._current_frame(self.snapshot), self.lang, force=True)
        except (ValueError, RuntimeError) as exc:
            self.notify(t("notify.view_failed", self.lang, error=exc), severity="warning", timeout=5)

    @staticmethod
    def _panel_line(panel: ParametersPanel, ref: tuple) -> int:
        line = 0
        for key in panel.line_keys:
            if key == ref:
                return line
            line += _height(panel, key)
        return line

    def on_click(self, event: events.Click) -> None:
        """Clicking a parameter selects it for editing (terminal mouse and browsers alike)."""
        panel = event.widget
        if not isinstance(panel, ParametersPanel) or self.snapshot is None:
            return
        offset = event.get_content_offset(panel)
        if offset is None:
            return
        line = 0
        for key in panel.line_keys:
            height = _height(panel, key)
            if line <= offset.y < line + height:
                if isinstance(key, tuple):
                    if self._edit_bar() is None:
                        self.action_edit()
                    bar = self._edit_bar()
                    if bar is not None and key in bar.refs:
                        bar.cursor = bar.refs.index(key)
                        bar.step = None
                        bar.focus()
                        self.edit_selection_changed()
                return
            line += height

    # ----------------------------------------------------------------- t: settings

    def action_settings(self) -> None:
        trainer = self._engine()
        if trainer is None or self._comparison(trainer):
            return
        self._pause()
        from .settings import SettingsScreen

        with self.lock:
            scenario, lr = trainer.scenario, trainer.learning_rate
        self.push_screen(SettingsScreen(scenario, lr, self.lang, self.apply_settings))

    def apply_settings(self, overrides: dict) -> str | None:
        """Change the setup from the current step; the words of `dltui check` when it cannot be."""
        trainer = self.trainer
        try:
            with self.lock:
                change = trainer.change_setup(overrides)
        except ScenarioError as exc:   # in a browser tab, without the lesson's server path
            return str(exc) if self.served is None else self.served.problem(exc)
        except ValueError as exc:
            return str(exc)
        self._apply(change.snapshot)
        self._redraw_views()
        step = change.snapshot.step
        if change.reset_layers:
            text = t("settings.applied_reset", self.lang, step=step, seed=trainer.scenario.train.seed,
                     layers=", ".join(str(n) for n in change.reset_layers))
        else:
            text = t("settings.applied", self.lang, step=step)
        self.notify(text, timeout=8)
        return None

    # ----------------------------------------------------------------- s: save

    def action_save(self) -> None:
        """The setup in force with the current weights as its start, as ./dltui-saved/NAME-stepN.toml."""
        trainer = self._engine()
        if trainer is None:
            return
        self._pause()
        from dltui.engine.load.writer import origin_note, saved_name, unused_path, write_scenario

        if getattr(self, "served", None) is not None:   # in a browser: a download, never the server's disk
            from .served import deliver_bytes

            with self.lock:
                name = saved_name(trainer.scenario, trainer.step_count)
            text = self.scenario_text_now()
            if text is not None:
                deliver_bytes(self, name, text.encode("utf-8"), "application/toml")
            return
        try:
            with self.lock:
                setup = trainer.current_scenario()
                step = trainer.step_count
                edited = bool(trainer.history.edits_at(step))
            note = origin_note(setup, step, edited)
            path = unused_path(setup, Path.cwd() / SAVE_FOLDER / saved_name(setup, step), note)
            write_scenario(setup, path, note)
        except (ScenarioError, OSError) as exc:
            error = getattr(exc, "strerror", None) or exc
            self.notify(t("save.failed", self.lang, error=error), severity="error", timeout=8)
            return
        shown = _shown_path(path)
        self.notify(t("save.done", self.lang, path=shown), timeout=10)

    def scenario_text_now(self) -> str | None:
        """The saved file's text (for a browser download); None, with a message, if it cannot be."""
        from dltui.engine.load.writer import origin_note, scenario_text

        try:
            with self.lock:
                setup = self.trainer.current_scenario()
                step = self.trainer.step_count
                edited = bool(self.trainer.history.edits_at(step))
        except ScenarioError as exc:
            self.notify(t("save.failed", self.lang, error=exc), severity="error", timeout=8)
            return None
        return scenario_text(setup, origin_note(setup, step, edited))

    def export_scenario(self, folder: Path) -> None:
        """scenario.toml beside an export's history.json (the current weights as the start)."""
        from dltui.engine.load.writer import origin_note, write_scenario

        with self.lock:
            setup = self.trainer.current_scenario()
            step = self.trainer.step_count
        write_scenario(setup, folder / "scenario.toml", origin_note(setup, step))


def _height(panel: ParametersPanel, key) -> int:
    """Lines a panel entry takes: one, or as many as a long text wraps to."""
    if key is None or isinstance(key, tuple):
        return 1
    width = max(1, panel.content_size.width)
    return max(1, len(key.wrap(panel.app.console, width)))


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
