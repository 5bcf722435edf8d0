"""One parameter-naming scheme: the screen, the CLI table, the CSV header and the landscape agree."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest

from dltui.cli.main import main
from dltui.engine import open_scenario
from dltui.engine.explain.terms import update_lines
from dltui.engine.export import parameter_names
from dltui.engine.pictures import landscape
from dltui.engine.train.trainer import Trainer


def csv_header(name: str) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", name, "--steps", "0", "--format", "csv"]) == 0
    return next(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("name, expected", [
    ("house_prices", ["w1", "w2", "w3", "b"]),
    ("xor", ["L1 w[1,1]", "L1 w[1,2]", "L1 w[2,1]", "L1 w[2,2]", "L1 b[1]", "L1 b[2]",
             "L2 w[1,1]", "L2 w[1,2]", "L2 b[1]"]),
])
def test_the_same_names_everywhere(name, expected):
    scenario = open_scenario(name)
    assert parameter_names(scenario) == expected
    assert landscape.parameter_names(scenario) == expected
    trainer = Trainer(scenario)
    assert landscape.parameter_names(trainer.snapshot()) == expected
    trainer.step()
    assert [line.name for line in update_lines(trainer.snapshot())] == expected   # the screen's update lines
    header = csv_header(name)
    assert header[header.index("diverged") + 1:][:len(expected)] == expected
