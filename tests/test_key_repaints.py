"""A panel skips a frame whose inputs are the ones it drew (issue 23); each skip must be safe: after
real keys that change one input (the language, the rate and back, the quiz's masks, the selected
run, another pane), the widgets' text shows the new state — the lecture's hand numbers or the
engine's own — and a worker picture older than the one on screen never replaces it."""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.screen import Screen

from dltui.engine.numbers import fmt, fmt_loss
from dltui.engine.views import VIEWS
from dltui.tui import view_area
from dltui.tui.frames import PictureReady
from dltui.tui.i18n import t
from dltui.tui.panels import CHANGED
from test_render_cost import counted, house_after  # noqa: F401 (a fixture)
from tui_helpers import make_app, parameters_text, status_text, table_rows, wait_ready


def shown_parameters(app) -> list[float]:
    """The values column of the parameters panel, in its order (w1, w2, …, b)."""
    values = []
    for line in parameters_text(app).splitlines():
        parts = line.split()
        if len(parts) >= 2 and re.fullmatch(r"[wb]\d*", parts[0]):
            values.append(float(parts[1]))
    return values


def engine_parameters(snapshot) -> list[float]:
    layer = snapshot.layers[0]
    return [*layer.weight[0].tolist(), *([] if layer.bias is None else layer.bias.tolist())]


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_step_then_the_language_shows_the_new_words_beside_the_same_hand_numbers():
    app = make_app("house_prices", lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "space", "space")
        await press(pilot, "l")                                   # the same snapshot, in Korean
        assert app.lang == "ko"
        w, b, predictions = house_after(2)
        assert shown_parameters(app) == pytest.approx([*w, b], abs=5e-6)
        assert t("col.param", "ko") in parameters_text(app) and t("col.param", "en") not in parameters_text(app)
        assert app.main.table.columns[2].label.plain == t("col.predict", "ko")
        assert [float(row[2]) for row in table_rows(app)] == pytest.approx(predictions, abs=6e-5)
        assert f"{t('step', 'ko')} 2" in status_text(app)


async def test_back_after_a_rate_change_shows_the_state_and_the_rate_the_engine_went_back_to():
    app = make_app("house_prices")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "space", "space")
        await press(pilot, "right_square_bracket")               # the same step, twice the rate
        assert f"{t('lr', 'en')} {fmt(2e-4)}" in status_text(app) and f"{t('step', 'en')} 2" in status_text(app)
        await press(pilot, "space")                               # step 3 at that rate
        assert app.snapshot.step == 3 and app.snapshot.learning_rate == pytest.approx(2e-4)
        await press(pilot, "b")
        snapshot = app.snapshot
        assert shown_parameters(app) == pytest.approx(engine_parameters(snapshot), abs=5e-6)
        assert [float(row[2]) for row in table_rows(app)] == pytest.approx(
            snapshot.predictions.ravel().tolist(), abs=6e-5)
        assert f"{t('lr', 'en')} {fmt(snapshot.learning_rate)}" in status_text(app)
        assert f"{t('step', 'en')} {snapshot.step}" in status_text(app)
        if snapshot.step == 2:                                    # back to the hand numbers
            assert shown_parameters(app) == pytest.approx([*house_after(2)[0], house_after(2)[1]], abs=5e-6)


async def test_the_quiz_masks_come_and_go_on_the_same_snapshot():
    app = make_app("house_prices")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "space", "space")
        shown = app.snapshot
        await press(pilot, "k")                                   # quiz on: a step's predictions are asked
        assert app.snapshot is shown and all(row[2] == "?" for row in table_rows(app)[:3])
        await press(pilot, "k")                                   # quiz off: the same snapshot, shown again
        assert app.snapshot is shown
        assert [float(row[2]) for row in table_rows(app)[:3]] == pytest.approx(house_after(2)[2], abs=6e-5)


async def test_choosing_another_run_of_a_comparison_shows_that_runs_numbers():
    app = make_app("momentum")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "space", "space")
        first = engine_parameters(app.frame.snapshots[0])
        assert shown_parameters(app) == pytest.approx(first, abs=5e-4)
        await press(pilot, "3")                                   # Adam
        assert app.frame.selected == 2
        adam = engine_parameters(app.frame.snapshots[2])
        assert not np.allclose(adam, first, atol=1e-2)            # (else this test could not fail)
        assert shown_parameters(app) == pytest.approx(adam, abs=5e-4)
        assert [float(row[2]) for row in table_rows(app)] == pytest.approx(
            app.frame.snapshots[2].predictions.ravel().tolist(), abs=6e-4)


