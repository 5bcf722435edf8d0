"""A pane that has just changed what it wants (a landscape's visited path, the notes' autograd
graph) gets it from the session through a worker like every intent: nothing is asked of the
session on the UI thread, and the frame that comes back is drawn without another key."""

from __future__ import annotations

import threading

import pytest

from dltui.engine.frame import Needs
from dltui.tui.notes import NotesArea
from dltui.tui.view_area import ViewArea
from tui_helpers import make_app, wait_ready, wait_until


@pytest.mark.asyncio
async def test_new_wants_are_answered_in_a_worker_and_drawn_when_they_come():
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        ui, calls, drawn = threading.get_ident(), [], []
        handle = app.session.handle

        def recorded(intent, needs=Needs()):
            calls.append((type(intent).__name__, threading.get_ident() == ui, needs))
            return handle(intent, needs)

        app.session.handle = recorded
        views, notes = app.main.query_one(ViewArea), app.main.query_one(NotesArea)
        draw_view, draw_notes = views.draw, notes.draw
        views.draw = lambda scenario, frame, lang, force=False: (drawn.append(("view", frame)),
                                                                 draw_view(scenario, frame, lang, force))
        notes.draw = lambda scenario, frame, lang: (drawn.append(("notes", frame)), draw_notes(scenario, frame, lang))
        for _ in range(8):                          # to a landscape: it wants the visited path
            await pilot.press("v")
            await pilot.pause()
            if views.needs()[1]:
                break
        assert views.choice.view.path               # a landscape: it draws the visited path
        await wait_until(pilot, lambda: any(kind == "view" and frame.path is not None for kind, frame in drawn))
        for _ in range(3):                          # to the notes' autograd graph
            await pilot.press("c")
            await pilot.pause()
            if notes.note == "graph":
                break
        await wait_until(pilot, lambda: any(kind == "notes" and frame.graph is not None for kind, frame in drawn))
        assert app.snapshot.step == 1               # nothing moved: the same step, now with more in it
    asked = [needs for name, _, needs in calls if name == "Show"]
    assert any(n.path for n in asked) and any(n.graph for n in asked)
    assert not [name for name, on_ui, _ in calls if on_ui], calls
    assert all(frame.snapshot.step == 1 for _, frame in drawn)
