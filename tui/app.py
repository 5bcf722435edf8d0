"""The dltui Textual app: a key becomes an intent, the session answers with a frame, the frame
goes to the widgets (key → intent → Session → frame → widgets).

The first frame shows the scenario's data before torch is imported; a thread worker builds the
session (engine/session.py) and posts it (keys pressed meanwhile wait and run once it is ready).
Each key's intent is answered in a thread worker that the key's action awaits, so keys run in
order and the session's work never runs on the UI thread. Play runs in another thread worker that
posts frames as `FrameReady` messages, which Textual coalesces (the session steps them in a process
of its own, so the screen keeps this interpreter). The app holds no trainer and no lock: the session owns both. What the screen shows ‒
language, snapshot, playing ‒ is reactive state. Any worker that fails says so on screen.
"""

from __future__ import annotations

import gc
import time
from dataclasses import replace
from functools import partial
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
from textual.worker import Worker, WorkerFailed, WorkerState, get_current_worker

from dltui.engine import Scenario, ScenarioError, Snapshot, open_scenario
from dltui.engine import intents as do
from dltui.engine.frame import Frame, Needs, Notice, Words
from dltui.engine.load.compare import Run, is_comparison
from dltui.words.input_errors import dropped_text
from .editing import Editing
from .quiz import Quiz
from .frames import FrameReady
from .i18n import LANGS, MESSAGES, default_language, diverged_text, t
from .panels import ParametersPanel, RowsTable, StatusLine
from dltui.engine.load.course import lesson_of
from .course_nav import lesson_text, neighbour_lesson, title_in
from dltui.words.errors import error_text, scenario_error_text
from .play_rate import PlayRate
from .keys import KEYED, KeyChoice, action_name, key_bindings
from .layout import bring_up, current_pane, footer_actions, lesson_to_notes, open_lesson, scroll_lesson
from dltui.words.output import cause_text
from .notes import NotesArea
from .runs_line import RunsLine
from .view_area import ViewArea
from . import wide_chars

PLAY_SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 20000)
DEFAULT_SPEED = 4          # index into PLAY_SPEEDS: 20 steps a second
FRAME_SECONDS = 1 / 30     # play repaints at most 30 times a second
PLAY_SHARE = 0.95          # of each frame's time, stepping (in its own process: the screen draws meanwhile)
PLAY_CATCH_UP_SECONDS = 0.25   # the most wall time one play frame's steps make up for
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
    ("k", "quiz", "key.quiz", True),
    ("tab", "next_run", "key.next_run", False),
    ("l", "language", "key.lang", False),
    ("question_mark", "help", "key.help", True),
    ("q", "quit", "key.quit", True),
]


def key_tooltip(action: str, label: str, lang: str) -> str:
    """A key's sentence (the footer's tooltip, the key panel), as the command palette says it."""
    does = f"does.{action}"
    return t(does if does in MESSAGES else label, lang)


class SessionReady(Message):
    def __init__(self, token: int, session, frame: Frame) -> None:
        super().__init__()
        self.token, self.session, self.frame = token, session, frame


class PlayStopped(Message):
    pass


NOTICE_SECONDS = {"information": 3, "warning": 5, "error": 8}
QUEUED_KEYS = 8    # keys pressed while torch loads that are kept, in order, to run once it is ready


class MainScreen(Screen):
    """The panels, each made once and held: a frame reaches them without a DOM query (a query
    matches selectors against every node, a dozen a key)."""

    def __init__(self) -> None:
        super().__init__()
        self.status = StatusLine(id="status")
        self.runs = RunsLine(id="runs")
        self.table = RowsTable(id="data")
        self.notes = NotesArea(id="explain-box")
        self.lesson = Markdown(id="lesson")
        self.lesson_box = VerticalScroll(self.lesson, id="lesson-box")
        self.params = ParametersPanel(id="params")
        self.params_box = VerticalScroll(self.params, id="params-box")
        self.views = ViewArea(id="views")
        self.footer = Footer(compact=True)

    def compose(self) -> ComposeResult:
        yield self.status
        yield self.runs
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield self.table
                yield self.notes
                yield self.lesson_box
            with Vertical(id="right"):
                yield self.params_box
                yield self.views
        yield self.footer

    def on_mount(self) -> None:
        self.app.screen_ready()


class DltuiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "dltui"
    served = None   # a tui.served.Served under `dltui serve`: no server files read or written

    # what the screen shows; setting one repaints what depends on it
    lang: var[str] = var("ko", init=False)
    snapshot: var[Snapshot | None] = var(None, init=False, always_update=True)
    playing: var[bool] = var(False, init=False)

    BINDINGS = key_bindings(KEYS, LANGS, t, key_tooltip, App.COMMAND_PALETTE_BINDING, App.COMMAND_PALETTE_DISPLAY)

    def __init__(self, scenario: Scenario, lang: str | None = None,
                 startup_error: str | Exception | None = None, quiz: bool = False):
        wide_chars.install()   # Hangul under/over other widgets stays whole
        super().__init__()
        self.quiz = Quiz(self)                    # the quiz mode's own state (k, --quiz)
        self.editing = Editing(self)              # the edit bar, settings and saving (w, t, s)
        self._quiz_at_start = quiz
        self.set_reactive(DltuiApp.lang, lang or default_language())
        self.scenario = scenario
        self.session = None                       # engine.session.Session, once torch has loaded
        self.frame: Frame | None = None           # the session's newest answer, on screen
        self.speed_index = DEFAULT_SPEED
        self.play_rate = PlayRate()
        self._token = 0
        self._needs = Needs()                     # what the visible panes want in a frame
        self._shown = 0                           # frames put on screen so far
        self._asking = False                      # a `Show` for new wants is with the session
        self._redraw_owed = False                 # a forced picture redraw waits for that frame
        self._build_error: str | None = None      # the session could not be built: why
        self._queued: deque = deque(maxlen=QUEUED_KEYS)
        self._startup_error = startup_error
        self.main = MainScreen()
        self.key_choice = KeyChoice(self.lang)

    # ------------------------------------------------------------------ set-up

    def _fit_footer(self, width: int | None = None) -> None:
        """The footer shows, in the screen's language, the whole keys that fit its width (on `l`
        and on resize): the bindings stay, `check_action` picks the live one (tui/keys.py)."""
        shown = footer_actions(KEYS, lambda label: t(label, self.lang), width or self.size.width or 80)
        self.key_choice = KeyChoice(self.lang, shown)
        self.refresh_bindings()

    def get_default_screen(self) -> Screen:
        return self.main

    def screen_ready(self) -> None:
        """The main screen's panels exist: fill them, then build the session."""
        self._layout_for(self.size.width, self.size.height)
        self._fit_footer()
        self._retitle()
        self._show_scenario()
        if self._startup_error:   # a dialog that stays: a class must not miss it
            from .startup_error import StartupErrorScreen

            self.push_screen(StartupErrorScreen(scenario_error_text(self._startup_error, self.lang),
                                                self.scenario.title, self.lang))
        self._say_dropped()
        if self._quiz_at_start:   # dltui --quiz
            self.quiz.set(True)

    def _say_dropped(self) -> None:
        """CSV rows left out for a missing value (data.missing = "drop"): say how many."""
        if dropped_text(self.scenario, self.lang):
            self.notify(dropped_text(self.scenario, self.lang), timeout=8)

    def _show_scenario(self) -> None:
        """Everything that needs no torch, then the session in the background."""
        self.session = None
        self.frame = None
        self._build_error = None
        self._queued.clear()
        self.set_reactive(DltuiApp.snapshot, None)
        self._token += 1
        screen = self.main
        screen.views.reset(self.scenario)   # the scenario's own first picture
        screen.views.border_title = screen.views.title(self.lang)
        screen.table.show_scenario(self.scenario, self.lang)
        screen.lesson.update(lesson_text(self.scenario, self.lang))
        open_lesson(screen)
        self._render_all()
        # torch's import holds the GIL for a second: start it once the first frame is written
        self.call_after_refresh(self._build_session, self._token, self.scenario)
        self.call_after_refresh(self._started)

    @staticmethod
    def _started() -> None:
        """The first frame is written: `dltui` held the collector off until now (cli/main.py). One
        collection, the survivors (Textual's, numpy's) frozen out of every later one, and it is on."""
        if not gc.isenabled():
            gc.collect()
            gc.freeze()
            gc.enable()

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _build_session(self, token: int, scenario: Scenario) -> None:
        from dltui.engine.session import Session  # torch loads here, after the first frame

        session = Session(scenario)
        frame = session.handle(do.Show())
        # torch's import leaves ~300k objects; a full collection now, then freezing them, keeps
        # 170 ms collector pauses out of later key presses.
        gc.collect()
        gc.freeze()
        self.post_message(SessionReady(token, session, frame))

    @on(SessionReady)
    async def _session_ready(self, message: SessionReady) -> None:
        if message.token != self._token:
            return  # a scenario opened since; this session is for the old one
        self.session = message.session
        self._show(message.frame)
        queued, self._queued = list(self._queued), deque(maxlen=QUEUED_KEYS)
        for action in queued:              # keys pressed while torch loaded, in order
            await self.run_action(action)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's failure is turned into words on the screen."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        text = f"{type(error).__name__}: {error}"
        if event.worker.group == "engine":           # the session could not be built
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
        self.editing.after_render()
        if new is not None and new.diverged and not (old is not None and old.diverged):
            self.notify(diverged_text(new, self.lang, notify=True), severity="error", timeout=8)

    def watch_playing(self) -> None:
        self._render_all()
        self.editing.after_render()

    def watch_lang(self) -> None:
        self._fit_footer()
        self._retitle()
        self.main.table.show_scenario(self.scenario, self.lang)
        self.main.lesson.update(lesson_text(self.scenario, self.lang))
        self._render_all()
        self.editing.after_render()

    # ------------------------------------------------------------------ rendering

    def _wanted(self) -> Needs:
        """What the visible panes want in a frame (read by the play worker, set here)."""
        points, path = self.main.views.needs()
        self._needs = Needs(points, path, self.main.notes.note == "graph", self.editing.ref())
        return self._needs

    def _current_frame(self) -> Frame | None:
        """The frame on screen when it carries what the panes want. Every intent's frame is asked
        for what the panes want, so it lacks something only when a pane has just changed its
        wants (a new view, the notes' graph): then None, and a `Show` goes to the session in a
        worker like every intent; its frame repaints the panes when it comes."""
        if self.frame.has(self._wanted()):
            return self.frame
        if not self._asking:
            self._asking = True
            self.run_worker(self._fetch_wants(self._shown), group="wants", exit_on_error=False)
        return None

    async def _fetch_wants(self, shown: int) -> None:
        """The session's frame with what the panes want now, put on screen unless another frame
        came meanwhile (keeping the snapshot shown: the quiz may keep an earlier one up)."""
        try:
            frame = await self.answer(do.Show())
        finally:
            self._asking = False
        if frame is None or self.session is None:
            return
        if shown == self._shown:
            self.frame = replace(frame, snapshot=self.snapshot, notice=None)
        self._render_all()
        self.editing.after_render()
        if self._redraw_owed:
            self._redraw_views()

    def _render_all(self) -> None:
        screen = self.main
        if not screen.status.is_attached:   # the app is closing: a late worker message finds no panels
            return
        self._sync_setup()
        snap = self.snapshot
        if self.quiz.on:
            self.quiz.masks(snap)   # quiz mode: what the phases have not revealed yet stays `?`
        # a comparison's selected run has its own setup (optimizer, rate, layers): show that one
        frame = self.frame if snap is not None else None
        scenario = frame.setup if frame is not None else self.scenario
        playing = ""
        if self.playing:   # the rate reached, beside the speed asked for
            reached = self.play_rate.reached(snap.step) if snap is not None else None
            speed = PLAY_SPEEDS[self.speed_index]
            playing = (t("playing.start", self.lang, speed=speed) if reached is None
                       else t("playing", self.lang, reached=reached, speed=speed))
        error = "" if self._build_error is None else t("status.build_failed", self.lang, error=self._build_error)
        screen.status.show(scenario, snap, self.lang, playing, error)
        screen.runs.show(frame and frame.runs, frame and frame.snapshots,
                                        frame.selected if frame else 0, self.lang)
        if frame is None:
            screen.params.show(scenario, None, self.lang)
            screen.notes.explain.show(scenario, None, self.lang)
            return
        frame = self._current_frame()
        screen.table.show(snap, self.lang)
        screen.params.show(scenario, snap, self.lang)
        if frame is None:   # the notes and the picture draw when the frame they want comes
            return
        screen.notes.draw(scenario, frame, self.lang)
        views = screen.views
        if not views.display:
            return
        try:
            views.draw(scenario, frame, self.lang)
        except (ValueError, RuntimeError) as exc:   # a view that cannot draw this state says so
            self.notify(t("notify.view_failed", self.lang, error=exc), severity="warning", timeout=5)

    def _show(self, frame: Frame, shown: Snapshot | None = None) -> None:
        """A frame from the session on screen (`shown`: an earlier snapshot the quiz keeps up),
        and its notice said in the screen's language."""
        self.frame = frame if shown is None else replace(frame, snapshot=shown)
        self._shown += 1
        self.snapshot = self.frame.snapshot      # the watcher repaints
        if frame.notice is not None:
            self.say(frame.notice)

    def say(self, notice: Notice) -> None:
        if notice.key is None:   # a refusal, in the words `dltui check` would use
            text = error_text(notice.values["error"], self.lang)
        else:
            values = {name: t(v, self.lang) if isinstance(v, Words) else v.label(self.lang) if isinstance(v, Run)
                      else error_text(v, self.lang) if isinstance(v, BaseException)
                      else v for name, v in notice.values.items()}
            text = t(notice.key, self.lang, **values)
        self.notify(text, severity=notice.level, timeout=NOTICE_SECONDS[notice.level])

    def _sync_setup(self) -> None:
        """After a setup change (or going back across one) the setup in force is the one shown
        (a comparison keeps its file: its runs' setups come with each frame)."""
        frame = self.frame
        if frame is None or frame.comparison or frame.setup is self.scenario:
            return
        same_rows = frame.setup.data is self.scenario.data
        self.scenario = frame.setup
        if not same_rows:
                self.main.table.show_scenario(self.scenario, self.lang)

    def _redraw_views(self) -> None:
        """An edit or a setup change keeps the step and phase: the picture must redraw anyway."""
        views = self.main.views
        if not views.display or self.snapshot is None or self.session is None:
            return
        frame = self._current_frame()
        self._redraw_owed = frame is None        # drawn when the frame the picture wants comes
        if frame is None:
            return
        try:
            views.draw(self.scenario, frame, self.lang, force=True)
        except (ValueError, RuntimeError) as exc:
            self.notify(t("notify.view_failed", self.lang, error=exc), severity="warning", timeout=5)

    def on_resize(self, event) -> None:
        self._layout_for(event.size.width, event.size.height)
        self._fit_footer(event.size.width)    # the footer shows the keys that fit the new width
        if self.snapshot is not None:
            self.call_after_refresh(self._render_all)

    def _layout_for(self, width: int, height: int) -> None:
        screen = self.main
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        tiny = width < TINY_WIDTH or height < TINY_HEIGHT
        screen.set_class(compact and not tiny, "compact")
        screen.set_class(tiny, "tiny")
        screen.status.tiny = tiny

    # ------------------------------------------------------------------ intents

    def _have_session(self, action: str | None = None) -> bool:
        """The session is there; while torch is still loading the key waits and runs once it is
        ready (a few, in order); if the session failed to build, the key says so."""
        if self.session is None:
            if self._build_error is not None:
                self.notify(t("notify.build_failed", self.lang, error=self._build_error), severity="error",
                            timeout=5)
                return False
            if action is not None and len(self._queued) < QUEUED_KEYS:
                self._queued.append(action)
            self.notify(t("notify.loading", self.lang), timeout=2)
        return self.session is not None

    async def send(self, intent, action: str | None = None, pause: bool = True) -> Frame | None:
        """Pause play (unless not `pause`), hand `intent` to the session, show the frame it
        answers with."""
        if not self._have_session(action):
            return None
        if pause:
            self._pause()
        frame = await self.answer(intent)
        if frame is not None:
            self._show(frame)
        return frame

    async def answer(self, intent) -> Frame | None:
        """The session's frame for `intent`, computed in a thread worker that this awaits (None:
        it failed, and `_worker_changed` has said why on screen)."""
        worker = self.run_worker(partial(self.session.handle, intent, self._wanted()), thread=True,
                                 group="session", exit_on_error=False)
        try:
            return await worker.wait()
        except WorkerFailed:
            return None

    async def _move(self, intent, action: str) -> None:
        """Back and reset leave an open quiz question unasked."""
        if self._have_session(action):
            self.quiz.drop()
            await self.send(intent)

    async def action_step(self) -> None:
        lesson_to_notes(self.main)
        if await self.quiz.advance():   # quiz mode: one phase at a time, each asked first
            return
        await self.send(do.Step(), "step")

    async def action_phase(self) -> None:
        lesson_to_notes(self.main)
        if await self.quiz.advance():
            return
        await self.send(do.Advance(), "phase")

    async def action_back(self) -> None:
        await self._move(do.Back(), "back")

    async def action_reset(self) -> None:
        await self._move(do.Reset(), "reset")

    async def action_lr_down(self) -> None:
        await self.send(do.SetRate(0.5), "lr_down", pause=False)   # play goes on at the new rate

    async def action_lr_up(self) -> None:
        await self.send(do.SetRate(2.0), "lr_up", pause=False)

    def action_faster(self) -> None:
        self._set_speed(self.speed_index + 1)

    def action_slower(self) -> None:
        self._set_speed(self.speed_index - 1)

    def _set_speed(self, index: int) -> None:
        self.speed_index = max(0, min(len(PLAY_SPEEDS) - 1, index))
        if self.playing and self.snapshot is not None:   # a new speed: its own rate from now
            self.play_rate.start(self.snapshot.step)
        self.notify(t("notify.speed", self.lang, speed=PLAY_SPEEDS[self.speed_index]), timeout=2)
        self._render_all()

    async def action_play(self) -> None:
        if self.playing:   # pause, and show where the session stopped
            await self.send(do.Show())
            return
        if not self._have_session("play"):
            return
        if self.frame.diverged:
            self.notify(diverged_text(self.frame.snapshot, self.lang, notify=True), severity="error", timeout=5)
            return
        self.play_rate.start(self.frame.snapshot.step)
        self.playing = True
        self._play(self.session, self._token)

    def _pause(self) -> None:
        """Stop play; the session checks `playing` under its lock, so no step runs after this
        (the next intent's frame shows where it stopped)."""
        if self.playing:
            self.playing = False
            self.workers.cancel_group(self, "play")

    @work(thread=True, exclusive=True, group="play", exit_on_error=False)
    def _play(self, session, token: int) -> None:
        """Train in steps sized to the speed; post at most one frame per 1/30 s. The session
        steps in its play process, so this thread mostly waits on a pipe (the GIL is the screen's)."""
        worker = get_current_worker()
        going = lambda: self.playing and not worker.is_cancelled and session is self.session  # noqa: E731
        owed, last = 0.0, time.perf_counter() - FRAME_SECONDS
        try:
            while going():
                started = time.perf_counter()
                # the speed is steps a second of the clock: a frame that comes late (the screen or the
                # machine busy) owes the steps of all its wait, not one frame's, up to a few frames'
                owed += PLAY_SPEEDS[self.speed_index] * min(started - last, PLAY_CATCH_UP_SECONDS)
                last = started
                count = int(owed)
                owed -= count
                frame = session.handle(do.Play(count, FRAME_SECONDS * PLAY_SHARE, going, ahead=True), self._needs)
                if frame is None:
                    break
                self.post_message(FrameReady(token, frame))
                if frame.diverged:
                    break
                time.sleep(max(0.0, FRAME_SECONDS - (time.perf_counter() - started)))
        finally:
            session.handle(do.Pause())   # the play process ends; its run is the session's again
        self.post_message(PlayStopped())

    @on(FrameReady)
    def _show_frame(self, message: FrameReady) -> None:
        if message.token == self._token and self.session is not None and self.playing:
            self._show(message.frame)

    @on(PlayStopped)
    async def _play_stopped(self) -> None:
        if self.session is not None and self.playing and self.frame is not None and self.frame.diverged:
            await self.send(do.Show())

    def action_next_note(self) -> None:
        notes = self.main.notes
        if not bring_up(self.main, "notes"):
            notes.cycle()
        notes.border_title = notes.title(self.lang)
        self.call_after_refresh(self._render_all)

    def action_next_view(self) -> None:
        self._cycle_view(1)

    def action_previous_view(self) -> None:
        self._cycle_view(-1)

    def _cycle_view(self, step: int) -> None:
        views = self.main.views
        if not bring_up(self.main, "views"):
            views.cycle(self.scenario, self.snapshot, step)
        views.border_title = views.title(self.lang)
        self.call_after_refresh(self._render_all)   # the view's size is known after layout

    def action_lesson(self) -> None:
        if not bring_up(self.main, "lesson"):
            scroll_lesson(self.main.lesson_box)

    @on(ViewArea.Shown)
    def _views_shown(self) -> None:
        if self.snapshot is not None:
            self.call_after_refresh(self._render_all)

    def action_choose_x(self) -> None:
        self._choose("x")

    def action_choose_y(self) -> None:
        self._choose("y")

    def _choose(self, axis: str) -> None:
        views = self.main.views
        if not views.chooses:
            self.notify(t("notify.choose_where", self.lang), timeout=3)
            return
        name = views.next_parameter(self.scenario, axis)
        self.notify(t("notify.chosen", self.lang, axis=axis, name=name), timeout=2)
        self._render_all()

    def action_network_values(self) -> None:
        self.main.views.toggle_values()
        self._render_all()

    def notify(self, message: str, *, markup: bool = False, **options) -> None:
        """Notices carry names and errors from the learner's files: text, never Rich markup."""
        super().notify(message, markup=markup, **options)

    def action_open(self) -> None:
        from .screens import OpenScreen   # dialogs load when first opened, not before the first frame

        self.push_screen(OpenScreen(self.lang, self.served, lesson_of(self.scenario)), self._opened)

    def _opened(self, scenario: Scenario | None) -> None:
        if scenario is None:
            return
        self._pause()
        self.editing.stop()
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
            self.notify(scenario_error_text(exc, self.lang), severity="error", timeout=8)
            return
        self._opened(scenario)

    async def action_export(self) -> None:
        """history.json, history.csv, screen.svg, scenario.toml and notebook.ipynb of the run so far,
        in ./dltui-exports/."""
        frame = await self.send(do.Export(), "export")
        if frame is None or frame.export is None:
            return
        export = frame.export
        if self.served is not None:   # a browser download, never the server's disk
            from .served import deliver_export

            deliver_export(self, self.scenario, export.journals, self.export_screenshot(),
                           await self.editing.saved_text())
            return
        from dltui.engine.load.writer import origin_note, write_scenario
        from dltui.engine.run_folder import OutputError, RunFolder, unused_folder

        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = unused_folder(Path.cwd() / "dltui-exports" / f"{self.scenario.name}-step{export.step}-{stamp}")
        try:   # into a staging folder that becomes `folder` in one rename when everything is written
            run = RunFolder(folder)
        except OutputError as exc:
            self._export_failed(folder, exc)
            return
        try:
            self.save_screenshot(filename="screen.svg", path=str(run.folder))
            write_scenario(export.setup, run.folder / "scenario.toml", origin_note(export.setup, export.step))
            self.quiz.log_file(run.folder)
        except (OSError, ScenarioError) as exc:
            run.discard()
            self._export_failed(folder, exc)
            return
        self._export_history(self.scenario, export.journals, run)

    def _export_failed(self, folder: Path, exc: Exception) -> None:
        error = scenario_error_text(exc, self.lang) if isinstance(exc, ScenarioError) else cause_text(exc, self.lang)
        self.notify(t("notify.export_failed", self.lang, folder=str(folder), error=error), severity="error")

    @work(thread=True, group="export", exit_on_error=False)
    def _export_history(self, scenario: Scenario, journals, run: RunFolder) -> None:
        """Step by step into the staging folder, then the folder renamed into place; a long, wide run
        is thinned. Quitting cancels the worker: it stops at the next step and removes the staging
        folder, so no half-written export is ever seen. The replay carries hand edits and setup
        changes (Trainer.journals: every run's)."""
        from dltui.engine.explain.notebook import notebook_steps
        from dltui.engine.export import ExportCancelled, write_journals
        from dltui.engine.run_folder import OutputError

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
        from dltui.words.help import help_text
        from .screens import HelpScreen

        screen = self.main
        pane = current_pane(screen) if screen.has_class("compact") else None
        here = help_text(self.lang, view=screen.views.choice.view.name,
                         note=screen.notes.note, pane=pane,
                         lesson=title_in(self.scenario.title, self.lang), quiz_on=self.quiz.on,
                         runs=len(self.frame.runs or ()) if self.frame is not None else 0)
        self.push_screen(HelpScreen(self.lang, here))

    async def action_next_run(self) -> None:
        """In a comparison: the next run is the one the tables and the arithmetic follow."""
        if self._have_session():
            await self.send(do.SelectRun())

    async def action_select_run(self, index: int) -> None:
        """In a comparison: `1` ⋯ `9` choose the run the tables and the arithmetic follow."""
        if self._have_session():
            await self.send(do.SelectRun(index))

    def check_action(self, action: str, parameters) -> bool | None:
        """One binding of each key is live (tui/keys.py); the run keys exist only in a comparison
        (hidden from the footer otherwise)."""
        if action == KEYED:
            if not self.key_choice.allows(*parameters):
                return False
            action = action_name(parameters[0])
        if action in ("next_run", "select_run"):
            return is_comparison(self.scenario)
        return True

    async def action_keyed(self, action: str, _lang: str, _footer: bool) -> None:
        """Every key's binding runs its action through here (tui/keys.py)."""
        await self.run_action(action)

    def action_quiz(self) -> None:
        self.quiz.toggle()

    def action_edit(self) -> None:
        self.editing.toggle()

    def action_settings(self) -> None:
        self.editing.settings()

    async def action_save(self) -> None:
        await self.editing.save()

    def on_click(self, event) -> None:
        """Clicking a parameter selects it for editing (terminal mouse and browsers alike)."""
        self.editing.click(event)

    def action_language(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]   # the watcher redraws

    def _retitle(self) -> None:
        for box, key in ((self.main.params_box, "panel.params"), (self.main.lesson_box, "panel.lesson")):
            box.border_title = t(key, self.lang)
        notes = self.main.notes
        notes.border_title = notes.title(self.lang)
        notes.border_subtitle = t("notes.keys", self.lang)
        views = self.main.views
        views.border_title = views.title(self.lang)
        views.border_subtitle = t("view.keys", self.lang)
        targets = ", ".join(self.scenario.data.target_names)
        self.main.table.show_title(f"{t('panel.data', self.lang)} ‒ {targets}")

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
            yield SystemCommand(t(label, self.lang), key_tooltip(action_name(action), label, self.lang),
                                lambda a=action: self.run_action(a))


def run_app(scenario: Scenario, lang: str | None = None, startup_error: str | None = None,
            quiz: bool = False) -> None:
    DltuiApp(scenario, lang, startup_error, quiz).run()
