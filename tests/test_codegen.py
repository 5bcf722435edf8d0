"""The generated PyTorch script, executed, gives the engine's losses step for step.

The script is run as plain Python (no dltui import inside it); its `losses` list is compared
with the trainer's history: the full training-set loss at steps 0..N.
"""

from __future__ import annotations

import ast

import numpy as np
import pytest
from marks import slow_beyond
import torch

from dltui.engine import load_scenario, open_scenario, ops
from dltui.engine.explain.codegen import training_code
from dltui.engine.train.trainer import Trainer
from dltui.words.code import code_text
from generated_script import run_script


def engine_losses(scenario, steps: int) -> np.ndarray:
    t = Trainer(scenario)
    t.run(steps)
    return np.frombuffer(t.history.losses, dtype=float).copy()


def assert_same_losses(scenario, steps: int) -> dict:
    code = training_code(scenario, steps=steps, data_path=_data_path(scenario))
    namespace = run_script(code.text)
    expected = engine_losses(scenario, steps)
    got = np.array(namespace["losses"])
    assert got.shape == expected.shape == (steps + 1,)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0)
    return namespace


def _data_path(scenario) -> str | None:
    csv = scenario.path.with_suffix(".csv")
    return str(csv) if csv.exists() else None


@pytest.mark.parametrize("name, steps", slow_beyond([
    ("house_prices", 30),
    ("house_prices_mse", 30),
    ("xor", 40),
    ("xor_relu", 20),
    ("iris", 25),                       # CSV, held-out test share, standardised, Adam, cross-entropy
    ("abalone", 56),                    # minibatches of 64, across an epoch boundary (53 per epoch)
    ("perceptron_and", 12),
    ("adam_vs_sgd:adam", 40),
    ("step_vs_sigmoid:step", 5),        # the custom Step module
    ("guess_19", 10),                   # bias = false
    ("feature_scaling:standard", 15),   # inline rows, standardised
    ("house_no_bias", 8),               # the course's lessons: no bias, MAE
    ("xor_deep", 10),                   # two tanh hidden layers, seeded
    ("lecture_code", 10),               # cross-entropy on two named classes, Adam lr 0.001
    ("house_test", 10),                 # explicit test rows, standardised
], fast=[("house_prices", 30)]))
def test_generated_script_matches_engine(name, steps):
    assert_same_losses(open_scenario(name), steps)


CUSTOM = """
title = "custom"
[data]
features = ["a", "b", "c"]
target = "t"
rows = [[1, 0, 5, 0.5], [2, 1, 5, 1.5], [3, 0, 5, 2.0], [4, 1, 5, 2.5], [5, 0, 5, 3.5],
        [6, 1, 5, 3.0], [7, 0, 5, 4.5], [8, 1, 5, 5.0], [9, 0, 5, 5.5], [10, 1, 5, 6.5]]
test_fraction = 0.2
normalize = "{normalize}"
[[model.layers]]
units = 3
activation = "{hidden}"
weight = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9]]
[[model.layers]]
units = 1
activation = "identity"
[train]
loss = "{loss}"
optimizer = "{optimizer}"
learning_rate = 0.05
batch_size = 3
seed = 7
"""


@pytest.mark.parametrize("normalize, hidden, loss, optimizer", slow_beyond([
    ("minmax", "tanh", "mse", "momentum"),
    ("standard", "leaky_relu", "mae", "adam"),
    ("none", "relu", "mse", "sgd"),
], fast=[("standard", "leaky_relu", "mae", "adam")]))
def test_custom_scenarios(tmp_path, normalize, hidden, loss, optimizer):
    """Mixed start (explicit weight, seeded biases), split, scaling, minibatches, every optimizer."""
    path = tmp_path / "custom.toml"
    path.write_text(CUSTOM.format(normalize=normalize, hidden=hidden, loss=loss, optimizer=optimizer))
    assert_same_losses(load_scenario(path), 9)


HIDDEN = [a for a in ops.ACTIVATION_NAMES if not ops.activation(a).output_only]


@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_hidden_activation_in_the_script(tmp_path, hidden):
    """Each registry activation's script line builds the module the engine trains with."""
    path = tmp_path / "custom.toml"
    path.write_text(CUSTOM.format(normalize="standard", hidden=hidden, loss="mse", optimizer="sgd"))
    assert_same_losses(load_scenario(path), 4)


@pytest.mark.parametrize("optimizer", [o for o in ops.OPTIMIZER_NAMES if ops.optimizer(o).requires is None])
@pytest.mark.parametrize("loss", [name for name in ops.LOSS_NAMES if ops.loss(name).regression])
def test_every_optimizer_and_regression_loss_in_the_script(tmp_path, loss, optimizer):
    path = tmp_path / "custom.toml"
    path.write_text(CUSTOM.format(normalize="minmax", hidden="tanh", loss=loss, optimizer=optimizer))
    assert_same_losses(load_scenario(path), 4)


def test_initial_layers_from_a_snapshot():
    """Given snapshot.layers, the start is written as numbers (no seeded draws in the script)."""
    scenario = open_scenario("xor")
    layers = Trainer(scenario).snapshot().layers
    code = training_code(scenario, layers, steps=10)
    assert "uniform(" not in code.text and "Generator" not in code.text
    np.testing.assert_allclose(run_script(code.text)["losses"], engine_losses(scenario, 10), rtol=1e-9)


