"""The dltui Textual app: renders engine snapshots, sends intents (step, back, play, …) back.

The first frame shows the scenario's data before torch is imported; a thread worker builds the
trainer and posts it. Play runs in another thread worker that posts coalesced frames.
"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import Iterable

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Markdown
from textual.worker import get_current_worker

from dltui.engine import Phase, Scenario, Snapshot, open_scenario
from dltui.engine.export import ExportCancelled, export_every, replayed_records, write_files
from dltui.engine.numbers import fmt
from .i18n import LANGS, MESSAGES, default_language, diverged_text, t
from .panels import ExplanationPanel, ParametersPanel, RowsTable, StatusLine
from .course_nav import lesson_text, neighbour_lesson
from .screens import HelpScreen, OpenScreen
from .layout import bring_up, footer_actions, scroll_lesson
from .notes import NotesArea
from .view_area import ViewArea
from . import wide_chars

PLAY_SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 20000)
DEFAULT_SPEED = 4          # index into PLAY_SPEEDS: 20 steps a second
FRAME_SECONDS = 1 / 30     # play repaints at most 30 times a second
COMPACT_WIDTH, COMPACT_HEIGHT = 110, 32
TINY_WIDTH, TINY_HEIGHT = 60, 16

# (key, action, message key, shown in footer)
KEYS = [
    ("space", "step", "key.step", True),
    ("full_stop", "phase", "key.phase", True),
    ("b,backspace", "back", "key.back", True),
    ("p", "play", "key.play", True),
    ("plus,equals_sign", "faster", "key.faster", False),
    ("minus", "slower", "key.slower", False),
    ("left_square_bracket", "lr_down", "key.lr_down", True),
    ("right_square_bracket", "lr_up", "key.lr_up", True),
    ("r", "reset", "key.reset", True),
    ("o", "open", "key.open", True),
    ("greater_than_sign", "next_lesson", "key.next_lesson", True),
    ("less_than_sign", "previous_lesson", "key.previous_lesson", False),
    ("e", "export", "key.export", True),
    ("c", "next_note", "key.notes", True),
    ("v", "next_view", "key.view", True),
    ("V", "previous_view", "key.view_back", False),
    ("x", "choose_x", "key.choose_x", False),
    ("y", "choose_y", "key.choose_y", False),
    ("n", "network_values", "key.values", False),
    ("m", "lesson", "key.lesson", True),
    ("l", "language", "key.lang", False),
    ("question_mark", "help", "key.help", True),
    ("q", "quit", "key.quit", True),
]


class EngineReady(Message):
    def __init__(self, token: int, trainer) -> None:
        super().__init__()
        self.token, self.trainer = token, trainer


class Frame(Message):
    """New training state from the play worker; the newest one is read from the app."""


class PlayStopped(Message):
    pass


class MainScreen(Screen):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield RowsTable(id="data")
                yield NotesArea(id="explain-box")
                with VerticalScroll(id="lesson-box"):
                    yield Markdown(id="lesson")
            with Vertical(id="right"):
                with VerticalScroll(id="params-box"):
                    yield ParametersPanel(id="params")
                yield ViewArea(id="views")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.screen_ready()


class DltuiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "dltui"
    served = None   # a tui.served.Served under `dltui serve`: no server files read or written

    def __init__(self, scenario: Scenario, lang: str | None = None, startup_error: str | None = None):
        wide_chars.install()   # Hangul under/over other widgets stays whole
        super().__init__()
        self.lang = lang or default_language()
        self.scenario = scenario
        self.trainer = None
        self.snapshot: Snapshot | None = None
        self.lock = threading.RLock()
        self.playing = False
        self.speed_index = DEFAULT_SPEED
        self._token = 0
        self._frame_pending = False
        self._latest: Snapshot | None = None
        self._startup_error = startup_error
        self.main = MainScreen()
        self._bind_keys()

    # ------------------------------------------------------------------ set-up

    def _bind_keys(self) -> None:
        """Bind every key with its label in the current language (again on `l` and on resize:
        the old bindings go, so the footer and the palette's key show the new words, and the
        footer shows the whole keys that fit)."""
        bindings = self._bindings.key_to_bindings
        shown = footer_actions(KEYS, lambda label: t(label, self.lang), self.size.width or 80)
        for key, action, label, _show in KEYS:
            for one in key.split(","):   # bind() appends: drop the old binding (other words, other width)
                bindings.pop(one.strip(), None)
            self.bind(key, action, description=t(label, self.lang), show=action in shown)
        bindings.pop(self.COMMAND_PALETTE_BINDING, None)
        self._bindings.bind(self.COMMAND_PALETTE_BINDING, "command_palette", t("key.palette", self.lang),
                            show=False, key_display=self.COMMAND_PALETTE_DISPLAY, priority=True)

    def get_default_screen(self) -> Screen:
        return self.main

    def screen_ready(self) -> None:
        """The main screen's panels exist: fill them, then build the trainer."""
        self._layout_for(self.size.width, self.size.height)
        self._bind_keys()
        self.refresh_bindings()
        self._retitle()
        self._show_scenario()
        if self._startup_error:
            self.notify(self._startup_error, title="dltui", severity="error", timeout=15)

    def _show_scenario(self) -> None:
        """Everything that needs no torch, then the trainer in the background."""
        self.trainer = None
        self.snapshot = None
        self._token += 1
        screen = self.main
        screen.query_one(ViewArea).reset(self.scenario)   # the scenario's own first picture
        screen.query_one(ViewArea).border_title = screen.query_one(ViewArea).title(self.lang)
        screen.query_one(RowsTable).show_scenario(self.scenario, self.lang)
        screen.query_one("#lesson", Markdown).update(lesson_text(self.scenario, self.lang))
        self._render_all()
        self._build_trainer(self._token, self.scenario)

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _build_trainer(self, token: int, scenario: Scenario) -> None:
        from dltui.engine.train.trainer import Trainer  # torch loads here, after the first frame

        trainer = Trainer(scenario)
        trainer.snapshot()
        # torch's import leaves ~300k objects; a full collection now, then freezing them, keeps
        # 170 ms collector pauses out of later key presses.
        gc.collect()
        gc.freeze()
        self.post_message(EngineReady(token, trainer))

    @on(EngineReady)
    def _engine_ready(self, message: EngineReady) -> None:
        if message.token != self._token:
            return  # a scenario opened since; this trainer is for the old one
        self.trainer = message.trainer
        self.snapshot = self.trainer.snapshot()
        self._render_all()

    # ------------------------------------------------------------------ rendering

    def _render_all(self) -> None:
        screen = self.main
        snap = self.snapshot
        playing = t("playing", self.lang, speed=PLAY_SPEEDS[self.speed_index]) if self.playing else ""
        screen.query_one(StatusLine).show(self.scenario, snap, self.lang, playing)
        if snap is None:
            screen.query_one(ParametersPanel).show(self.scenario, None, self.lang)
            screen.query_one(ExplanationPanel).show(self.scenario, None, self.lang)
            return
        screen.query_one(RowsTable).show(snap, self.lang)
        screen.query_one(ParametersPanel).show(self.scenario, snap, self.lang)
        screen.query_one(NotesArea).draw(self.scenario, snap, self.trainer, self.lock, self.lang)
        views = screen.query_one(ViewArea)
        if not views.display:
            return
        try:
            views.draw(self.scenario, snap, self.trainer, self.lock, self.lang)
        except (ValueError, RuntimeError) as exc:   # a view that cannot draw this state says so
            self.notify(t("notify.view_failed", self.lang, error=exc), severity="warning", timeout=5)

    def _apply(self, snapshot: Snapshot) -> None:
        was_diverged = self.snapshot is not None and self.snapshot.diverged
        self.snapshot = snapshot
        self._render_all()
        if snapshot.diverged and not was_diverged:
            self.notify(diverged_text(snapshot, self.lang, notify=True), severity="error",
                        timeout=8)

    def on_resize(self, event) -> None:
        self._layout_for(event.size.width, event.size.height)
        self._bind_keys()            # the footer shows the keys that fit the new width
        self.refresh_bindings()
        if self.snapshot is not None:
            self.call_after_refresh(self._render_all)

    def _layout_for(self, width: int, height: int) -> None:
        screen = self.main
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        tiny = width < TINY_WIDTH or height < TINY_HEIGHT
        screen.set_class(compact and not tiny, "compact")
        screen.set_class(tiny, "tiny")
        for status in screen.query(StatusLine):   # none yet on the very first resize
            status.tiny = tiny

    # ------------------------------------------------------------------ intents

    def _engine(self):
        """The trainer, or None (with a note) while torch is still loading."""
        if self.trainer is None:
            self.notify(t("notify.loading", self.lang), timeout=2)
        return self.trainer

    def _do(self, call) -> None:
        """Pause play, run one engine call under the lock, show the result."""
        trainer = self._engine()
        if trainer is None:
            return
        self._pause()
        with self.lock:
            snapshot = call(trainer)
        self._apply(snapshot)

    def action_step(self) -> None:
        self._do(lambda tr: tr.step())

    def action_phase(self) -> None:
        self._do(lambda tr: tr.advance())

    def action_back(self) -> None:
        trainer = self._engine()
        if trainer is not None and trainer.step_count == 0 and trainer.phase is Phase.START:
            self.notify(t("notify.start", self.lang), timeout=2)
            return
        self._do(lambda tr: tr.back())

    def action_reset(self) -> None:
        self._do(lambda tr: tr.reset())
        if self.trainer is not None:
            self.notify(t("notify.reset", self.lang), timeout=2)

    def _change_lr(self, factor: float) -> None:
        trainer = self._engine()
        if trainer is None:
            return
        try:
            with self.lock:
                snapshot = trainer.set_learning_rate(trainer.learning_rate * factor)
        except ValueError:   # halved to 0 or doubled to infinity: keep the current rate
            how = t("lr.halved" if factor < 1 else "lr.doubled", self.lang)
            self.notify(t("notify.lr_limit", self.lang, lr=fmt(trainer.learning_rate, 8), how=how),
                        severity="warning", timeout=4)
            return
        self._apply(snapshot)
        self.notify(t("notify.lr", self.lang, lr=fmt(snapshot.learning_rate, 8)), timeout=2)

    def action_lr_down(self) -> None:
        self._change_lr(0.5)

    def action_lr_up(self) -> None:
        self._change_lr(2.0)

    def action_faster(self) -> None:
        self._set_speed(self.speed_index + 1)

    def action_slower(self) -> None:
        self._set_speed(self.speed_index - 1)

    def _set_speed(self, index: int) -> None:
        self.speed_index = max(0, min(len(PLAY_SPEEDS) - 1, index))
        self.notify(t("notify.speed", self.lang, speed=PLAY_SPEEDS[self.speed_index]), timeout=2)
        self._render_all()

    def action_play(self) -> None:
        if self.playing:
            self._pause()
            return
        trainer = self._engine()
        if trainer is None:
            return
        if trainer.diverged:
            self.notify(diverged_text(trainer.snapshot(), self.lang, notify=True),
                        severity="error", timeout=5)
            return
        self.playing = True
        self._render_all()
        self._play(trainer)

    def _pause(self) -> None:
        """Stop play; the worker checks `playing` under the lock, so no step runs after this."""
        if self.playing:
            self.playing = False
            self.workers.cancel_group(self, "play")
            if self.trainer is not None:
                with self.lock:
                    self._apply(self.trainer.snapshot())

    @work(thread=True, exclusive=True, group="play", exit_on_error=False)
    def _play(self, trainer) -> None:
        """Train in steps sized to the speed; post at most one frame per 1/30 s."""
        worker = get_current_worker()
        owed = 0.0
        while not worker.is_cancelled and self.playing:
            started = time.perf_counter()
            speed = PLAY_SPEEDS[self.speed_index]
            owed += speed * FRAME_SECONDS
            count = int(owed)
            owed -= count
            with self.lock:
                if not self.playing or trainer is not self.trainer or trainer.diverged:
                    break
                while count > 0 and time.perf_counter() - started < FRAME_SECONDS * 0.8:
                    chunk = min(count, 50)
                    if trainer.run(chunk) < chunk:   # diverged: run() stopped early
                        break
                    count -= chunk
                snapshot = trainer.snapshot()
            self._latest = snapshot
            if not self._frame_pending:
                self._frame_pending = True
                self.post_message(Frame())
            if snapshot.diverged:
                break
            time.sleep(max(0.0, FRAME_SECONDS - (time.perf_counter() - started)))
        self.post_message(PlayStopped())

    @on(Frame)
    def _frame(self) -> None:
        self._frame_pending = False
        if self._latest is not None and self.trainer is not None and self.playing:
            self._apply(self._latest)

    @on(PlayStopped)
    def _play_stopped(self) -> None:
        if self.trainer is not None and self.trainer.diverged:
            self.playing = False
            with self.lock:
                self._apply(self.trainer.snapshot())

    def action_next_note(self) -> None:
        notes = self.main.query_one(NotesArea)
        if not bring_up(self.main, "notes"):
            notes.cycle()
        notes.border_title = notes.title(self.lang)
        self.call_after_refresh(self._render_all)

    def action_next_view(self) -> None:
        self._cycle_view(1)

    def action_previous_view(self) -> None:
        self._cycle_view(-1)

    def _cycle_view(self, step: int) -> None:
        views = self.main.query_one(ViewArea)
        if not bring_up(self.main, "views"):
            views.cycle(self.scenario, self.snapshot, step)
        views.border_title = views.title(self.lang)
        self.call_after_refresh(self._render_all)   # the view's size is known after layout

    def action_lesson(self) -> None:
        if not bring_up(self.main, "lesson"):
            scroll_lesson(self.main.query_one("#lesson-box"))

    @on(ViewArea.Shown)
    def _views_shown(self) -> None:
        if self.snapshot is not None:
            self.call_after_refresh(self._render_all)

    def action_choose_x(self) -> None:
        self._choose("x")

    def action_choose_y(self) -> None:
        self._choose("y")

    def _choose(self, axis: str) -> None:
        views = self.main.query_one(ViewArea)
        if views.choice.view not in ("landscape1d", "landscape2d", "activation"):
            self.notify(t("notify.choose_where", self.lang), timeout=3)
            return
        name = views.next_parameter(self.scenario, axis)
        self.notify(t("notify.chosen", self.lang, axis=axis, name=name), timeout=2)
        self._render_all()

    def action_network_values(self) -> None:
        self.main.query_one(ViewArea).toggle_values()
        self._render_all()

    def action_open(self) -> None:
        self.push_screen(OpenScreen(self.lang, self.served), self._opened)

    def _opened(self, scenario: Scenario | None) -> None:
        if scenario is None:
            return
        self._pause()
        self.scenario = scenario
        self._retitle()
        self._show_scenario()
        self.notify(t("notify.loaded", self.lang, title=scenario.title), timeout=3)

    def action_next_lesson(self) -> None:
        self._go_lesson(1)

    def action_previous_lesson(self) -> None:
        self._go_lesson(-1)

    def _go_lesson(self, step: int) -> None:
        """The course's next / previous lesson (engine/load/course.py), opened like `o` does."""
        name, why = neighbour_lesson(self.scenario, step, self.lang)
        if name is None:
            self.notify(why, timeout=3)
            return
        self._opened(open_scenario(name))

    def action_export(self) -> None:
        """history.json, history.csv and screen.svg of the run so far, in ./dltui-exports/."""
        trainer = self._engine()
        if trainer is None:
            return
        self._pause()
        with self.lock:
            rates = trainer.history.learning_rates.tolist()
        if self.served is not None:   # a browser download, never the server's disk
            from .served import deliver_export

            deliver_export(self, self.scenario, rates, self.export_screenshot())
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path.cwd() / "dltui-exports" / f"{self.scenario.name}-step{len(rates) - 1}-{stamp}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.save_screenshot(filename="screen.svg", path=str(folder))
        except OSError as exc:
            self.notify(t("notify.export_failed", self.lang, folder=str(folder),
                          error=exc.strerror or exc), severity="error")
            return
        self._export_history(self.scenario, rates, folder)

    @work(thread=True, group="export", exit_on_error=False)
    def _export_history(self, scenario: Scenario, rates: list[float], folder: Path) -> None:
        """Step by step into temporary files renamed into place; a long, wide run is thinned.
        Quitting cancels the worker: it stops at the next step and leaves no half-written file."""
        worker = get_current_worker()
        last = len(rates) - 1
        try:
            write_files(scenario, replayed_records(scenario, rates, export_every(scenario, last)),
                        folder, last, cancelled=lambda: worker.is_cancelled)
        except ExportCancelled:
            (folder / "screen.svg").unlink(missing_ok=True)
            try:
                folder.rmdir()
            except OSError:
                pass
            return
        except OSError as exc:
            self.call_from_thread(self.notify, t("notify.export_failed", self.lang, folder=str(folder),
                                                 error=exc.strerror or exc), severity="error")
            return
        self.call_from_thread(self.notify, t("notify.exported", self.lang, folder=str(folder)),
                              timeout=8)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]
        self._bind_keys()
        self.refresh_bindings()
        self._retitle()
        self.main.query_one(RowsTable).show_scenario(self.scenario, self.lang)
        self.main.query_one("#lesson", Markdown).update(lesson_text(self.scenario, self.lang))
        self._render_all()

    def _retitle(self) -> None:
        for box, key in (("#data", "panel.data"), ("#params-box", "panel.params"),
                         ("#lesson-box", "panel.lesson")):
            self.main.query_one(box).border_title = t(key, self.lang)
        notes = self.main.query_one(NotesArea)
        notes.border_title = notes.title(self.lang)
        notes.border_subtitle = t("notes.keys", self.lang)
        views = self.main.query_one(ViewArea)
        views.border_title = views.title(self.lang)
        views.border_subtitle = t("view.keys", self.lang)
        targets = ", ".join(self.scenario.data.target_names)
        self.main.query_one("#data").border_title = f"{t('panel.data', self.lang)} — {targets}"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own entries and every dltui action, titled and described in the screen's language."""
        for command in super().get_system_commands(screen):
            key = f"palette.{command.title.lower()}"
            if key in MESSAGES:
                command = SystemCommand(t(key, self.lang), t(f"{key}.help", self.lang), command.callback,
                                        command.discover)
            yield command
        for _key, action, label, _show in KEYS:
            if action == "quit":
                continue
            yield SystemCommand(t(label, self.lang), t(f"does.{action}", self.lang),
                                lambda a=action: self.run_action(a))


def run_app(scenario: Scenario, lang: str | None = None, startup_error: str | None = None) -> None:
    DltuiApp(scenario, lang, startup_error).run()
