"""Experiment in place (issue 13): edit a parameter (w), change the training settings (t), save the
setup with the current weights as a scenario file (s).

The app holds one `Editing` controller; this module holds it and the edit bar. The session
does the work (the `Edit`, `ChangeSetup` and `Save` intents; the gradient's advice comes in the
frame when the bar asks for it); the screen only sends intents and shows the frame that comes back.
"""

from __future__ import annotations

from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from dltui.engine import ScenarioError
from dltui.engine import intents as do
from dltui.engine.load.number_text import NumberTextError, read_number
from dltui.engine.explain.nudge import advice, nudge_step, nudged
from dltui.engine.numbers import fmt, fmt_loss
from dltui.engine.session import flat_index, parameter_name, value_of
from dltui.words.errors import error_text
from .i18n import t
from .panels import ParametersPanel
from .quiet import QuietStatic

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
        self._info = QuietStatic(id="edit-info", markup=False)   # held: shown again on every frame
        self._error = QuietStatic(id="edit-error", markup=False)
        self._input = Input(id="edit-input", select_on_focus=True, compact=True)

    def compose(self) -> ComposeResult:
        yield self._info
        yield self._error
        yield self._input

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
        return parameter_name(snapshot, self.ref)

    def show(self, snapshot, gradient: float | None, lang: str) -> None:
        self.follow(snapshot)
        if self.ref is None or not self._info.is_attached:
            return   # not composed yet: the mount's own refresh shows it
        name = self.label(snapshot)
        value = value_of(snapshot, self.ref)
        lines = [t("edit.now", lang, name=name, value=fmt(value, 10), loss=fmt_loss(snapshot.loss))]
        if gradient is not None:
            way = advice(gradient)
            key = {-1: "edit.advice.down", 1: "edit.advice.up", 0: "edit.advice.flat"}[way]
            lines.append(t(key, lang, g=fmt(gradient, 5)))
        lines.append(t("edit.keys", lang, step=fmt(self.step, 10), fine=fmt(self.step / 10, 11)))
        text = "\n".join(lines)
        self._info.show_content(text, text)   # a layout pass only when its height changed
        self._show_error()
        self.border_title = t("edit.title", lang)
        self._input.placeholder = t("edit.input", lang, name=name)

    def _show_error(self) -> None:
        self._error.show_content(self.error, self.error)
        self._error.display = bool(self.error)

    # ----------------------------------------------------------------- keys

    def action_move(self, delta: int) -> None:
        if self.typing or not self.refs:
            return
        self.cursor = (self.cursor + delta) % len(self.refs)
        self.step = None
        self.error = ""
        self.app.editing.selection_changed()

    async def action_nudge(self, direction: int, fine: bool) -> None:
        if self.typing or self.ref is None or self.app.snapshot is None:
            return
        step = self.step / 10 if fine else self.step
        await self.app.editing.set_parameter(self.ref, nudged(value_of(self.app.snapshot, self.ref), step, direction))

    def action_type_value(self) -> None:
        if self.ref is None or self.app.snapshot is None:
            return
        field = self._input
        field.value = repr(value_of(self.app.snapshot, self.ref))
        self.add_class("typing")
        field.focus()
        field.select_all()

    def action_leave(self) -> None:
        if self.typing:
            self.close_input()
            return
        self.app.editing.stop()

    def close_input(self) -> None:
        self.remove_class("typing")
        self.error = ""
        self.focus()
        self.app.editing.selection_changed()

    @on(Input.Submitted, "#edit-input")
    async def _typed(self, event: Input.Submitted) -> None:
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
        await self.app.editing.set_parameter(self.ref, value)


