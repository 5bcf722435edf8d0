"""The view registry (issue 22) and the picture views' speed (issue 23).

One entry per picture view: engine/views.py (what it needs), engine/pictures/registry.py (what
it fits and computes), tui/view_registry.py (its widget). Nothing else branches on a view's name
or on how an output decides (ops.Decision); a key on a picture view lays nothing out again.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dltui.engine import ops
from dltui.engine.views import VIEW_NAMES, VIEWS
from tui_helpers import make_app, wait_ready

ROOT = Path(__file__).resolve().parent.parent
REGISTRIES = {"engine/views.py", "engine/pictures/registry.py", "tui/view_registry.py", "engine/ops.py"}
DECISION_WORDS = {decision.name for decision in (ops.PROBABILITY, ops.STEP, ops.OUTPUT, ops.ARGMAX)} | {"softmax"}


def _words(node: ast.AST) -> set[str]:
    """The string constants a comparison side holds (one, or a tuple / list / set of them)."""
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return {item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)}


def name_branches(source: str) -> list[str]:
    """Comparisons of a view's name with something that is a view, and of a decision word
    (or "softmax") with a decision, a kind or an activation; `view.startswith(…)` too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            words = set().union(*map(_words, sides))
            others = " ".join(ast.unparse(side) for side in sides if not _words(side)).lower()
            if (words & set(VIEW_NAMES) and "view" in others) or \
                    (words & DECISION_WORDS and any(k in others for k in ("decision", "kind", "activation"))):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("startswith", "endswith") and "view" in ast.unparse(node.func.value).lower()):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_outside_the_registries_branches_on_a_view_or_decision_name():
    found = []
    for folder in ("engine", "tui", "words", "cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in REGISTRIES:
                found += [f"{relative}:{line}" for line in name_branches(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("planted", [
    'if choice.view == "landscape2d": pass',
    'x = view in ("landscape1d", "landscape2d")',
    'if request.view.startswith("landscape"): pass',
    'if display.get("view") == "paint": pass',
    'if ops.activation(name).decision != "step": pass',
    'strength = value if grid.kind == "softmax" else 0',
    'if spec.activation != "softmax": pass',
])
def test_the_scan_catches_a_planted_branch(planted):
    """Each of the branches this work removed is seen by the scan (the old code had all of them)."""
    assert name_branches(planted)


def test_the_scan_leaves_other_enums_alone():
    assert not name_branches('if question.kind == "loss": pass\nif node.role == "activation": pass')


def test_every_view_has_its_picture_and_its_widget_in_v_order():
    from dltui.engine.pictures.registry import PICTURES
    from dltui.tui.view_registry import WIDGETS
    from dltui.words.help import full_help
    from dltui.words.messages import t

    assert list(PICTURES) == list(WIDGETS) == list(VIEWS.values())
    assert VIEW_NAMES == ("loss", "landscape1d", "landscape2d", "boundary", "activation", "hidden", "network",
                          "paint")   # the order `v` has always stepped through, and the scenario keys
    help_en = full_help("en")
    assert all(f"**{t(f'view.{name}', 'en')}**" in help_en for name in VIEW_NAMES)


def test_an_output_decides_by_its_registry_entry():
    """The boundary grid's classes follow each decision as Snapshot.predicted_classes does."""
    import numpy as np

    out = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])
    values, classes, probabilities, threshold = ops.ARGMAX.classes(out)
    assert classes.tolist() == [1, 0] and values.tolist() == [0.7, 0.6] and threshold is None
    values, classes, probabilities, threshold = ops.PROBABILITY.classes(out[:, :1])
    assert classes.tolist() == [0, 1] and probabilities is None and threshold == 0.5
    assert ops.activation("sigmoid").decision is ops.PROBABILITY and ops.activation("step").decision.exact
    assert ops.activation("softmax").decision.argmax and ops.activation("relu").decision is ops.OUTPUT
    assert ops.ARGMAX.level(ops.activation("softmax")) == 0.0 and ops.OUTPUT.level(ops.activation("identity")) == 0.5
    assert ops.OUTPUT.strength(0.5, 0.5) == 0.0 and ops.OUTPUT.strength(1.0, 0.5) == 1.0


def _view_text(app) -> str:
    area = app.main.query_one("#views")
    region = area.region
    lines = ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]
    return "\n".join(line[region.x:region.right] for line in lines[region.y:region.bottom])


