"""A tab's language: the browser's Accept-Language, unless the teacher gave `--lang`.

Sessions are started before their tab connects (spares), so the language is not known when the
app starts: the server sends it as a meta packet once the tab is wired, and the session's driver
(driver.py) sets the app's `lang`, the same as pressing `l`.
"""

from __future__ import annotations

LANGUAGE_META = "dltui_lang"
LANGS = ("ko", "en")


def browser_language(header: str | None) -> str | None:
    """ko or en, whichever the browser prefers ("ko-KR,ko;q=0.9,en;q=0.8" → ko); None when it
    names neither (the server's language then stays)."""
    best, best_q = None, 0.0
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        lang = tag.strip().lower().split("-")[0]
        if lang in LANGS and q > best_q:   # equal weights: the first named wins
            best, best_q = lang, q
    return best
