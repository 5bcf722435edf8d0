"""The served sandbox (`dltui serve --scenarios DIR`) against a teacher's folder holding hostile
lessons: every run of a comparison reads only the folder's small regular files, and no served
error holds a server path or another file's content."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dltui.engine import ScenarioError
from dltui.tui.served import Served
from said import english

LESSON = '''title = "two runs"
[data]
features = ["x"]
target = "y"
csv = "table.csv"
[[model.layers]]
units = 1
activation = "identity"
[train]
loss = "mse"
optimizer = "sgd"
learning_rate = 0.1
[[compare]]
name = "base"
[[compare]]
name = "other"
{run}
'''


@pytest.fixture
def folder(tmp_path) -> Path:
    lessons = tmp_path / "class"
    lessons.mkdir()
    (lessons / "table.csv").write_text("x,y\n1,2\n2,4\n3,6\n", "utf-8")
    (lessons / "wide.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / "secret.csv").write_text("x,y\n1,2\n", "utf-8")
    return lessons


def opened(folder: Path, run: str) -> ScenarioError:
    (folder / "lesson.toml").write_text(LESSON.format(run=run), "utf-8")
    started = time.monotonic()
    with pytest.raises(ScenarioError) as caught:
        Served(scenarios_dir=folder).open("folder:lesson.toml")
    assert time.monotonic() - started < 5
    return caught.value


@pytest.mark.parametrize("target", ["../../../../../../etc/passwd", "/proc/self/environ", "/dev/zero",
                                    "../secret.csv"])
@pytest.mark.parametrize("form", ['"data.csv" = "{target}"', 'data = {{ csv = "{target}" }}'],
                         ids=["dotted", "table"])
def test_a_compare_run_cannot_read_outside_the_folder(folder, target, form):
    error = opened(folder, form.format(target=target))
    text = english(error)
    assert error.key == "compare[2].data.csv", text
    assert str(folder.parent) not in text and "root:" not in text and "PATH=" not in text


def test_a_broken_run_is_said_without_server_paths(folder):
    error = opened(folder, '"data.csv" = "wide.csv"')       # inside the folder, without column x
    text = english(error)
    assert "column 'x' is not in wide.csv" in text, text
    assert str(folder) not in text


def test_a_good_comparison_in_the_folder_opens(folder):
    (folder / "other.csv").write_text("x,y\n1,3\n2,5\n", "utf-8")
    (folder / "lesson.toml").write_text(LESSON.format(run='"data.csv" = "other.csv"'), "utf-8")
    scenario = Served(scenarios_dir=folder).open("folder:lesson.toml")
    assert scenario.title == "two runs"


def test_server_paths_are_taken_out_of_a_problem(folder):
    from dltui.tui.served import _without

    problem = f"cannot read {folder}/x.csv (denied); also /srv/teacher/private.csv and 1/2"
    assert _without(problem, folder) == "cannot read x.csv (denied); also ⋯ and 1/2"