# xor (two inputs, a 2-unit sigmoid hidden layer) and house_prices (one input, one neuron): what
# each view of theirs shows, as the lecture and the scenario files say.
SHOWN = {
    "xor": [("boundary", ["colour: the model's class", "◦  0", "◼  1"]),   # it opens on the boundary
            ("activation", ["layer 1: sigmoid", "each row's (z, a)"]),
            ("hidden", ["rows at the hidden layer's outputs (h1, h2)", "the output's line"]),
            ("network", ["neuron with its bias b", "L1 sigmoid", "L2 sigmoid"]),
            ("loss", ["Loss over steps"]),
            ("landscape1d", ["loss as L1 w[1,1] alone moves"]),
            ("landscape2d", ["✦ now", "loss "])],
    "house_prices": [("loss", ["Loss over steps"]),
                     ("landscape1d", ["loss as w1 alone moves", "least squares"]),
                     ("landscape2d", ["✦ now", "↑ w2", "w1 ->", "loss (log scale)"]),
                     ("activation", ["layer 1: identity"]),
                     ("network", ["neuron with its bias b", "L1 identity"])],
}


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("name", SHOWN)
async def test_v_cycles_every_view_and_each_shows_its_picture(name):
    from dltui.tui.i18n import t

    app = make_app(name)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        area = app.main.query_one("#views")
        for view, words in SHOWN[name] + SHOWN[name][:1]:       # all the way round, back to the first
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = _view_text(app)
            assert area.choice.view.name == view and area.border_title == t(f"view.{view}", "en")
            assert [w for w in words if w not in text] == [], text
            await pilot.press("v")
        await pilot.press("V")                                   # V goes back: to the first
        assert area.choice.view.name == SHOWN[name][0][0]
        await pilot.press("V")                                   # and round to the last
        assert area.choice.view.name == SHOWN[name][-1][0]


async def _layouts_on_a_key(app, pilot) -> int:
    from textual.screen import Screen

    await app.workers.wait_for_complete()
    await pilot.pause()
    passes = []
    real = Screen._refresh_layout

    def counted(screen, *args, **kwargs):
        passes.append(1)
        return real(screen, *args, **kwargs)

    Screen._refresh_layout = counted
    try:
        await pilot.press("space")
        await app.workers.wait_for_complete()       # the worker's picture arrives and is shown
        await pilot.pause()
        await pilot.pause()
    finally:
        Screen._refresh_layout = real
    return len(passes)


@pytest.mark.asyncio
async def test_a_key_on_the_boundary_and_the_2d_landscape_lays_nothing_out():
    """The worker's picture used to call `Static.update()` (layout=True): a second layout and
    paint a key. Now a picture repaints its own lines only."""
    app = make_app("xor")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        assert await _layouts_on_a_key(app, pilot) == 0            # the decision boundary
        await pilot.press("V")                                      # one back: the 2-D landscape
        assert app.main.query_one("#views").choice.view.name == "landscape2d"
        assert await _layouts_on_a_key(app, pilot) == 0


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_key_on_any_xor_view_lays_nothing_out():
    app = make_app("xor")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        seen = {}
        for _ in VIEW_NAMES[:-1]:          # xor has every view but paint
            await pilot.press("space")
            seen[app.main.query_one("#views").choice.view.name] = await _layouts_on_a_key(app, pilot)
            await pilot.press("v")
        assert seen == dict.fromkeys(VIEW_NAMES[:-1], 0)


@pytest.mark.asyncio
async def test_an_unchanged_picture_repaints_nothing():
    """The same picture again (a redraw with nothing changed) keeps its lines and asks no repaint."""
    from textual.widget import Widget

    app = make_app("xor")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        boundary = app.main.query_one("#view-boundary")
        lines = boundary.lines
        assert lines and "colour: the model's class" in _view_text(app)
        refreshed = []
        real = Widget.refresh

        def spy(widget, *args, **kwargs):
            if widget is boundary:
                refreshed.append(kwargs)
            return real(widget, *args, **kwargs)

        Widget.refresh = spy
        try:
            app._redraw_views()
            await app.workers.wait_for_complete()
            await pilot.pause()
        finally:
            Widget.refresh = real
        assert refreshed == [] and boundary.lines is lines
