"""The keys: bound once per language through Textual's public API (ids, tooltips, check_action),
the footer showing the whole keys that fit, and no private Textual attribute anywhere in tui/."""

from __future__ import annotations

import ast
import functools
import inspect
import re
from pathlib import Path

import pytest
import textual

from dltui.tui.app import KEYS
from dltui.tui.i18n import t
from dltui.tui.layout import footer_actions
from tui_helpers import make_app, wait_ready, wait_until

ROOT = Path(__file__).resolve().parent.parent
TEXTUAL = Path(textual.__file__).parent
# The one module allowed in: it patches the compositor for an upstream bug that splits Hangul
# under notifications (textual#6357), which has no public way round.
WORKAROUNDS = {"wide_chars.py"}


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@functools.cache
def textual_private_names() -> frozenset[str]:
    """Every private name (`_x`, not `__x__`) in Textual's own source: its attributes and methods."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in TEXTUAL.rglob("*.py"))
    return frozenset(name for name in re.findall(r"\b_[A-Za-z]\w*", text) if private(name))


def own_names(tree: ast.AST) -> set[str]:
    """The private names a piece of code defines itself: `self._x = …` and `def _x`."""
    names = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
                and node.value.id == "self" and private(node.attr)):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and private(node.name):
            names.add(node.name)
    return names


def private_uses(source: str, theirs: set[str], ours: set[str]) -> list[str]:
    """Where `source` reaches into Textual: a private module or name imported from textual, or a
    private attribute Textual uses that the screen's own code does not define."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            if any(private(part) for part in node.module.split(".")) or any(private(a.name) for a in node.names):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] == "textual" and any(private(p) for p in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and node.attr in theirs and node.attr not in ours:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def tui_sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "tui").glob("*.py"))}


def test_the_screen_uses_no_private_textual_api():
    theirs, sources = textual_private_names(), tui_sources()
    ours = set().union(*(own_names(ast.parse(s)) for name, s in sources.items() if name not in WORKAROUNDS))
    found = {name: uses for name, source in sources.items() if name not in WORKAROUNDS
             and (uses := private_uses(source, theirs, ours))}
    assert not found, found


def test_the_scan_finds_a_planted_private_use():
    """The scan itself can fail: the old relabelling, a private module, a private name."""
    theirs, ours = textual_private_names(), {"_token"}
    assert private_uses("self._bindings.bind('x', 'y')", theirs, ours)
    assert private_uses("self.screen._binding_chain", theirs, ours)
    assert private_uses("from textual.widgets._footer import FooterKey", theirs, ours)
    assert private_uses("import textual._compositor", theirs, ours)
    assert not private_uses("self._token += 1\nfrom textual.widgets import Footer", theirs, ours)


def test_no_screen_class_overwrites_a_private_name_of_its_textual_bases():
    """A screen class's own `_x` must not be one Textual's base classes use (that would replace
    Textual's state without a word)."""
    import importlib

    clashes = {}
    for name in tui_sources():
        module = importlib.import_module(f"dltui.tui.{name[:-3]}")
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            bases = [b for b in cls.__mro__ if b.__module__.split(".")[0] == "textual"]
            theirs = set().union(*(base_names(base) for base in bases))
            if clash := own_names(ast.parse(inspect.getsource(cls))) & theirs:
                clashes[cls.__qualname__] = clash
    assert not clashes, clashes


@functools.cache
def base_names(base: type) -> frozenset[str]:
    """The private names a Textual class defines or sets on itself."""
    try:
        source = own_names(ast.parse(inspect.getsource(base)))
    except (OSError, TypeError):
        source = set()
    return frozenset(source | {k for k in vars(base) if private(k)})


def footer_keys(app) -> dict[str, tuple[str, str]]:
    """The footer's keys as drawn: action → (key shown, words), and the tooltip of each."""
    from textual.widgets import Footer

    footer = app.main.query_one(Footer)
    return {key.action.split("'")[1]: (key.key_display, key.description, key.tooltip)
            for key in footer.query("FooterKey")}


@pytest.mark.asyncio
async def test_the_footer_shows_the_keys_that_fit_in_the_screens_language_and_hidden_keys_still_work():
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        shown = footer_keys(app)
        fits = footer_actions(KEYS, lambda label: t(label, "ko"), 80)
        assert set(shown) - {"command_palette"} == fits and "play" not in fits
        assert shown["step"][:2] == ("space", t("key.step", "ko"))
        assert shown["step"][2] == t("does.step", "ko")                 # the tooltip, in Korean
        assert shown["command_palette"][1] == t("key.palette", "ko")
        await pilot.press("space")                                        # a footer key
        assert app.snapshot.step == 1
        await pilot.press("l")                                            # English, same width
        await pilot.pause()
        shown = footer_keys(app)
        assert shown["step"][1:] == (t("key.step", "en"), t("does.step", "en"))
        await pilot.press("p")                                            # not in the footer: still a key
        await pilot.pause()
        assert app.playing
        await pilot.press("p")
        await pilot.pause()
        await pilot.resize_terminal(200, 36)
        wide = footer_actions(KEYS, lambda label: t(label, "en"), 200)
        await wait_until(pilot, lambda: set(footer_keys(app)) - {"command_palette"} == wide)
        assert "play" in wide


@pytest.mark.asyncio
async def test_a_keymap_moves_a_key_by_its_id_in_both_languages():
    """Bindings carry ids (posting's way): `set_keymap` moves space's step to `j`."""
    app = make_app("house_prices", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        app.set_keymap({"step": "j"})
        await pilot.pause()
        assert footer_keys(app)["step"][:2] == ("j", t("key.step", "ko"))
        await pilot.press("space")
        assert app.snapshot.step == 0                                     # space no longer steps
        await pilot.press("j")
        assert app.snapshot.step == 1
        await pilot.press("l")
        await pilot.pause()
        assert footer_keys(app)["step"][:2] == ("j", t("key.step", "en"))
        await pilot.press("j")
        assert app.snapshot.step == 2
