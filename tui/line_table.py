"""A table drawn line by line (Textual's Line API) from one cached strip per row.

A training step changes a few cells of some rows. Textual's DataTable repaints, measures and lays
the screen out again for each updated cell (15‒18 ms a key for 18 cells). Here a row is rendered
again only when one of its cells changed, and only when it is in view: a long table renders the
rows on screen, never the rest. The header stays on top while the rows scroll (arrows, page keys,
the mouse wheel). Columns only widen, as DataTable's do, so the numbers do not jump left and right
as they change; the screen is laid out again only when the table's size (a row more, a wider
column) changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAD = 1   # blank cells on each side of a column's text


@dataclass
class Column:
    label: Text
    width: int


def same_cell(a: Text, b: Text) -> bool:
    """Equal text AND equal style (rich's Text.__eq__ compares only the text and its spans)."""
    return a is b or (a.plain == b.plain and a.style == b.style and a.spans == b.spans)


def same_row(a: list[Text], b: list[Text]) -> bool:
    return len(a) == len(b) and all(same_cell(x, y) for x, y in zip(a, b))


class LineTable(ScrollView, can_focus=True):
    """Rows of Text cells under a header of column labels."""

    COMPONENT_CLASSES = {"line-table--header", "line-table--even-row"}

    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .line-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .line-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .line-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .line-table--even-row { background: $surface-darken-1 40%; }
    }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.columns: dict[int, Column] = {}
        self._cells: list[list[Text]] = []
        self._keys: list[str] = []
        self._strips: dict[int, Strip] = {}      # row index → its rendered line (cropped at draw time)
        self._header: Strip | None = None
        self._styles: tuple | None = None        # (base, header, even row) the strips were drawn with
        self.renders = 0                         # rows rendered so far (what a step costs, for tests)

    # ------------------------------------------------------------------ content

    @property
    def row_count(self) -> int:
        return len(self._cells)

    def get_row_at(self, index: int) -> list[Text]:
        return self._cells[index]

    def set_columns(self, labels: list[Text], widths: tuple[int, ...] = ()) -> None:
        """New columns (as wide as their labels, or `widths` where wider) and no rows."""
        widths = [*widths, *[0] * (len(labels) - len(widths))]
        self.columns = {index: Column(label, max(label.cell_len, width))
                        for index, (label, width) in enumerate(zip(labels, widths))}
        self._cells, self._keys = [], []
        self._forget()

    def set_rows(self, rows: list[tuple[str, list[Text]]]) -> None:
        """Show `rows` (key, cells): a new set of keys redraws every row, the same keys only the
        rows whose cells differ."""
        keys = [key for key, _ in rows]
        cells = [row for _, row in rows]
        same_keys = keys == self._keys
        before = self._cells if same_keys else [[]] * len(cells)
        changed = [index for index, row in enumerate(cells) if not same_row(row, before[index])]
        self._keys, self._cells = keys, cells
        if self._widen(changed, before) or not same_keys:
            self._forget()
        elif changed:
            for index in changed:
                self._strips.pop(index, None)
            self._refresh_rows(changed)
        self._resize()

    def keep_in_view(self, index: int) -> None:
        """Scroll just enough that row `index` shows below the header."""
        shown = self.scrollable_content_region.height - 1
        if shown <= 0:
            return
        top = round(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + shown:
            self.scroll_to(y=index - shown + 1, animate=False)

    def _widen(self, changed: list[int], before: list[list[Text]]) -> bool:
        """Columns as wide as their widest cell so far (a cell kept from `before` is measured
        already); True if one grew."""
        grew = False
        for index in changed:
            kept = [*before[index], *[None] * (len(self.columns) - len(before[index]))]
            for column, cell, old in zip(self.columns.values(), self._cells[index], kept):
                if cell is not old and cell.cell_len > column.width:
                    column.width, grew = cell.cell_len, True
        return grew

    def _forget(self) -> None:
        self._strips.clear()
        self._header = None
        self.refresh()

    def _refresh_rows(self, changed: list[int]) -> None:
        """Repaint the lines of the changed rows that are in view (one region from first to last)."""
        top = round(self.scroll_y)
        bottom = top + self.size.height - 1   # (a property: read once, not once a changed row)
        shown = [index for index in changed if top <= index < bottom]
        if shown:
            self.refresh_lines(1 + shown[0], shown[-1] - shown[0] + 1)

    def _resize(self) -> None:
        width = sum(column.width + 2 * PAD for column in self.columns.values())
        size = Size(width, 1 + len(self._cells))
        if size != self.virtual_size:   # a layout pass only when the table's size changed
            self.virtual_size = size

    # ------------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def render_lines(self, crop):
        self._current_styles()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        base, header, even = self._styles or self._current_styles()
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            style = base + header
            if self._header is None:
                self._header = self._line([column.label for column in self.columns.values()], style)
            strip = self._header
        else:
            index = y - 1 + scroll_y
            if index >= len(self._cells):
                return Strip.blank(self.size.width, base)
            style = base + even if index % 2 == 0 else base   # zebra stripes, as far as the widget is wide
            strip = self._strips.get(index)
            if strip is None:
                strip = self._strips[index] = self._line(self._cells[index], style)
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, style)

    def _current_styles(self) -> tuple[Style, Style, Style]:
        """The widget's, the header's and the even rows' styles; new ones (a theme, the focus) redraw all."""
        styles = (self.rich_style, self.get_component_rich_style("line-table--header"),
                  self.get_component_rich_style("line-table--even-row"))
        if styles != self._styles:
            self._strips.clear()
            self._header = None
            self._styles = styles
        return styles

    def _line(self, cells: list[Text], style: Style) -> Strip:
        self.renders += 1
        line = Text()
        for column, cell in zip(self.columns.values(), cells):
            line.append(" " * PAD)
            line.append_text(cell)
            line.append(" " * (column.width - cell.cell_len + PAD))
        return Strip(line.render(self.app.console), line.cell_len).apply_style(style)
