"""Modal screens: help, and the scenario picker."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from dltui.engine import Scenario, ScenarioError, open_scenario
from .course_nav import course_options
from dltui.words.errors import scenario_error_text
from .i18n import HELP, t


class HelpScreen(ModalScreen[None]):
    """What this screen shows now and the keys that matter there, then every key, every panel and
    the glossary, in the current language (words.help)."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", show=True)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: thick $primary;
                                  background: $surface; padding: 0 1; }
    """

    def __init__(self, lang: str, text: str | None = None):
        super().__init__()
        self.lang = lang
        self.text = HELP[lang] if text is None else text

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = t("help.title", self.lang)
            scroll.border_subtitle = t("help.close", self.lang)
            yield Markdown(self.text, id="help-text")


class OpenScreen(ModalScreen[Scenario | None]):
    """Pick a bundled scenario or type a path; a broken file shows its message here."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", show=True)]
    DEFAULT_CSS = """
    OpenScreen { align: center middle; }
    OpenScreen > Vertical { width: 90%; max-width: 110; height: 90%; max-height: 30;
                            border: thick $primary; background: $surface; padding: 0 1; }
    OpenScreen OptionList { height: 1fr; min-height: 3; }
    OpenScreen #open-error { color: $error; height: auto; }
    OpenScreen Label { margin-top: 1; }
    """

    def __init__(self, lang: str, served=None, current: str | None = None):
        super().__init__()
        self.lang = lang
        self.served = served   # a tui.served.Served in `dltui serve`: its files only, no free path
        self.current = current   # the lesson on screen: highlighted, so the list shows where you are

    def on_mount(self) -> None:
        options = self.query_one("#open-list", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        if self.current in ids:
            options.highlighted = ids.index(self.current)

    def compose(self) -> ComposeResult:
        if self.served is not None:
            yield from self._compose_served()
            return
        with Vertical() as box:
            box.border_title = t("open.title", self.lang)
            box.border_subtitle = t("open.cancel", self.lang)
            yield Label(t("open.bundled", self.lang))
            yield OptionList(*course_options(self.lang), id="open-list")
            yield Label(t("open.path", self.lang))
            yield Input(placeholder=t("open.placeholder", self.lang), id="open-path")
            yield Static("", id="open-error", markup=False)

    def _compose_served(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("open.title", self.lang)
            box.border_subtitle = t("open.cancel", self.lang)
            yield Label(t("open.bundled", self.lang))
            yield OptionList(*course_options(self.lang), *self.served.options(self.lang), id="open-list")
            yield Static("", id="open-error", markup=False)

    @on(OptionList.OptionSelected, "#open-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if self.served is not None:
            self._try(event.option.id, lambda choice: self.served.open(choice))
            return
        self._try(event.option.id)

    @on(Input.Submitted, "#open-path")
    def _typed(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self._try(str(Path(path).expanduser()))

    def _try(self, name_or_path: str, opener=open_scenario) -> None:
        try:
            scenario = opener(name_or_path)
        except ScenarioError as exc:
            self.query_one("#open-error", Static).update(
                f"{t('open.error', self.lang)}\n{scenario_error_text(exc, self.lang)}")
            return
        self.dismiss(scenario)

