"""Scenario overrides (`--set KEY=VALUE`, `with_overrides`): every kind of key, good and bad.

An override is validated exactly like the same key written in the file, so each bad case is
also checked against the file edited by hand: same key, same problem.
The lecture's exercise is checked against MAE computed by hand in numpy.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from dltui.cli.main import main
from dltui.engine import ScenarioError, open_scenario
from dltui.engine.load.overrides import apply_overrides, parse_assignment, parse_key, with_overrides
from dltui.engine.load.scenario import parse_scenario

DLTUI = shutil.which("dltui", path=str(Path(sys.executable).parent)) or shutil.which("dltui")

X = np.array([[32, 3, 0.3], [33, 3, 0.5], [36, 4, 0.5]], dtype=float)
Y = np.array([6.0, 7.0, 8.5])


def lecture_mae(weights) -> float:
    return float(np.mean(np.abs(X @ np.array(weights, dtype=float) + 0.5 - Y)))


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def house():
    return open_scenario("house_prices")


@pytest.fixture(scope="module")
def iris():
    return open_scenario("iris")


# ---------------------------------------------------------------- parsing KEY=VALUE

@pytest.mark.parametrize("text, key, value", [
    ("train.learning_rate=0.001", "train.learning_rate", 0.001),
    ("train.learning_rate = 1e-3", "train.learning_rate", 0.001),
    ('train.optimizer="adam"', "train.optimizer", "adam"),
    ("train.optimizer=adam", "train.optimizer", "adam"),           # a bare word is its string
    ("model.layers[1].weight=[[0.1,0.3,3]]", "model.layers[1].weight", [[0.1, 0.3, 3]]),
    ("model.layers[1].bias=false", "model.layers[1].bias", False),
    ("train.batch_size=2", "train.batch_size", 2),
    ('description.ko="안녕=하세요"', "description.ko", "안녕=하세요"),  # only the first = splits
    ("model.layers[2]={units = 1, activation = \"sigmoid\"}", "model.layers[2]",
     {"units": 1, "activation": "sigmoid"}),
])
def test_parse_assignment(text, key, value):
    assert parse_assignment(text) == (key, value)
    assert type(parse_assignment(text)[1]) is type(value)


@pytest.mark.parametrize("text, problem", [
    ("train.learning_rate", "KEY=VALUE"),
    ("=0.1", "KEY=VALUE"),
    ("train.learning_rate=", "no value"),
    ("train..learning_rate=1", "not a valid key"),
    (".train=1", "not a valid key"),
    ("model.layers[0].units=1", "counted from 1"),
    ("model.layers[x].units=1", "counted from 1"),
    ("model.layers[-1].units=1", "counted from 1"),
    ("train.learning_rate=[1,", "not a TOML value"),
    ("train.learning_rate=0.1\nseed = 3", "not a single TOML value"),
    ("train.learning rate=1", "not a valid key part"),
])
def test_parse_assignment_refuses(text, problem):
    with pytest.raises(ScenarioError, match=problem):
        parse_assignment(text)


def test_parse_key_counts_lists_from_one():
    assert parse_key("model.layers[2].weight[1][3]") == ["model", "layers", 1, "weight", 0, 2]


# ---------------------------------------------------------------- every kind of key, good

GOOD = [
    ("title", "새 제목", lambda s: s.title == "새 제목"),
    ("description.en", "Hello", lambda s: s.description("en") == "Hello"),
    ("description", "하나", lambda s: s.description("ko") == "하나" == s.description("en")),
    ("train.learning_rate", 0.5, lambda s: s.train.learning_rate == 0.5),
    ("train.learning_rate", 1, lambda s: s.train.learning_rate == 1.0),
    ("train.optimizer", "adam", lambda s: s.train.optimizer == "adam"),
    ("train.optimizer", "momentum", lambda s: s.train.optimizer == "momentum" and s.train.momentum == 0.9),
    ("train.momentum", 0.5, lambda s: s.train.momentum == 0.5),
    ("train.beta1", 0.8, lambda s: s.train.betas == (0.8, 0.999)),
    ("train.beta2", 0.99, lambda s: s.train.betas == (0.9, 0.99)),
    ("train.loss", "mse", lambda s: s.train.loss == "mse"),
    ("train.batch_size", 2, lambda s: s.train.batch_size == 2),
    ("train.seed", 7, lambda s: s.train.seed == 7),
    ("data.normalize", "standard", lambda s: s.data.normalize == "standard"
     and np.allclose(s.data.scaled(s.data.train_inputs).mean(axis=0), 0)),
    ("data.rows", [[1, 2, 3, 4], [5, 6, 7, 8], [9, 1, 2, 3]], lambda s: s.data.n_train == 3
     and s.data.train_targets[:, 0].tolist() == [4, 8, 3]),
    ("data.rows[2]", [30, 2, 1.0, 5.0], lambda s: s.data.train_inputs[1].tolist() == [30, 2, 1.0]),
    ("data.rows[1][4]", 9.5, lambda s: s.data.train_targets[0, 0] == 9.5),
    ("data.features", ["a", "b", "c"], lambda s: s.data.feature_names == ("a", "b", "c")),
    ("data.target", "price", lambda s: s.data.target_names == ("price",)),
    ("data.test_rows", [[32, 3, 0.3, 6.0]], lambda s: s.data.n_test == 1),
    ("model.layers[1].weight", [[0.1, 0.3, 3]], lambda s: s.layers[0].weight == ((0.1, 0.3, 3.0),)),
    ("model.layers[1].weight[1][3]", 3, lambda s: s.layers[0].weight == ((0.1, 0.3, 3.0),)),
    ("model.layers[1].weight", None, lambda s: s.layers[0].weight is None),   # None removes: seeded
    ("model.layers[1].bias", [0.0], lambda s: s.layers[0].bias == (0.0,)),
    ("model.layers[1].bias", False, lambda s: not s.layers[0].has_bias),
    ("model.layers[1].activation", "relu", lambda s: s.layers[0].activation == "relu"),
    ("model.layers[1].activation", "gelu", lambda s: s.layers[0].activation == "gelu"),
    ("display.output", "rgb", lambda s: s.display == {"output": "rgb"}),
]


@pytest.mark.parametrize("key, value, holds", GOOD, ids=[f"{k}={v!r}"[:40] for k, v, _ in GOOD])
def test_good_override(house, key, value, holds):
    changed = with_overrides(house, {key: value})
    assert holds(changed)
    assert not holds(house)  # the original is untouched
    assert changed.document != house.document


def test_overrides_on_a_classifier(iris):
    with pytest.raises(ScenarioError, match="not a class name") as caught:
        with_overrides(iris, {"data.classes": ["a", "b", "c"]})  # the CSV names the classes
    assert caught.value.key == "data.csv"
    changed = with_overrides(iris, {"data.test_fraction": 0.5, "train.batch_size": 10,
                                    "model.layers[1].units": 3})
    assert changed.data.n_test == 75 and changed.train.batch_size == 10


def test_adding_a_hidden_layer():
    xor = open_scenario("xor_linear")
    n = len(xor.layers)
    hidden = {"units": 2, "activation": "tanh"}
    last = dict(xor.document["model"]["layers"][-1])
    last.pop("weight", None)
    changed = with_overrides(xor, {f"model.layers[{n}]": hidden, f"model.layers[{n + 1}]": last})
    assert [layer.units for layer in changed.layers] == [2, 1] and changed.layers[0].activation == "tanh"


def test_overrides_apply_in_order_and_stack(house):
    once = with_overrides(house, {"train.learning_rate": 0.1})
    twice = with_overrides(once, [("train.learning_rate", 0.2), ("train.learning_rate", 0.3)])
    assert twice.train.learning_rate == 0.3
    assert twice.layers == house.layers and twice.data.n_train == house.data.n_train


def test_numpy_values_are_plain(house):
    changed = with_overrides(house, {"model.layers[1].weight": np.array([[0.1, 0.2, 2.0]]),
                                     "train.learning_rate": np.float64(0.01)})
    assert changed.layers[0].weight == ((0.1, 0.2, 2.0),) and changed.train.learning_rate == 0.01


def test_apply_overrides_leaves_the_document_alone(house):
    before = tomllib.loads(house.path.read_text("utf-8"))
    assert house.document == before
    apply_overrides(house.document, {"model.layers[1].weight[1][1]": 9.0})
    assert house.document == before


# ---------------------------------------------------------------- every kind of key, bad

BAD = [
    # (key, value, the key the message names, the problem) — same as a hand-edited file
    ("train.learning_rate", 0, "train.learning_rate", "greater than 0"),
    ("train.learning_rate", "fast", "train.learning_rate", "number"),
    ("train.learning_rate", float("nan"), "train.learning_rate", "finite"),
    ("train.learning_rate", True, "train.learning_rate", "true/false"),
    ("train.optimizer", "adamw", "train.optimizer", "unknown value 'adamw'"),
    ("train.loss", "hinge", "train.loss", "unknown value 'hinge'"),
    ("train.loss", "bce", "model.layers[1].activation", "sigmoid"),
    ("train.batch_size", 4, "train.batch_size", "only 3 training rows"),
    ("train.batch_size", -1, "train.batch_size", "positive"),
    ("train.seed", -1, "train.seed", "between 0"),
    ("train.momentum", 1.0, "train.momentum", r"\[0, 1\)"),
    ("train.beta2", 2, "train.beta2", r"\[0, 1\)"),
    ("train.lr", 0.1, "train.lr", "unknown key"),
    ("train.learning_rate.x", 1, "train.learning_rate.x", "not a table"),
    ("trian.learning_rate", 0.1, "trian.learning_rate", "unknown key"),
    ("title", "", "title", "empty"),
    ("title", 3, "title", "string"),
    ("description.fr", "bonjour", "description.fr", "unknown key"),
    ("data.normalize", "zscore", "data.normalize", "unknown value 'zscore'"),
    ("data.test_fraction", 1.5, "data.test_fraction", "less than 1"),
    ("data.features", [], "data.features", "at least one"),
    ("data.features", ["a", "b"], "data.rows[0]", "4 values|3 values"),
    ("data.target", 5, "data.target", "column name"),
    ("data.classes", ["a"], "data.classes", "at least 2"),
    ("data.csv", "nowhere.csv", "data.rows", "exactly one"),
    ("data.rows[4]", [1, 2, 3, 4], "data.rows[4]", "does not exist"),
    ("model.layers[1].weight", [[0.1, 0.3]], "model.layers[1].weight[1]", "3 numbers"),
    ("model.layers[1].weight", [[0.1, 0.3, 3], [1, 2, 3]], "model.layers[1].weight", "1 rows"),
    ("model.layers[1].weight", "heavy", "model.layers[1].weight", "list"),
    ("model.layers[1].weight[1][3]", "x", "model.layers[1].weight[1][3]", "number"),
    ("model.layers[1].weight[1][4]", 1.0, "model.layers[1].weight[1][4]", "position 4 does not exist"),
    ("model.layers[1].weight[2][1]", 1.0, "model.layers[1].weight[2][1]", "does not exist"),
    ("model.layers[1].bias", True, "model.layers[1].bias", "false"),
    ("model.layers[1].bias", [0.1, 0.2], "model.layers[1].bias", "1 numbers"),
    ("model.layers[1].units", 2, "model.layers[1].weight", "2 rows"),   # the weights no longer fit
    ("model.layers", [{"units": 2}], "model.layers[1].units", "output layer"),
    ("model.layers[1].activation", "swish", "model.layers[1].activation", "unknown value 'swish'"),
    ("model.layers[1].activation", "softmax", "model.layers[1].units", "at least 2"),  # softmax of 1 is 1
    ("model.layers[1].colour", "red", "model.layers[1].colour", "unknown key"),
    ("model.layers[2].units", 1, "model.layers[2].units", "does not exist"),
    ("model.layers[3]", {"units": 1}, "model.layers[3]", "does not exist"),
    ("model.layers", [], "model.layers", "at least one"),
    ("model.layer", [], "model.layer", "unknown key"),
    ("display", 3, "display", "table"),
    ("colour", "red", "colour", "unknown key"),
    ("model.layers[1].weight", {1, 2}, "model.layers[1].weight", "cannot be set"),
]


@pytest.mark.parametrize("key, value, named, problem", BAD, ids=[f"{k}={v!r}"[:40] for k, v, _, _ in BAD])
def test_bad_override_names_the_key(house, key, value, named, problem):
    with pytest.raises(ScenarioError, match=problem) as caught:
        with_overrides(house, {key: value})
    assert caught.value.key.startswith(named) or named.startswith(caught.value.key), caught.value
    assert str(house.path) in str(caught.value)


def test_an_unknown_table_names_the_whole_key(house):
    with pytest.raises(ScenarioError, match="unknown key") as caught:
        with_overrides(house, {"foo.bar": 1})
    assert caught.value.key == "foo.bar"


def test_an_override_is_checked_like_the_file(house, tmp_path):
    """The same bad value written into the file gives the same message."""
    text = house.path.read_text("utf-8").replace("learning_rate = 0.0001", "learning_rate = -1")
    with pytest.raises(ScenarioError) as from_file:
        parse_scenario(tomllib.loads(text), house.path)
    with pytest.raises(ScenarioError) as from_set:
        with_overrides(house, {"train.learning_rate": -1})
    assert str(from_file.value) == str(from_set.value)


# ---------------------------------------------------------------- the command line

@pytest.mark.parametrize("weights, loss", [([0.1, 0.3, 4], 0.566667), ([0.1, 0.3, 3], 1.0),
                                           ([0.1, 0.2, 2], 1.766667)])
def test_the_lectures_exercise_in_one_command(weights, loss):
    assert lecture_mae(weights) == pytest.approx(loss, abs=1e-6)
    code, out, err = cli("run", "house_prices", "--set", f"model.layers[1].weight=[{weights}]",
                         "--steps", "0", "--format", "csv")
    assert code == 0, err
    row = out.strip().splitlines()[-1].split(",")
    assert float(row[1]) == pytest.approx(lecture_mae(weights), abs=1e-6)


def test_set_is_repeatable_and_reaches_the_trainer():
    code, out, err = cli("run", "house_prices", "--set", "train.learning_rate=0.001",
                         "--set", "train.optimizer=adam", "--steps", "1", "--format", "json")
    assert code == 0, err
    steps = json.loads(out)["steps"]
    moved = np.subtract(steps[1]["layers"][0]["weight"], steps[0]["layers"][0]["weight"])
    # Adam's first step moves every weight by the learning rate (SGD would move w1 by 0.034)
    np.testing.assert_allclose(np.abs(moved), 0.001, rtol=1e-6)


@pytest.mark.parametrize("command", [["run", "house_prices", "--steps", "0"], ["check", "house_prices"],
                                     ["house_prices"]])
@pytest.mark.parametrize("assignment, named", [("train.lr=1", "train.lr"),
                                               ("model.layers[1].weight=[[1,2]]", "model.layers[1].weight"),
                                               ("model.layers[0].units=1", "model.layers[0].units"),
                                               ("train.learning_rate", "KEY=VALUE")])
def test_bad_set_exits_2_naming_the_key(command, assignment, named):
    code, out, err = cli(*command, "--set", assignment)
    assert code == 2
    assert named in err and "Traceback" not in err and out == ""


def test_check_with_set_reports_each_file():
    code, out, err = cli("check", "house_prices", "xor", "--set", "train.learning_rate=0.5")
    assert code == 0 and out.count("ok") == 2
    code, out, err = cli("check", "house_prices", "xor", "--set", "train.learning_rate=0")
    assert code == 2 and err.count("train.learning_rate") == 2


@pytest.mark.slow
def test_set_in_a_real_process():
    assert DLTUI, "the dltui console script is not installed next to this Python"
    result = subprocess.run([DLTUI, "run", "house_prices", "--set", "model.layers[1].weight=[[0.1,0.3,3]]",
                             "--steps", "0"], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split()[:2] == ["0", "1"]
    bad = subprocess.run([DLTUI, "run", "house_prices", "--set", "train.nope=1"],
                         capture_output=True, text=True, timeout=180)
    assert bad.returncode == 2 and "train.nope" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- [display] is checked at load

@pytest.mark.parametrize("name, overrides, key, problem", [
    ("iris", {"display.output": "rgb"}, "display.output", "one number per row"),
    ("house_prices", {"display.output": "cmyk"}, "display.output", "unknown value 'cmyk'"),
    ("house_prices", {"display.view": "paint"}, "display.view", "output"),
    ("house_prices", {"display.view": "swatches"}, "display.view", "unknown value"),
    ("house_prices", {"display.rgb_rows": ["R", "G", "B"]}, "display.rgb_rows", "rgb"),
    ("paint_mixing", {"display.rgb_rows": ["R", "G"]}, "display.rgb_rows", "three row names"),
    ("paint_mixing", {"display.rgb_rows": "RGB"}, "display.rgb_rows", "list"),
    ("paint_mixing", {"data.rows[3]": None}, "display.output", "only 2"),
    ("house_prices", {"display.colour": "red"}, "display.colour", "unknown key"),
])
def test_display_that_cannot_be_drawn_is_refused(name, overrides, key, problem):
    with pytest.raises(ScenarioError, match=problem) as caught:
        with_overrides(open_scenario(name), overrides)
    assert caught.value.key == key


def test_check_refuses_rgb_on_a_model_that_does_not_fit():
    code, out, err = cli("check", "iris", "--set", 'display.output="rgb"')
    assert code == 2 and "display.output" in err and "Traceback" not in err


def test_paint_mixing_display_is_kept():
    paint = open_scenario("paint_mixing")
    assert paint.display == {"output": "rgb", "view": "paint", "rgb_rows": ["R", "G", "B"]}


@pytest.mark.parametrize("loss", ["mae", "mse", "bce"])
def test_class_targets_need_a_class_loss(iris, loss):
    """Found by tests/test_registry_combinations.py: classes with a regression loss used to load
    and then broadcast class indices against probabilities."""
    with pytest.raises(ScenarioError, match="class names|sigmoid") as caught:
        with_overrides(iris, {"train.loss": loss})
    assert caught.value.key in ("train.loss", "model.layers[1].activation")
