"""Pictures that read at a glance (issue 12): the lit forward row, chart frames in Korean,
legends that list only what is drawn."""

from __future__ import annotations

import pytest
from marks import slow_beyond

from dltui.engine.frame import Needs
from dltui.engine.intents import Show
from dltui.tui.panels import RowsTable
from tui_helpers import make_app, wait_ready


def _lit_rows(table: RowsTable) -> list[int]:
    """Data rows (1-based) whose rendered line carries the reverse attribute somewhere."""
    lit = []
    for index in range(table.row_count):
        strip = table.render_line(1 + index)   # line 0 is the header
        if any(seg.style is not None and seg.style.reverse for seg in strip):
            lit.append(index + 1)
    return lit


@pytest.mark.asyncio
async def test_the_forward_pass_lights_the_row_it_computes_and_only_it():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        table = app.main.query_one(RowsTable)
        assert _lit_rows(table) == []                   # no cursor bar parked on row 1
        await pilot.press("full_stop")
        await pilot.pause()
        assert _lit_rows(table) == [1]
        await pilot.press("full_stop")                  # style-only change: must still be written
        await pilot.pause()
        assert _lit_rows(table) == [2]
        await pilot.press("full_stop", "full_stop")     # row 3, then the loss: nothing lit
        await pilot.pause()
        assert _lit_rows(table) == []


# ------------------------------------------------------------------ frames and legends

import re
import unicodedata

from rich.text import Text

from dltui.tui.app import KEYS
from dltui.tui.i18n import t
from dltui.tui.layout import fit_status, footer_actions
from dltui.tui.canvas import Canvas, framed
from dltui.tui.plotting import Chart, LegendEntry, legend_drawn, nice_ticks, tick_labels, wants_log
from tui_helpers import write
from said import english


def _cells(line: str) -> list[str]:
    """One entry per terminal cell: a wide (Hangul) character fills two (as in a real terminal)."""
    out: list[str] = []
    for char in line:
        if unicodedata.combining(char) and out:   # m̂: the hat sits on the m's cell
            out[-1] += char
            continue
        out.append(char)
        if unicodedata.east_asian_width(char) in "WF":
            out.append("")
    return out


def broken_frames(lines: list[str], cols: int) -> list[str]:
    """Chart boxes (┌──┐ or ┌─┬─┐ ⋯ └──┘) whose left or right edge is missing on a row below, and rows
    wider than the terminal: what a wide character counted as one cell does to a plotext chart."""
    rows = [_cells(line) for line in lines]
    bad = [f"wider than {cols}: {line}" for line, row in zip(lines, rows) if len(row) > cols]
    for i, row in enumerate(rows):
        text = "".join(row)
        for match in re.finditer("┌[─┬]+┐", text):
            left = len(_cells(text[: match.start()]))
            right = left + (match.end() - match.start()) - 1
            for below in rows[i + 1:]:
                lc = below[left] if left < len(below) else " "
                rc = below[right] if right < len(below) else " "
                if lc == "└" or rc == "┘":
                    break
                if lc not in "│┤├┼" or rc not in "│┤├┼":
                    bad.append(f"chart edge broken: {''.join(below).rstrip()}")
                    break
    return bad


def screen_lines(app) -> list[str]:
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def _small_chart():
    """A framed chart as Chart draws one: a braille curve and a marker, ASCII tick labels."""
    canvas = Canvas(40, 6, (0, 3), (0, 0.6))
    canvas.braille_line([0, 1, 2, 3], [0.567, 0.49, 0.42, 0.349], (90, 160, 255))
    canvas.points([1], [0.49], "✦", (0, 215, 255))
    return framed(canvas, [0, 1, 2, 3], ["0", "1", "2", "3"], [0, 0.3, 0.6], ["0", "0.3", "0.6"])


def test_the_frame_check_catches_a_korean_word_inside_a_chart():
    """Words inside the plot (plotext's way, a Hangul character taken for one cell) break the frame
    in a real terminal; the check sees it, and passes the chart as drawn."""
    lines = _small_chart().plain.splitlines()
    assert broken_frames(lines, 50) == []
    lines[3] = lines[3][:6] + "손실" + lines[3][8:]      # two characters replaced, four cells drawn
    assert broken_frames(lines, 50)