async def test_another_panes_key_keeps_the_lights_of_what_moved_this_step():
    app = make_app("house_prices")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "space", "space")
        lit = lambda: [str(app.main.table.get_row_at(r)[3].style) for r in range(3)]   # noqa: E731
        assert lit() == [CHANGED] * 3                             # every house's loss term moved
        await press(pilot, "c")                                   # the notes: the same snapshot drawn again
        await press(pilot, "v")
        assert lit() == [CHANGED] * 3


async def test_a_quick_picture_is_drawn_in_the_keys_frame_and_an_older_one_never_replaces_it(monkeypatch):
    boundary = VIEWS["boundary"]
    drawn, asked = [], []            # the step of each boundary picture on screen; what went to the worker
    show_picture, ask = view_area.ViewArea._show_picture, view_area.ViewArea._ask

    def showing(self, request, picture):
        before = self._shown_order
        show_picture(self, request, picture)
        if self._shown_order != before:
            drawn.append((request, picture))

    monkeypatch.setattr(view_area.ViewArea, "_show_picture", showing)
    monkeypatch.setattr(view_area.ViewArea, "_ask", lambda self, request: (asked.append(request), ask(self, request)))
    monkeypatch.setattr(view_area, "QUICK_PICTURE_SECONDS", 10.0)   # whatever the load: quick once timed
    step = lambda index: drawn[index][0].request.snapshot.step      # noqa: E731
    app = make_app("xor")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.views.choice.view is boundary and len(asked) == 1 and step(-1) == 0   # from the worker
        await pilot.press("space")                                # timed now: drawn in the key's own frame
        assert len(asked) == 1 and step(-1) == app.snapshot.step == 1
        monkeypatch.setattr(view_area, "QUICK_PICTURE_SECONDS", 0.0)
        await press(pilot, "space")                               # from the worker again
        assert len(asked) == 2 and step(-1) == 2
        late, picture = drawn[0]                                  # step 0's picture, arriving now
        app.main.views.post_message(PictureReady(late, picture, 0.001))
        await pilot.pause()
        assert step(-1) == 2


async def test_steps_of_a_comparison_lay_nothing_out_and_the_runs_line_follows(counted):
    app = make_app("momentum")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "space", "space")                      # the columns take their widths
        counted["layouts"] = 0
        for _ in range(3):
            await press(pilot, "space")
            runs = app.main.runs.content.plain
            assert [fmt_loss(s.loss) in runs for s in app.frame.snapshots] == [True] * 3
        assert counted["layouts"] == 0


async def test_steps_while_editing_lay_nothing_out_and_the_bar_shows_the_new_value(counted):
    app = make_app("house_prices")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "w")                                   # the bar, on w1
        await press(pilot, "space", "space")
        counted["layouts"] = 0
        for step in (3, 4):
            await press(pilot, "space")
            w1 = house_after(step)[0][0]
            assert f"w1 = {fmt(w1, 10)}" in str(app.main.query_one("#edit-info").content)
        assert counted["layouts"] == 0


async def test_the_code_notes_light_each_phases_line_without_a_layout_pass(monkeypatch):
    from dltui.engine.explain.codegen import training_code

    layouts = []                    # passes that lay widgets out (not the code box scrolling to its line)
    refresh_layout = Screen._refresh_layout

    def counting(self, *args, **kwargs):
        layouts.append(self._layout_required)
        return refresh_layout(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    app = make_app("house_prices")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await press(pilot, "c", "space")                          # the PyTorch loop beside the table
        code = training_code(app.scenario)
        layouts.clear()
        lit = set()
        for _ in range(5):                                        # forward rows, loss, backward, update
            await press(pilot, "full_stop")
            line = code.line_of(app.snapshot.phase)
            assert app.main.notes.code.content.highlight_lines == {line}
            lit.add(line)
        assert len(lit) >= 3 and not any(layouts)