def test_phase_lines_point_at_the_loop():
    code = training_code(open_scenario("house_prices"))
    lines = code.text.splitlines()
    expected = {
        "forward": "pred = model(x)",
        "loss": "loss = criterion(pred, y)",
        "zero_grad": "optimizer.zero_grad()",
        "backward": "loss.backward()",
        "update": "optimizer.step()",
    }
    for phase, statement in expected.items():
        assert lines[code.phase_lines[phase] - 1].strip().startswith(statement), phase
    assert code.line_of("forward") < code.line_of("loss") < code.line_of("backward") < code.line_of("update")
    assert code.line_of("start") is None


def test_lecture_lines_and_structure():
    """The lecture's names appear as written; the script is valid Python, its comments in one language."""
    code = training_code(open_scenario("house_prices"))
    korean, english = code_text(code.lines, "ko"), code_text(code.lines, "en")
    for text in (code.text, korean, english):
        ast.parse(text)
        assert len(text.splitlines()) == len(code.text.splitlines())   # comments never add a line
    for fragment in ("model = nn.Sequential(", "nn.Linear(3, 1)", "criterion = nn.L1Loss()",
                     "optim.SGD(model.parameters(), lr=0.0001)", "[[0.1, 0.3, 4.0]]"):
        assert fragment in code.text
    assert "loss.backward()  # 역전파: 기울기 계산" in korean and "# 순전파: 예측" in korean
    assert "loss.backward()  # backward: compute the gradients" in english and "# forward: predict" in english
    assert "compute the gradients" not in korean and "기울기 계산" not in english
    adam = training_code(open_scenario("adam_vs_sgd:adam")).text
    assert "optim.Adam(params=model.parameters(), lr=0.001, betas=(0.9, 0.999))" in adam
    assert "criterion = nn.MSELoss()" in adam
    xor = training_code(open_scenario("xor")).text
    assert "nn.BCEWithLogitsLoss()" in xor and xor.count("nn.Sigmoid()") == 1  # last sigmoid is in the loss
    iris = training_code(open_scenario("iris")).text
    assert "nn.CrossEntropyLoss()" in iris and "nn.Softmax" not in iris


def test_perceptron_phase_lines():
    code = training_code(open_scenario("perceptron_and"))
    lines = code.text.splitlines()
    assert "zero_grad" not in code.phase_lines
    assert lines[code.phase_lines["backward"] - 1].strip().startswith("error = y - pred")
    assert lines[code.phase_lines["update"] - 1].strip().startswith("model[0].weight += lr * (error.T @ x)")


def test_the_script_prints_every_step(capsys):
    code = training_code(open_scenario("house_prices"), steps=2)
    namespace = {"__name__": "__generated__"}
    before = torch.get_default_dtype()
    try:
        exec(code.text, namespace)
    finally:
        torch.set_default_dtype(before)
    out = capsys.readouterr().out.splitlines()
    losses = engine_losses(open_scenario("house_prices"), 2)
    assert out == [f"step {i}: loss {value:.6f}" for i, value in enumerate(losses)]
    assert out[0] == "step 0: loss 0.566667"   # the lecture's 1.7 ÷ 3


HOSTILE = """
title = "{breaker}INJECTED_TITLE = 1"
[data]
features = ["size{breaker}INJECTED_FEATURE = 1", "rooms"]
target = "price{breaker}INJECTED_TARGET = 1"
rows = [[32, 3, 6], [33, 3, 7], [36, 4, 8.5]]
[[model.layers]]
units = 1
activation = "identity"
weight = [[0.1, 0.3]]
bias = [0.5]
[train]
loss = "mae"
optimizer = "sgd"
learning_rate = 0.0001
"""


@pytest.mark.parametrize("breaker", ["\\n", "\\r", "\\r\\n", "\\u2028", "\\u0085", "\\f"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_line_break_in_a_title_or_column_name_never_becomes_code(tmp_path, capsys, breaker, lang):
    """`dltui run FILE --code`: each text of the scenario stays inside its comment or literal."""
    from dltui.cli.main import main

    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE.format(breaker=breaker), encoding="utf-8")
    assert main(["run", str(path), "--code", "--steps", "2", "--lang", lang]) == 0
    script = capsys.readouterr().out
    names = {node.id for node in ast.walk(ast.parse(script)) if isinstance(node, ast.Name)}
    assert not {n for n in names if n.startswith("INJECTED")}
    np.testing.assert_allclose(run_script(script)["losses"], engine_losses(load_scenario(path), 2), rtol=1e-9)


def _bundled_singles():
    from dltui.engine.load.catalog import bundled_names
    from dltui.engine.load.compare import comparison_runs

    for name in bundled_names():
        runs = comparison_runs(open_scenario(name))
        yield from ([f"{name}:{run.name}" for run in runs] if runs else [name])


@pytest.mark.parametrize("name", list(_bundled_singles()))
def test_every_comment_has_both_languages_and_the_korean_one_is_korean(name):
    """Each note of every bundled scenario's code (every registry entry they use) is said in
    Korean and English; the Korean comments hold no English sentence."""
    import re

    code = training_code(open_scenario(name))
    korean, english = code_text(code.lines, "ko"), code_text(code.lines, "en")
    comments = [line.split("# ", 1)[1] for line in korean.splitlines() if "# " in line]
    assert comments and not [c for c in comments if re.search(r"[A-Za-z]{2,}(?: +[A-Za-z]{2,}){2,}", c)
                             and c != code_text(code.lines[:1], "ko")[2:].strip()]
    assert korean != english
