"""The code made from a saved Adam or momentum file goes on where the run stopped: the script and
the notebook put back the optimizer's state and count on from the saved step (its place in the
minibatch order), so they print what `dltui run` prints for the file and the unbroken run had."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cli_inprocess import run_cli
from dltui.engine import load_scenario, open_scenario
from dltui.engine.explain.codegen import training_code
from dltui.engine.load.overrides import with_overrides
from dltui.engine.load.writer import write_scenario
from dltui.engine.train.trainer import Trainer
from generated_script import run_script
from test_notebook import check_section, loss_lines, run_cells, write

SAVED = {   # (setup, saved at, steps more): mid-epoch minibatches, both optimizers with state
    "adam": (lambda: with_overrides(open_scenario("xor"), {"train.optimizer": "adam", "train.batch_size": 2,
                                                           "train.learning_rate": 0.05}), 7, 9),
    "momentum": (lambda: with_overrides(open_scenario("xor"), {"train.optimizer": "momentum",
                                                               "train.batch_size": 3}), 5, 8),
}


def saved_file(kind: str, tmp_path):
    make, at, more = SAVED[kind]
    setup = make()
    unbroken = Trainer(setup)
    unbroken.run(at + more)
    stopped = Trainer(setup)
    stopped.run(at)
    path = write_scenario(stopped.current_scenario(), tmp_path / f"{kind}.toml")
    return path, at, more, np.frombuffer(unbroken.history.losses, dtype=float)[at:]


@pytest.mark.parametrize("kind", sorted(SAVED))
def test_the_script_of_a_saved_file_goes_on_as_dltui_run_does(kind, tmp_path):
    path, at, more, unbroken = saved_file(kind, tmp_path)
    result = run_cli("run", path, "--steps", str(more), "--format", "json")
    assert result.returncode == 0, result.stderr
    steps = json.loads(result.stdout)["steps"]
    assert [s["step"] for s in steps] == list(range(at, at + more + 1))
    code = training_code(load_scenario(path), steps=more)
    losses = np.array(run_script(code.text)["losses"])
    np.testing.assert_allclose(losses, [s["loss"] for s in steps], rtol=1e-12, atol=0)
    np.testing.assert_allclose(losses, unbroken, rtol=1e-12, atol=0)


def test_the_notebook_of_a_saved_adam_file_goes_on_from_its_step(tmp_path):
    path, at, more, unbroken = saved_file("adam", tmp_path)
    nb_path, notebook = write(tmp_path, str(path), steps=more)
    lines = run_cells(notebook, nb_path.parent)
    check_section(lines, load_scenario(path), steps=more)    # its first step is step 7's batch
    losses = loss_lines(lines)
    assert min(losses) == at and max(losses) == at + more
    for step, value in losses.items():
        assert value == pytest.approx(unbroken[step - at], abs=1e-6), step
