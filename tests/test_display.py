"""`[display]` is checked when the file loads: a file that `dltui check` passes is one whose
views can all be drawn (once, `output = "rgb"` on a two-row model passed and then crashed the
paint view)."""

from __future__ import annotations

import pytest

from cli_inprocess import run_cli
from dltui.engine import ScenarioError, load_scenario, open_scenario
from said import refused, english

TWO_ROWS = """title = "two rows"

[data]
features = ["a"]
target = "y"
rows = [[0.0, 0.2], [1.0, 0.8]]

[[model.layers]]
units = {units}
activation = "sigmoid"

[train]
loss = "mse"
optimizer = "sgd"
learning_rate = 0.5

[display]
{display}
"""


def write(tmp_path, display: str, units: int = 1):
    path = tmp_path / "display.toml"
    path.write_text(TWO_ROWS.format(display=display, units=units), encoding="utf-8")
    return path


def test_rgb_output_on_two_rows_is_refused_at_load(tmp_path):
    path = write(tmp_path, 'output = "rgb"')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = english(info.value)
    assert str(path) in message and "display.output" in message and "2 training rows" in message
    checked = run_cli("check", path)
    assert checked.returncode == 2 and "display.output" in checked.stderr


@pytest.mark.parametrize("display,key,words", [
    ('output = "rgba"', "display.output", "unknown value 'rgba'"),
    ('colour = "red"', "display.colour", "unknown key"),
    ('rgb_rows = ["R", "G", "B"]', "display.rgb_rows", 'output = "rgb"'),
    ('view = "nowhere"', "display.view", "unknown value 'nowhere'"),
])
def test_display_mistakes_name_the_key(tmp_path, display, key, words):
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, display))
    assert key in english(info.value) and words in english(info.value)


def test_rgb_output_needs_one_output_per_row(tmp_path):
    path = tmp_path / "wide.toml"
    text = TWO_ROWS.format(display='output = "rgb"', units=2).replace(
        "rows = [[0.0, 0.2], [1.0, 0.8]]", "rows = [[0.0, 0.2], [1.0, 0.8], [0.5, 0.5]]").replace(
        'target = "y"', 'target = ["y", "z"]').replace("[0.0, 0.2]", "[0.0, 0.2, 0.1]").replace(
        "[1.0, 0.8]", "[1.0, 0.8, 0.1]").replace("[0.5, 0.5]", "[0.5, 0.5, 0.1]")
    path.write_text(text, encoding="utf-8")
    with refused("2 outputs"):
        load_scenario(path)


def test_the_bundled_paint_mixing_still_loads():
    scenario = open_scenario("paint_mixing")
    assert scenario.display["output"] == "rgb" and scenario.display["rgb_rows"] == ["R", "G", "B"]