def test_the_legend_check_catches_an_entry_not_drawn():
    body = _small_chart()
    assert legend_drawn(body, LegendEntry("━", (90, 160, 255), "loss", "braille"))
    assert legend_drawn(body, LegendEntry("✦", (0, 215, 255), "now", "✦"))
    assert not legend_drawn(body, LegendEntry("•", (235, 235, 235), "path", "•"))       # never drawn
    assert not legend_drawn(body, LegendEntry("✦", (230, 50, 50), "wrong", "✦"))       # other colour


async def _check_every_view(app, pilot, cols: int) -> list[str]:
    """Step through every view; frame problems and undrawn legend entries, per view."""
    from dltui.engine.pictures.registry import available_views
    from dltui.tui.view_area import ViewArea

    problems = []
    area = app.main.query_one(ViewArea)
    for _ in available_views(app.scenario, app.snapshot):
        await pilot.press("v")
        await pilot.pause(0.2)
        for problem in broken_frames(screen_lines(app), cols):
            problems.append(f"{area.choice.view.name}: {problem}")
        for chart in app.main.query(Chart):
            if chart.display and chart.region.area and chart.parent.display:
                caption = chart.caption().plain     # a series drawn over by another is named as covered
                problems += [f"{area.choice.view.name}: legend lists {e.label!r}, not drawn"
                             for e in chart.undrawn_legend() if f"{e.label} (가려짐)" not in caption]
    return problems


@pytest.mark.asyncio
@pytest.mark.parametrize("scenario,size", slow_beyond([("house_prices", (120, 36)), ("xor", (120, 36)),
                                                       ("iris", (100, 30)), ("house_prices", (80, 24))],
                                                      fast=[("house_prices", (80, 24))]))
async def test_every_korean_chart_keeps_its_frame_and_legends_list_what_is_drawn(scenario, size):
    app = make_app(scenario, lang="ko")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", "space", "space")
        assert await _check_every_view(app, pilot, size[0]) == []


@pytest.mark.asyncio
async def test_a_diverging_loss_is_drawn_on_a_log_scale_that_says_so(tmp_path):
    from dltui.tui.charts import LossChart

    scenario = write(tmp_path / "blowup.toml", """
title = "blow up"
[data]
features = ["a", "b", "c"]
target = "y"
rows = [[32, 3, 0.3, 6.0], [33, 3, 0.5, 7.0], [36, 4, 0.5, 8.5]]
[[model.layers]]
units = 1
weight = [[0.1, 0.3, 4.0]]
bias = [0.5]
[train]
loss = "mse"
learning_rate = 0.01
""")
    app = make_app(str(scenario), lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["space"] * 12)
        await pilot.pause(0.2)
        assert app.snapshot.loss > 1e6 * app.session.handle(Show(), Needs(loss_points=2)).loss[1][0]   # many orders of magnitude
        chart = app.main.query_one(LossChart)
        assert chart.log_y and t("pic.log_y", "ko") in chart.caption().plain
        lines = screen_lines(app)
        assert broken_frames(lines, 120) == []
        labels = [m.group(1) for line in lines for m in re.finditer(r"│\s*([-0-9.e+]+)┤", line)]
        assert labels and all(len(label) <= 6 for label in labels), labels   # 1e12, never 31 digits


