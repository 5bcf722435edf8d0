"""The chart canvas (tui/canvas.py) against hand-worked cells: braille dots, where a point lands,
where ticks go, what covers what, and numbers no chart can scale."""

from __future__ import annotations

import numpy as np
import pytest

from dltui.tui.canvas import Canvas, framed
from dltui.tui.plotting import LegendEntry, finite_array, legend_drawn

BLUE, RED = (0, 114, 178), (213, 94, 0)


def cells(canvas: Canvas) -> list[str]:
    return [chars for chars, _runs in canvas.rows()]


def test_a_diagonal_through_one_cell_is_the_braille_character_worked_by_hand():
    # one cell = 2 × 4 dots; (0, 0) → (1, 1) steps through dots (col, row from top) (0, 3), (0, 2),
    # (1, 1), (1, 0): Unicode braille dots 7, 3, 5, 4 = 0x40 + 0x04 + 0x10 + 0x08 → U+285C ⡜
    canvas = Canvas(1, 1, (0, 1), (0, 1))
    canvas.braille_line([0, 1], [0, 1], BLUE)
    assert cells(canvas) == ["\u285c"]


def test_a_flat_line_at_the_bottom_fills_the_lowest_dots_of_every_cell():
    canvas = Canvas(3, 2, (0, 1), (0, 1))
    canvas.braille_line([0, 1], [0, 0], BLUE)
    assert cells(canvas) == ["   ", "⣀⣀⣀"]      # dots 7 and 8 (0x40 + 0x80)


def test_a_point_lands_in_its_cell_and_the_frame_puts_it_beside_its_ticks():
    canvas = Canvas(11, 5, (0, 10), (0, 4))
    canvas.points([3], [1], "✦", BLUE)          # column 3 of 0 ⋯ 10, row 1 of 0 ⋯ 4 (from the bottom)
    lines = framed(canvas, [0, 5, 10], ["0", "5", "10"], [0, 2, 4], ["0", "2", "4"]).plain.splitlines()
    assert lines == [" ┌───────────┐",
                     "4┤           │",
                     " │           │",
                     "2┤           │",
                     " │   ✦       │",
                     "0┤           │",
                     " └┬────┬────┬┘",
                     "  0    5   10 "]          # a label centred under its tick (the longer half left)


def test_x_labels_that_would_touch_are_left_out_not_run_together():
    canvas = Canvas(6, 1, (0, 5), (0, 1))
    row = framed(canvas, list(range(6)), ["100", "101", "102", "103", "104", "105"], [], []).plain.splitlines()[-1]
    assert row == "100 104 "     # 101 ⋯ 103 would touch 100, 105 would touch 104


def test_a_later_series_covers_an_earlier_one_and_the_legend_check_sees_it():
    canvas = Canvas(5, 3, (0, 4), (0, 2))
    canvas.points([2], [1], "◼", BLUE)
    canvas.points([2], [1], "✦", RED)            # the same cell: the later one shows, in its colour
    canvas.points([4], [2], "◼", BLUE)
    body = framed(canvas, [], [], [], [])
    assert cells(canvas) == ["    ◼", "  ✦  ", "     "]
    assert legend_drawn(body, LegendEntry("✦", RED, "wrong", "✦"))
    assert legend_drawn(body, LegendEntry("◼", BLUE, "target", "◼"))   # still seen at (4, 2)
    canvas.points([4], [2], "✦", RED)
    assert not legend_drawn(framed(canvas, [], [], [], []), LegendEntry("◼", BLUE, "target", "◼"))


def test_a_line_over_a_marker_takes_its_cell_and_a_vertical_line_stays_under_both():
    canvas = Canvas(3, 1, (0, 2), (0, 1))
    canvas.points([1], [0], "◼", BLUE)
    canvas.braille_line([0, 2], [0, 0], RED)    # y 0: the lowest dots (7 and 8) of each cell
    canvas.vline(0, "│", BLUE)                  # drawn after the line, yet under it
    canvas.points([2], [1], "✦", BLUE)          # drawn last: takes the line's last cell
    assert cells(canvas) == ["⣀⣀✦"]
    empty = Canvas(3, 2, (0, 2), (0, 1))
    empty.vline(1, "│", BLUE)
    assert cells(empty) == [" │ ", " │ "]
    lines = framed(canvas, [0, 2], ["0", "2"], [], []).plain.splitlines()
    assert lines[0] == "┌┬──┐" and lines[-2] == "└┼─┬┘"   # the line's column on both edges, seen though covered


@pytest.mark.parametrize("values", [[np.nan, np.inf, -np.inf], [1e300, -1e300, 3e307], [0.5, np.nan, 1e30]])
def test_numbers_no_chart_can_scale_draw_without_crashing(values):
    xs, ys = finite_array(range(len(values))), finite_array(values)
    canvas = Canvas(10, 4, (0, 2), (0, 1))
    canvas.braille_line(xs, ys, BLUE)
    canvas.points(xs, ys, "✦", RED)
    canvas.vline(1e30, "│", RED)
    assert all(len(row) == 10 for row in cells(canvas))


def test_a_line_to_a_point_far_off_the_chart_still_draws_the_part_that_shows():
    canvas = Canvas(5, 1, (0, 1), (0, 1))
    canvas.braille_line([0, 1e30], [0.5, 0.5], BLUE)     # flat at y 0.5: dot row 2 of 4 from the bottom
    assert cells(canvas) == ["⠒" * 5]                     # dots 2 and 5 (0x02 + 0x10) in every cell


def test_a_flat_axis_puts_its_one_value_at_the_start_instead_of_dividing_by_zero():
    canvas = Canvas(3, 1, (2, 2), (0, 1))
    canvas.points([2], [0], "✦", BLUE)
    assert cells(canvas) == ["✦  "]


def test_a_line_passes_through_the_dot_of_every_point_it_joins():
    rng = np.random.default_rng(3)
    xs, ys = np.sort(rng.uniform(0, 10, 12)), rng.uniform(-1, 1, 12)
    width, height = 30, 6
    canvas = Canvas(width, height, (0, 10), (-1, 1))
    canvas.braille_line(xs, ys, BLUE)
    for x, y in zip(xs, ys):   # the dot nearest (x, y): 2 × 4 dots a cell, y counted from the bottom
        dot_x = int(np.floor(x / 10 * (2 * width - 1) + 0.5))
        dot_y = 4 * height - 1 - int(np.floor((y + 1) / 2 * (4 * height - 1) + 0.5))
        bit = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]][dot_x % 2][dot_y % 4]
        assert canvas.dots[dot_y // 4, dot_x // 2] & bit, (x, y)
