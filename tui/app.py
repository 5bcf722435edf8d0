"""The dltui Textual app: renders engine snapshots, sends intents (step, back, play, …) back.

The first frame shows the scenario's data before torch is imported; a thread worker builds the
trainer and posts it (keys pressed meanwhile wait and run once it is ready). Play runs in another
thread worker that posts `Frame` messages, which Textual coalesces. Widgets get frames
(tui/frames.py), never the trainer or its lock. What the screen shows — language, snapshot,
playing — is reactive state. Any worker that fails says so on screen (`_worker_changed`).
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from pathlib import Path
from typing import Iterable

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Markdown
from textual.worker import Worker, WorkerState, get_current_worker

from dltui.engine import Phase, Scenario, ScenarioError, Snapshot, open_scenario
from dltui.engine.export import ExportCancelled, write_journals
from dltui.engine.run_folder import OutputError, RunFolder, unused_folder
from dltui.engine.explain.notebook import notebook_steps
from dltui.engine.numbers import fmt
from dltui.words.input_errors import dropped_text
from .editing import EditingMixin
from .quiz import QuizMixin
from .frames import Frame, FrameData, Needs, collect
from .i18n import LANGS, MESSAGES, default_language, diverged_text, t
from .panels import ExplanationPanel, ParametersPanel, RowsTable, StatusLine
from dltui.engine.load.course import lesson_of
from .course_nav import lesson_text, neighbour_lesson
from .screens import HelpScreen, OpenScreen
from .startup_error import StartupErrorScreen
from dltui.words.errors import scenario_error_text
from dltui.words.output import cause_text
from .layout import bring_up, footer_actions, scroll_lesson
from .notes import NotesArea
from .runs_line import RunsLine
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
    ("w", "edit", "key.edit", True),
    ("t", "settings", "key.settings", True),
    ("s", "save", "key.save", True),
    ("c", "next_note", "key.notes", True),
    ("v", "next_view", "key.view", True),
    ("V", "previous_view", "key.view_back", False),
    ("x", "choose_x", "key.choose_x", False),
    ("y", "choose_y", "key.choose_y", False),
    ("n", "network_values", "key.values", False),
    ("m", "lesson", "key.lesson", True),
    ("k", "quiz", "key.quiz", False),
    ("tab", "next_run", "key.next_run", False),
    ("l", "language", "key.lang", False),
    ("question_mark", "help", "key.help", True),
    ("q", "quit", "key.quit", True),
]


class EngineReady(Message):
    def __init__(self, token: int, trainer) -> None:
        super().__init__()
        self.token, self.trainer = token, trainer


class PlayStopped(Message):
    pass


QUEUED_KEYS = 8    # keys pressed while torch loads that are kept, in order, to run once it is ready


class MainScreen(Screen):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield RunsLine(id="runs")
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


class DltuiApp(QuizMixin, EditingMixin, App):
    CSS_PATH = "app.tcss"
    TITLE = "dltui"
    served = None   # a tui.served.Served under `dltui serve`: no server files read or written

    # what the screen shows; setting one repaints what depends on it
    lang: var[str] = var("ko", init=False)
    snapshot: var[Snapshot | None] = var(None, init=False, always_update=True)
    playing: var[bool] = var(False, init=False)

    def __init__(self, scenario: Scenario, lang: str | None = None,
                 startup_error: str | Exception | None = None, quiz: bool = False):
        wide_chars.install()   # Hangul under/over other widgets stays whole
        super().__init__()
        self.quiz_setup()
        self._quiz_at_start = quiz
        self.set_reactive(DltuiApp.lang, lang or default_language())
        self.scenario = scenario
        self.trainer = None
        self.lock = threading.RLock()
        self.speed_index = DEFAULT_SPEED
        self._token = 0
        self._frame: FrameData | None = None      # the play worker's newest frame, if it is current
        self._needs = Needs()                     # what the visible panes want in a frame
        self._build_error: str | None = None      # the trainer could not be built: why
        self._queued: deque = deque(maxlen=QUEUED_KEYS)
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
            # tab would otherwise move the focus: its binding comes first (priority)
            self._bindings.bind(key, action, t(label, self.lang), show=action in shown,
                                priority=key == "tab")
        for n in range(1, 10):   # in a comparison, 1 … 9 choose the run the tables follow
            bindings.pop(str(n), None)
            self._bindings.bind(str(n), f"select_run({n - 1})", t("key.select_run", self.lang), show=False)
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
        if self._startup_error:   # a dialog that stays: a class must not miss it
            self.push_screen(StartupErrorScreen(scenario_error_text(self._startup_error, self.lang),
                                                self.scenario.title, self.lang))
        self._say_dropped()
        if self._quiz_at_start:   # dltui --quiz
            self.set_quiz(True)

    def _say_dropped(self) -> None:
        """CSV rows left out for a missing value (data.missing = "drop"): say how many."""
        if dropped_text(self.scenario, self.lang):
            self.notify(dropped_text(self.scenario, self.lang), timeout=8)

    def _show_scenario(self) -> None:
        """Everything that needs no torch, then the trainer in the background."""
        self.trainer = None
        self._build_error = None
        self._queued.clear()
        self._frame = None
        self.set_reactive(DltuiApp.snapshot, None)
        self._token += 1
        screen = self.main
        screen.query_one(ViewArea).reset(self.scenario)   # the scenario's own first picture
        screen.query_one(ViewArea).border_title = screen.query_one(ViewArea).title(self.lang)
        screen.query_one(RowsTable).show_scenario(self.scenario, self.lang)
        screen.query_one("#lesson", Markdown).update(lesson_text(self.scenario, self.lang))
        self._render_all()
        # torch's import holds the GIL for a second: start it once the first frame is written
        self.call_after_refresh(self._build_trainer, self._token, self.scenario)

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _build_trainer(self, token: int, scenario: Scenario) -> None:
        from dltui.engine.load.compare import is_comparison
        from dltui.engine.train.comparison import Comparison
        from dltui.engine.train.trainer import Trainer  # torch loads here, after the first frame

        # a comparison is shaped like one trainer: keys move every run, reads follow the selected
        trainer = Comparison(scenario) if is_comparison(scenario) else Trainer(scenario)
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
        queued, self._queued = list(self._queued), deque(maxlen=QUEUED_KEYS)
        for action in queued:              # keys pressed while torch loaded, in order
            getattr(self, f"action_{action}")()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's failure is turned into words on the screen."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        text = f"{type(error).__name__}: {error}"
        if event.worker.group == "engine":           # the trainer could not be built
            self._build_error = text
            self._queued.clear()
            self._render_all()
            self.notify(t("notify.build_failed", self.lang, error=text), severity="error", timeout=15)
        elif event.worker.group == "play":
            self.playing = False
            self.notify(t("notify.worker_failed", self.lang, error=text), severity="error", timeout=10)
        elif event.worker.group == "pictures":     # a view that cannot draw this state says so
            self.notify(t("notify.view_failed", self.lang, error=text), severity="warning", timeout=5)
        else:
            self.notify(t("notify.worker_failed", self.lang, error=text), severity="error", timeout=10)

    # ------------------------------------------------------------------ reactive state

    def watch_snapshot(self, old: Snapshot | None, new: Snapshot | None) -> None:
        self._render_all()
        self._after_render()
        if new is not None and new.diverged and not (old is not None and old.diverged):
            self.notify(diverged_text(new, self.lang, notify=True), severity="error", timeout=8)

    def watch_playing(self) -> None:
        self._render_all()
        self._after_render()

    def watch_lang(self) -> None:
        self._bind_keys()
        self.refresh_bindings()
        self._retitle()
        self.main.query_one(RowsTable).show_scenario(self.scenario, self.lang)
        self.main.query_one("#lesson", Markdown).update(lesson_text(self.scenario, self.lang))
        self._render_all()
        self._after_render()

    # ------------------------------------------------------------------ rendering

    def _wanted(self) -> Needs:
        """What the visible panes want in a frame (read by the play worker, set here)."""
        points, path = self.main.query_one(ViewArea).needs()
        self._needs = Needs(points, path, self.main.query_one(NotesArea).note == "graph")
        return self._needs

    def _current_frame(self, snap: Snapshot) -> FrameData:
        """The play worker's frame when it is the one on screen, else one collected now."""
        needs = self._wanted()
        frame = self._frame
        if frame is not None and frame.snapshot is snap and (
                (frame.loss is not None) >= bool(needs.loss_points) and (frame.path is not None) >= needs.path
                and (frame.graph is not None) >= needs.graph):
            return frame
        with self.lock:
            return collect(self.trainer, snap, needs)

    def _render_all(self) -> None:
        screen = self.main
        if not screen.query(StatusLine):   # the app is closing: a late worker message finds no panels
            return
        self._sync_setup()
        snap = self.snapshot
        if self.quiz_on:
            self._quiz_masks(snap)   # quiz mode: what the phases have not revealed yet stays `?`
        # a comparison's selected run has its own setup (optimizer, rate, layers): show that one
        race = self.trainer if hasattr(self.trainer, "runs") and snap is not None else None
        scenario = race.trainer.scenario if race else self.scenario
        playing = t("playing", self.lang, speed=PLAY_SPEEDS[self.speed_index]) if self.playing else ""
        error = "" if self._build_error is None else t("status.build_failed", self.lang, error=self._build_error)
        screen.query_one(StatusLine).show(scenario, snap, self.lang, playing, error)
        screen.query_one(RunsLine).show(race and race.runs, race and race.snapshots(),
                                        race.selected if race else 0, self.lang)
        if snap is None or self.trainer is None:
            screen.query_one(ParametersPanel).show(scenario, None, self.lang)
            screen.query_one(ExplanationPanel).show(scenario, None, self.lang)
            return
        frame = self._current_frame(snap)
        screen.query_one(RowsTable).show(snap, self.lang)
        screen.query_one(ParametersPanel).show(scenario, snap, self.lang)
        screen.query_one(NotesArea).draw(scenario, frame, self.lang)
        views = screen.query_one(ViewArea)
        if not views.display:
            return
        try:
            views.draw(scenario, frame, self.lang)
        except (ValueError, RuntimeError) as exc:   # a view that cannot draw this state says so
            self.notify(t("notify.view_failed", self.lang, error=exc), severity="warning", timeout=5)

    def _apply(self, snapshot: Snapshot, frame: FrameData | None = None) -> None:
        self._frame = frame
        self.snapshot = snapshot      # the watcher repaints

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

    def _engine(self, action: str | None = None):
        """The trainer, or None while torch is still loading: the key waits and runs once the
        trainer is ready (a few, in order); if the trainer failed to build, the key says so."""
        if self.trainer is None:
            if self._build_error is not None:
                self.notify(t("notify.build_failed", self.lang, error=self._build_error), severity="error",
                            timeout=5)
                return None
            if action is not None and len(self._queued) < QUEUED_KEYS:
                self._queued.append(action)
            self.notify(t("notify.loading", self.lang), timeout=2)
        return self.trainer

    def _do(self, call, action: str) -> None:
        """Pause play, run one engine call under the lock, show the result."""
        trainer = self._engine(action)
        if trainer is None:
            return
        self._pause()
        if self.quiz_pending is not None:   # back / reset leave an open question unasked
            self.quiz_pending = None
            self.quiz_asked -= 1
        with self.lock:
            snapshot = call(trainer)
        self._apply(snapshot)

    def action_step(self) -> None:
        if self.quiz_advance():   # quiz mode: one phase at a time, each asked first
            return
        self._do(lambda tr: tr.step(), "step")

    def action_phase(self) -> None:
        if self.quiz_advance():
            return
        self._do(lambda tr: tr.advance(), "phase")

    def action_back(self) -> None:
        trainer = self._engine("back")
        if trainer is None:
            return
        if trainer.at_beginning:
            self.notify(t("notify.start", self.lang), timeout=2)
            return
        self._do(lambda tr: tr.back(), "back")

    def action_reset(self) -> None:
        self._do(lambda tr: tr.reset(), "reset")
        if self.trainer is not None:
            self.notify(t("notify.reset", self.lang), timeout=2)

    def _change_lr(self, factor: float) -> None:
        trainer = self._engine("lr_down" if factor < 1 else "lr_up")
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
        if hasattr(trainer, "runs"):   # a comparison: the rate of the selected run only
            run = trainer.runs[trainer.selected]
            self.notify(t("notify.lr_run", self.lang, n=trainer.selected + 1, label=run.label(self.lang),
                          lr=fmt(snapshot.learning_rate, 8)), timeout=3)
            return
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
        trainer = self._engine("play")
        if trainer is None:
            return
        if trainer.diverged:
            self.notify(diverged_text(trainer.snapshot(), self.lang, notify=True),
                        severity="error", timeout=5)
            return
        self.playing = True
        self._play(trainer, self._token)

    def _pause(self) -> None:
        """Stop play; the worker checks `playing` under the lock, so no step runs after this."""
        if self.playing:
            self.playing = False
            self.workers.cancel_group(self, "play")
            if self.trainer is not None:
                with self.lock:
                    self._apply(self.trainer.snapshot())

    @work(thread=True, exclusive=True, group="play", exit_on_error=False)
    def _play(self, trainer, token: int) -> None:
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
                frame = collect(trainer, snapshot, self._needs)
            self.post_message(Frame(token, frame))
            if snapshot.diverged:
                break
            time.sleep(max(0.0, FRAME_SECONDS - (time.perf_counter() - started)))
        self.post_message(PlayStopped())

    @on(Frame)
    def _show_frame(self, message: Frame) -> None:
        if message.token == self._token and self.trainer is not None and self.playing:
            self._apply(message.frame.snapshot, message.frame)

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

    def notify(self, message: str, *, markup: bool = False, **options) -> None:
        """Notices carry names and errors from the learner's files: text, never Rich markup."""
        super().notify(message, markup=markup, **options)

    def action_open(self) -> None:
        self.push_screen(OpenScreen(self.lang, self.served, lesson_of(self.scenario)), self._opened)

    def _opened(self, scenario: Scenario | None) -> None:
        if scenario is None:
            return
        self._pause()
        self.stop_editing()
        self.scenario = scenario
        self._retitle()
        self._show_scenario()
        self.notify(t("notify.loaded", self.lang, title=scenario.title), timeout=3)
        self._say_dropped()

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
        try:
            scenario = open_scenario(name)
        except ScenarioError as exc:   # a bundled file broken by hand: say so, keep this lesson
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._opened(scenario)

    def action_export(self) -> None:
        """history.json, history.csv, screen.svg, scenario.toml and notebook.ipynb of the run so far,
        in ./dltui-exports/."""
        trainer = self._engine("export")
        if trainer is None:
            return
        self._pause()
        with self.lock:
            rates = trainer.history.learning_rates.tolist()
            journal = trainer.journal()
            journals = trainer.journals()   # a comparison: every run's
        if self.served is not None:   # a browser download, never the server's disk
            from .served import deliver_export

            deliver_export(self, self.scenario, rates, self.export_screenshot(), journal,
                           self.scenario_text_now())
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = unused_folder(Path.cwd() / "dltui-exports" / f"{self.scenario.name}-step{trainer.step_count}-{stamp}")
        try:   # into a staging folder that becomes `folder` in one rename when everything is written
            run = RunFolder(folder)
        except OutputError as exc:
            self._export_failed(folder, exc)
            return
        try:
            self.save_screenshot(filename="screen.svg", path=str(run.folder))
            self.export_scenario(run.folder)
            self.quiz_log_file(run.folder)
        except (OSError, ScenarioError) as exc:
            run.discard()
            self._export_failed(folder, exc)
            return
        self._export_history(self.scenario, journals, run)

    def _export_failed(self, folder: Path, exc: Exception) -> None:
        self.notify(t("notify.export_failed", self.lang, folder=str(folder), error=cause_text(exc, self.lang)),
                    severity="error")

    @work(thread=True, group="export", exit_on_error=False)
    def _export_history(self, scenario: Scenario, journals, run: RunFolder) -> None:
        """Step by step into the staging folder, then the folder renamed into place; a long, wide run
        is thinned. Quitting cancels the worker: it stops at the next step and removes the staging
        folder, so no half-written export is ever seen. The replay carries hand edits and setup
        changes (Trainer.journals: every run's)."""
        worker = get_current_worker()
        journal = journals[0][1]
        last = journal[-1].start + len(journal[-1].learning_rates) - 1
        try:
            with run:
                write_journals(journals, run.folder, cancelled=lambda: worker.is_cancelled)
                from dltui.cli.notebook import write_notebook

                write_notebook(scenario, notebook_steps(last), run.folder / "notebook.ipynb", self.lang)
                run.commit()
        except ExportCancelled:
            return
        except (OSError, OutputError) as exc:
            self.call_from_thread(self._export_failed, run.target, exc)
            return
        self.call_from_thread(self.notify, t("notify.exported", self.lang, folder=str(run.target)),
                              timeout=8)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.lang))

    def action_next_run(self) -> None:
        """In a comparison: the next run is the one the tables and the arithmetic follow."""
        trainer = self._engine()
        if trainer is not None and hasattr(trainer, "runs"):
            self._select_run((trainer.selected + 1) % len(trainer.runs))

    def action_select_run(self, index: int) -> None:
        """In a comparison: `1` … `9` choose the run the tables and the arithmetic follow."""
        trainer = self._engine()
        if trainer is not None and hasattr(trainer, "runs") and index < len(trainer.runs):
            self._select_run(index)

    def _select_run(self, index: int) -> None:
        with self.lock:
            snapshot = self.trainer.select(index)
            run = self.trainer.runs[index]
        self._apply(snapshot)
        self.notify(t("notify.run", self.lang, n=index + 1, label=run.label(self.lang)), timeout=2)

    def check_action(self, action: str, parameters) -> bool | None:
        """The run keys exist only in a comparison (hidden from the footer otherwise)."""
        if action in ("next_run", "select_run"):
            return hasattr(self.trainer, "runs") or (self.scenario is not None and bool(
                self.scenario.document.get("compare")))
        return True

    def action_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]   # the watcher redraws

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

    def action_command_palette(self) -> None:
        """Textual's palette, its search prompt in the screen's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.search", self.lang), id="--command-palette"))

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
            does = f"does.{action.split('(')[0]}"     # select_run(2) → does.select_run
            yield SystemCommand(t(label, self.lang), t(does if does in MESSAGES else label, self.lang),
                                lambda a=action: self.run_action(a))


def run_app(scenario: Scenario, lang: str | None = None, startup_error: str | None = None,
            quiz: bool = False) -> None:
    DltuiApp(scenario, lang, startup_error, quiz).run()