class Editing:
    """`w`, `t` and `s` of one app: the edit bar and its selection, the settings dialog, saving.
    Each change is an intent to the session; what comes back is shown like any frame."""

    def __init__(self, app) -> None:
        self.app = app
        self._bar: EditBar | None = None   # held while mounted: asked for on every frame

    # ----------------------------------------------------------------- w: edit

    def toggle(self) -> None:
        bar = self.bar()
        if bar is not None:
            focused = self.app.focused
            if focused is bar or (focused is not None and bar in focused.ancestors):
                self.stop()
            else:
                bar.focus()   # editing, but another pane had the keys: give them back
            return
        if not self.app._have_session() or self.app.snapshot is None or self._comparison():
            return
        bar = self._bar = EditBar()
        self.app.main.mount(bar, before=self.app.main.footer)
        bar.follow(self.app.snapshot)
        bar.focus()
        self.app.notify(t("edit.on", self.app.lang), timeout=3)
        self.selection_changed()
        self.app.call_after_refresh(self.selection_changed)

    def _comparison(self) -> bool:
        """A comparison's runs step together: one run's edit or setup would put them out of step."""
        if self.app.frame.comparison:
            self.app.notify(t("edit.comparison", self.app.lang), severity="warning", timeout=6)
            return True
        return False

    def stop(self) -> None:
        bar = self.bar()
        if bar is not None:
            bar.remove()
        self._bar = None
        panel = self.app.main.params
        panel.selected = None
        if self.app.snapshot is not None:
            panel.show(self.app.scenario, self.app.snapshot, self.app.lang)

    def bar(self) -> EditBar | None:
        return self._bar

    def ref(self) -> tuple | None:
        """The parameter whose gradient the edit bar shows (paused only: while playing the advice
        would chase every frame)."""
        bar = self.bar()
        return None if bar is None or self.app.playing else bar.ref

    def selection_changed(self) -> None:
        """Show the selection in the parameters panel and the bar (with the gradient's advice)."""
        bar = self.bar()
        if bar is None or self.app.snapshot is None:
            return
        bar.follow(self.app.snapshot)
        panel = self.app.main.params
        panel.selected = bar.ref
        panel.show(self.app.scenario, self.app.snapshot, self.app.lang)
        if bar.ref in panel.line_keys:   # keep the selected row in sight
            line = self._panel_line(panel, bar.ref)
            self.app.main.params_box.scroll_to(y=max(0, line - 2), animate=False)
        gradient = None
        if self.app.session is not None:
            frame = self.app._current_frame()   # None: asked for; this runs again when it comes
            gradient = frame.gradient if frame is not None and frame.snapshot is self.app.snapshot else None
            index = flat_index(self.app.snapshot, bar.ref)
            if index != bar.landscape_for:
                bar.landscape_for = index
                self._landscape_along(index)
        bar.show(self.app.snapshot, gradient, self.app.lang)

    def _landscape_along(self, index: int) -> None:
        """The loss landscape's x axis follows the parameter being edited (x / y still choose)."""
        views = self.app.main.views
        choice = views.choice
        if choice.x == index:
            return
        if choice.y == index:
            choice.y = choice.x
        choice.x = index
        if choice.view.parameters:
            self.app._redraw_views()

    async def set_parameter(self, ref: tuple, value: float) -> None:
        """Set one parameter at the current step (history: b undoes it) and show the new state."""
        frame = await self.app.send(do.Edit(ref, value))
        if frame is not None and "state" in frame.changed:
            self.app._redraw_views()

    def after_render(self) -> None:
        """Called by the app after each render: the setup in force, and the edit bar."""
        if self.bar() is not None:
            self.selection_changed()

    @staticmethod
    def _panel_line(panel: ParametersPanel, ref: tuple) -> int:
        line = 0
        for key in panel.line_keys:
            if key == ref:
                return line
            line += _height(panel, key)
        return line

    def click(self, event: events.Click) -> None:
        """Clicking a parameter selects it for editing (terminal mouse and browsers alike)."""
        panel = event.widget
        if not isinstance(panel, ParametersPanel) or self.app.snapshot is None:
            return
        offset = event.get_content_offset(panel)
        if offset is None:
            return
        line = 0
        for key in panel.line_keys:
            height = _height(panel, key)
            if line <= offset.y < line + height:
                if isinstance(key, tuple):
                    if self.bar() is None:
                        self.toggle()
                    bar = self.bar()
                    if bar is not None and key in bar.refs:
                        bar.cursor = bar.refs.index(key)
                        bar.step = None
                        bar.focus()
                        self.selection_changed()
                return
            line += height

    # ----------------------------------------------------------------- t: settings

    def settings(self) -> None:
        if not self.app._have_session() or self._comparison():
            return
        self.app._pause()
        from .settings import SettingsScreen

        frame = self.app.frame
        self.app.push_screen(SettingsScreen(frame.setup, frame.snapshot.learning_rate, self.app.lang, self.apply_settings))

    async def apply_settings(self, overrides: dict) -> str | None:
        """Change the setup from the current step; the words of `dltui check` when it cannot be."""
        frame = await self.app.answer(do.ChangeSetup(overrides))
        if frame is None:
            return None
        if frame.notice is not None and frame.notice.key is None:   # refused: the screen shows why
            error = frame.notice.values["error"]
            if self.app.served is not None and isinstance(error, ScenarioError):   # a browser tab:
                return self.app.served.problem(error, self.app.lang)              # no server path
            return error_text(error, self.app.lang)
        self.app._show(frame)
        self.app._redraw_views()
        return None

    # ----------------------------------------------------------------- s: save

    async def save(self) -> None:
        """The setup in force with the current weights as its start, as ./dltui-saved/NAME-stepN.toml."""
        if self.app.served is not None:   # in a browser: a download, never the server's disk
            from .served import deliver_bytes

            frame = await self.app.send(do.Save(), "save")
            if frame is not None and frame.saved is not None:
                deliver_bytes(self.app, frame.saved.name, frame.saved.text.encode("utf-8"), "application/toml")
            return
        frame = await self.app.send(do.Save(Path.cwd() / SAVE_FOLDER), "save")
        if frame is not None and frame.saved is not None:
            self.app.notify(t("save.done", self.app.lang, path=_shown_path(frame.saved.path)), timeout=10)

    async def saved_text(self) -> str | None:
        """The saved file's text (for a browser download); None, with a message, if it cannot be."""
        frame = await self.app.send(do.Save())
        return None if frame is None or frame.saved is None else frame.saved.text


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
