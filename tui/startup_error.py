"""The scenario named on the command line could not be opened: a dialog that stays until closed.

A toast fades in seconds; a class looking at the projector would miss it and wonder why the
default scenario is on screen. This dialog names the file, says what is shown instead, and
stays until Enter or Esc.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from .i18n import t


class StartupErrorScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,space", "dismiss", show=False)]
    DEFAULT_CSS = """
    StartupErrorScreen { align: center middle; }
    StartupErrorScreen > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
                                    border: thick $error; background: $surface; padding: 1 2; }
    StartupErrorScreen #startup-error-detail { color: $error; margin-top: 1; }
    """

    def __init__(self, error: str, shown_instead: str, lang: str):
        super().__init__()
        self.error, self.shown_instead, self.lang = error, shown_instead, lang

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("startup.title", self.lang)
            box.border_subtitle = t("startup.close", self.lang)
            yield Static(t("startup.body", self.lang, title=self.shown_instead), id="startup-error-body")
            yield Static(self.error, id="startup-error-detail", markup=False)
