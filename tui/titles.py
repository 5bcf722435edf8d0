"""Border titles cut to their box by us, ending in ⋯ (narrow in every font): Textual would cut a
too-long title with … , which Korean fonts draw two cells wide over the border beside it."""

from __future__ import annotations

from rich.text import Text

from .wrap import cut

FRAME = 6   # a border title's box keeps "╭─ " and " ─╮" around it


def fitted_title(text: str, box_width: int) -> str:
    """`text` whole when it fits a box `box_width` cells wide (or the box is not laid out yet),
    else as many of its cells as fit, then ⋯."""
    return text if box_width <= 0 else cut(Text(text), box_width - FRAME).plain


class FittedTitle:
    """A widget whose border title is `whole_title` cut to its width, again whenever it resizes."""

    whole_title: str = ""

    def show_title(self, text: str) -> None:
        self.whole_title = text
        self.fit_title()

    def fit_title(self) -> None:
        self.border_title = fitted_title(self.whole_title, self.size.width)

    def on_resize(self, event) -> None:
        self.fit_title()
