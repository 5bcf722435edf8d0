"""Which pane shows where on small terminals (issue 12): every view and the lesson reachable.

Below COMPACT size (app.py) the main screen has room for the table, the parameters and one more
pane. That pane is the notes (`c`), the picture (`v`) or the lesson (`m`); the key that names a
pane brings it up, pressed again it does its usual job (next note, next view, scroll the lesson).
"""

from __future__ import annotations

PANES = ("notes", "views", "lesson")


def current_pane(screen) -> str:
    for pane in PANES[1:]:
        if screen.has_class(f"show-{pane}"):
            return pane
    return "notes"


def show_pane(screen, pane: str) -> None:
    for other in PANES[1:]:
        screen.set_class(other == pane, f"show-{other}")


def bring_up(screen, pane: str) -> bool:
    """On a compact screen, switch to `pane` if another one shows. True when it switched (the
    key's usual action should then not run as well)."""
    if not screen.has_class("compact") or current_pane(screen) == pane:
        return False
    show_pane(screen, pane)
    return True


def open_lesson(screen) -> None:
    """A lesson just opened starts at its top (not where the last one was left) and takes the one
    pane beside the table on a compact screen: the student reads what to press before pressing it."""
    screen.lesson_box.scroll_home(animate=False)
    show_pane(screen, "lesson")


def lesson_to_notes(screen) -> None:
    """`.` / space while the lesson holds the compact screen's one pane: the arithmetic they make
    takes the pane back (`m` brings the lesson again)."""
    if screen.has_class("compact") and current_pane(screen) == "lesson":
        show_pane(screen, "notes")


def scroll_lesson(box) -> None:
    """A page down; back to the top past the end (the lesson pane's own key, `m`)."""
    if box.scroll_y >= box.max_scroll_y:
        box.scroll_home(animate=False)
    else:
        box.scroll_page_down(animate=False)


# ------------------------------------------------------------------ footer and status line

from rich.cells import cell_len  # noqa: E402
from rich.text import Text  # noqa: E402

from dltui.engine import symbols  # noqa: E402
from .wrap import cut  # noqa: E402

# footer keys, most useful first; `?` (help lists every key) is always kept. The lesson (`m`) and the
# next lesson (`>`) come right after the step keys: a student walking the course alone needs them at 80×24.
FOOTER_PRIORITY = ("help", "step", "phase", "lesson", "next_lesson", "back", "next_note", "next_view", "play",
                   "quiz", "edit", "lr_down", "lr_up", "reset", "settings", "quit", "open", "export")
FOOTER_RESERVED = 12   # the command palette's "^p palette" docked on the right, with its border


def key_display(keys: str) -> str:
    first = keys.split(",")[0]
    return {"full_stop": ".", "question_mark": "?", "left_square_bracket": "[",
            "right_square_bracket": "]", "plus": "+", "minus": "-",
            "greater_than_sign": ">", "less_than_sign": "<"}.get(first, first)


def footer_actions(keys: list[tuple[str, str, str, bool]], describe, width: int) -> set[str]:
    """The footer's keys that fit `width` whole (compact footer: "key desc" and one space), most
    useful first. `keys` are app.KEYS rows; `describe(label_key)` gives the shown words (and the
    command palette's own word, docked on the right: "▏^p palette")."""
    try:
        reserved = cell_len(describe("key.palette")) + 6
    except KeyError:
        reserved = FOOTER_RESERVED
    wanted = {action: (key, label) for key, action, label, show in keys if show}
    shown, used = set(), 0
    for action in FOOTER_PRIORITY + tuple(a for a in wanted if a not in FOOTER_PRIORITY):
        if action not in wanted:
            continue
        key, label = wanted[action]
        cost = cell_len(key_display(key)) + 1 + cell_len(describe(label)) + 1
        if used + cost <= width - reserved or action == "help":
            shown.add(action)
            used += cost
    return shown


def fit_status(title: str, parts: list[tuple[str, str, int]], width: int, lang: str = "ko") -> Text:
    """The status line on one row of `width` cells. `parts` are (text, style, priority): when
    everything does not fit, a tighter separator first, then the title loses its (⋯) gloss, then
    the lowest-priority parts go, then the title is cut; the highest-priority part always stays."""
    parts = list(parts)
    titles = [title]
    if "(" in title and title.index("(") > 0:
        gloss = title[title.index("(") + 1:].rstrip(")").strip()
        # "집값 예측 (House prices)": the Korean name on a Korean screen, the gloss on an English one
        titles.append(gloss if lang == "en" and gloss.isascii() and gloss else title[: title.index("(")].rstrip())

    def build(title_text: str, items, sep: str) -> Text:
        text = Text(title_text, style="bold")
        for i, (part, style, _) in enumerate(items):
            if text or i:
                text.append(sep)
            text.append(part, style=style)
        return text

    for sep in ("  │  ", " │ "):
        for title_text in titles:
            text = build(title_text, parts, sep)
            if text.cell_len <= width:
                return text
    order = sorted(range(len(parts)), key=lambda i: parts[i][2])
    kept = list(range(len(parts)))
    for drop in order[:-1]:
        kept.remove(drop)
        items = [parts[i] for i in kept]
        text = build(titles[-1], items, " │ ")
        if text.cell_len <= width:
            # a dropped part that is short enough may come back (most useful first)
            for back in sorted(set(range(len(parts))) - set(kept), key=lambda i: -parts[i][2]):
                trial = build(titles[-1], [parts[i] for i in sorted(kept + [back])], " │ ")
                if trial.cell_len <= width:
                    kept, text = sorted(kept + [back]), trial
            return text
        rest = build("", items, " │ ")
        room = width - rest.cell_len - 3
        if room >= 8:   # a cut title still says which scenario this is
            short = titles[-1]
            while cell_len(short) > room - 1:
                short = short[:-1]
            return build(short + symbols.ELLIPSIS, items, " │ ")
    text = build("", [parts[i] for i in kept], " │ ")
    return cut(text, width)
