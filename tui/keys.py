"""The app's key bindings, made once, in every language, with ids and tooltips.

Textual has no public way to change a binding's words at runtime (textual#1410). So each key is
bound once per language, and once more as a hidden twin when the footer has room for it; each
binding's action is `keyed(action, lang, footer)`, and the app's `check_action` lets exactly one
of a key's bindings through (`KeyChoice.allows`): the screen's language, shown in the footer when
it fits the width. The footer, the key panel and the key itself then read the chosen binding.
A binding's id is its action's name, shared by its languages, so `App.set_keymap({"step": "j"})`
moves the key in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from textual.binding import Binding

KEYED = "keyed"            # the action every binding runs: keyed(action, lang, footer)
RUN_KEYS = 9               # in a comparison, 1 … 9 choose the run the tables follow


def keyed(action: str, lang: str, footer: bool) -> str:
    return f"{KEYED}({action!r}, {lang!r}, {footer})"


def action_name(action: str) -> str:
    """select_run(2) → select_run."""
    return action.split("(")[0]


def key_bindings(keys: list[tuple[str, str, str, bool]], langs: tuple[str, ...], describe: Callable,
                 tooltip: Callable, palette_key: str, palette_display: str | None) -> list[Binding]:
    """Every binding of app.KEYS rows, the run keys and the command palette, for every language.
    `describe(label_key, lang)` gives a key's words, `tooltip(action, label_key, lang)` its sentence."""
    bindings = []
    for lang in langs:
        for key, action, label, show in keys:
            for footer in (True, False) if show else (False,):
                # tab would otherwise move the focus: its binding comes first (priority)
                bindings.append(Binding(key, keyed(action, lang, footer), describe(label, lang), show=footer,
                                        priority=key == "tab", id=action,
                                        tooltip=tooltip(action, label, lang)))
        for n in range(1, RUN_KEYS + 1):
            bindings.append(Binding(str(n), keyed(f"select_run({n - 1})", lang, False),
                                    describe("key.select_run", lang), show=False, id=f"select_run_{n}",
                                    tooltip=tooltip("select_run", "key.select_run", lang)))
        bindings.append(Binding(palette_key, keyed("command_palette", lang, False), describe("key.palette", lang),
                                show=False, key_display=palette_display, priority=True, id="command_palette",
                                tooltip=tooltip("command_palette", "key.palette", lang)))
    return bindings


@dataclass
class KeyChoice:
    """Which of a key's bindings is live: the screen's language, and the footer's or the hidden
    twin by whether the footer has room for that key (layout.footer_actions)."""
    lang: str
    footer: set[str] = field(default_factory=set)

    def allows(self, action: str, lang: str, footer: bool) -> bool:
        return lang == self.lang and footer == (action_name(action) in self.footer)