def test_ticks_are_round_and_whole_for_steps_and_rows():
    assert nice_ticks(0, 3, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(1, 150, integer=True) == [0, 50, 100, 150]
    assert nice_ticks(0.334, 0.567, 4) == [0.3, 0.4, 0.5, 0.6]
    assert tick_labels([0.6925, 0.69255, 0.6926]) == ["0.69250", "0.69255", "0.69260"]   # apart
    # every tick as it is: 2.5 steps once read -2, 2 and 0.2, 0.8 (apart, but not the ticks)
    assert tick_labels(nice_ticks(-5, 5)) == ["-5.0", "-2.5", "0", "2.5", "5.0"]
    assert tick_labels(nice_ticks(0, 1)) == ["0", "0.25", "0.50", "0.75", "1.00"]
    assert tick_labels([0.0001, 0.0002, 0.0003]) == ["0.0001", "0.0002", "0.0003"]
    assert wants_log([0.5, 3e8]) and not wants_log([0.349, 0.567])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_status_line_fits_one_row_at_120_and_80_columns(lang):
    parts = [(f"{t('step', lang)} 1234", "", 9), (f"{t('phase', lang)}: {t('phase.backward', lang)}", "", 8),
             (f"{t('lr', lang)} 0.0001", "", 5), ("adam", "", 1), (f"{t('loss', lang)} (cross_entropy) 0.218", "", 10),
             (f"{t('test_loss', lang)} 0.301", "", 4), (f"{t('accuracy', lang)} 97%", "", 6)]
    title = "붓꽃 분류 ‒ 실제 데이터 (Iris species, real data)"
    for width in (118, 78):
        text = fit_status(title, parts, width)
        assert text.cell_len <= width
        assert "1234" in text.plain and "0.218" in text.plain     # step and loss always stay
    assert "붓꽃" in fit_status(title, parts, 118).plain


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_footer_shows_whole_keys_that_fit_and_always_help(lang):
    for width in (120, 100, 80, 40):
        shown = footer_actions(KEYS, lambda label: t(label, lang), width)
        assert "help" in shown
    # at 80 columns a student walking the course alone keeps the lesson (m) and the next lesson (>)
    assert {"step", "phase", "back", "lesson", "next_lesson"} <= footer_actions(KEYS, lambda l: t(l, lang), 80)
    assert {"play", "next_view"} <= footer_actions(KEYS, lambda l: t(l, lang), 120)


def test_long_tree_and_explanation_lines_wrap_under_their_indentation():
    from rich.console import Console

    from dltui.tui.wrap import HangingLines

    lines = [Text("└─ AddmmBackward0  z = a1⋅Wᵀ + b (layer 2)  value [-0.118283, -0.176963]"),
             Text("   ├─ SigmoidBackward0  a1 = sigmoid(z) (layer 1)  value [0.548952, 0.600638, 0.701781]"),
             Text("   │  └─ AddmmBackward0  z = x⋅Wᵀ + b (layer 1)")]
    console = Console(width=40, color_system=None)
    with console.capture() as capture:
        console.print(HangingLines(lines))
    out = capture.get().splitlines()
    assert out[0].startswith("└─ AddmmBackward0")
    assert out[1].startswith("     ") and out[1].strip()          # under its text, not at the edge
    sigmoid = next(i for i, line in enumerate(out) if "SigmoidBackward0" in line)
    assert out[sigmoid + 1].startswith("   │    ")                 # the tree's bar goes on
    assert all(len(line) <= 40 for line in out)
    assert any(line.startswith("   │  └─ AddmmBackward0") for line in out)
    assert out[-1].startswith("   │       ")                      # a └─ branch continues without bar


def test_a_scenario_names_the_view_it_opens_on_and_a_wrong_name_says_which_exist(tmp_path):
    from dltui.engine import open_scenario
    from dltui.engine.load.reader import ScenarioError

    assert open_scenario("xor").display["view"] == "boundary"
    assert open_scenario("paint_mixing").display["view"] == "paint"
    bad = write(tmp_path / "bad.toml", """
title = "t"
[data]
features = ["a"]
target = "y"
rows = [[1, 2], [2, 4]]
[[model.layers]]
units = 1
[train]
loss = "mse"
learning_rate = 0.1
[display]
view = "boundry"
""")
    with pytest.raises(ScenarioError) as error:
        open_scenario(str(bad))
    assert "display.view" in english(error.value) and "boundary" in english(error.value)


@pytest.mark.asyncio
async def test_xor_opens_on_its_decision_boundary():
    from dltui.tui.view_area import ViewArea

    app = make_app("xor", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        area = app.main.query_one(ViewArea)
        assert area.choice.view.name == "boundary" and area.current == "view-boundary"


@pytest.mark.asyncio
async def test_on_a_small_screen_v_m_and_c_bring_up_the_picture_the_lesson_and_the_notes():
    from dltui.tui.charts import LossChart
    from dltui.tui.view_area import ViewArea

    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        screen = app.main
        # the lesson opens in the one free pane; a step brings the arithmetic back in its place
        assert not screen.query_one("#views").display and screen.query_one("#lesson-box").display
        await pilot.press("space", "v")
        await pilot.pause(0.3)
        assert screen.query_one("#views").display and screen.query_one(ViewArea).choice.view.name == "loss"
        chart = screen.query_one(LossChart)
        assert chart.legend and chart.drawn is not None and chart.undrawn_legend() == []
        assert any(0x2800 < ord(c) <= 0x28FF for c in chart.drawn.plain)    # the curve is there
        await pilot.press("v")                                              # then v steps views
        assert screen.query_one(ViewArea).choice.view.name == "landscape1d"
        await pilot.press("m")
        await pilot.pause()
        assert screen.query_one("#lesson-box").display and not screen.query_one("#explain-box").display
        await pilot.press("c")
        await pilot.pause()
        assert screen.query_one("#explain-box").display and not screen.query_one("#views").display
        assert broken_frames(screen_lines(app), 80) == []
