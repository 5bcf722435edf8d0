"""One number reader for what people type (`w`, `t`, CSV cells): digits 0-9 only, no `_`, no
silent underflow; `normalize = "standard"` near 1e308; quiz answers that name nothing and
duplicate class names refused by `check`."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from marks import slow_beyond
from textual.widgets import Input, Static

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_inprocess import run_cli  # noqa: E402
from house_file import house_file  # noqa: E402
from tui_helpers import make_app, text_of, wait_ready  # noqa: E402

from dltui.engine import load_scenario  # noqa: E402
from dltui.engine.load.number_text import NumberTextError, read_number, read_whole  # noqa: E402

REFUSED = [("１２", "not_ascii"), ("٣", "not_ascii"), ("1_0", "underscore"), ("٠.٥", "not_ascii"),
           ("1e-400", "underflow"), ("-1e-400", "underflow"), ("nan", "not_finite"), ("abc", "not_number")]


@pytest.mark.parametrize("text, code", REFUSED, ids=[c for _, c in REFUSED])
def test_the_reader_refuses_what_float_would_take(text, code):
    with pytest.raises(NumberTextError) as caught:
        read_number(text)
    assert caught.value.code == code


def test_the_reader_takes_plain_numbers():
    assert [read_number(t) for t in ("0", "0.0", "-0", "1e-3", " 2.5 ", "0e5", "5e-324")] == \
        [0.0, 0.0, 0.0, 0.001, 2.5, 0.0, 5e-324]
    assert read_whole("12") == 12
    for text in ("１２", "1.0", "1_0", "9" * 5000):
        with pytest.raises(NumberTextError):
            read_whole(text)


def table_file(tmp_path: Path, cell: str) -> Path:
    (tmp_path / "t.csv").write_text(f"x,y\n1,2\n{cell},3\n", "utf-8")
    path = tmp_path / "t.toml"
    path.write_text('title = "t"\n[data]\nfeatures = ["x"]\ntarget = "y"\ncsv = "t.csv"\n'
                    '[[model.layers]]\nunits = 1\nactivation = "identity"\n'
                    '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.1\n', "utf-8")
    return path


@pytest.mark.parametrize("cell, words", [("１２", "write it with the digits 0-9"), ("٣", "digits 0-9"),
                                         ("٠.٥", "digits 0-9"), ("1_0", "underscore"),
                                         ("1e-400", "would round to 0")],
                         ids=["fullwidth", "arabic", "arabic-point", "underscore", "underflow"])
def test_csv_cells_the_reader_refuses(tmp_path, cell, words):
    result = run_cli("check", table_file(tmp_path, cell))
    assert result.returncode == 2, result.stdout
    assert f"t.csv line 3, column 'x': '{cell}'" in result.stderr and words in result.stderr, result.stderr


@pytest.mark.parametrize("typed, words", slow_beyond(
    [("１２", "digits 0-9"), ("٣", "digits 0-9"), ("1_0", "underscore"), ("1e-400", "round to 0")],
    fast=[("１２", "digits 0-9")]), ids=["fullwidth", "arabic", "underscore", "underflow"])
async def test_settings_and_edit_refuse_them_with_the_same_reasons(typed, words):
    app = make_app("house_prices", "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        before = app.snapshot
        await pilot.press("t")
        await pilot.pause()
        box = app.screen.query_one("#set-lr", Input)
        box.focus()
        box.value = typed
        await pilot.press("enter")
        await pilot.pause()
        error = text_of(app.screen.query_one("#settings-error", Static))
        assert f"'{typed}' is not a number" in error and words in error, error
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("w", "enter", *typed, "enter")
        await pilot.pause()
        bar = text_of(app.main.query_one("#edit-error", Static))
        assert f"'{typed}'" in bar and words in bar, bar
        assert app.snapshot is before and app.trainer.history.edits == {}


def test_standard_scaling_near_the_largest_float_warns_nothing_and_keeps_the_inputs(tmp_path):
    (tmp_path / "big.csv").write_text("x,y\n1e308,1\n-1e308,2\n1.5e308,3\n", "utf-8")
    path = tmp_path / "big.toml"
    path.write_text('title = "big"\n[data]\nfeatures = ["x"]\ntarget = "y"\ncsv = "big.csv"\n'
                    'normalize = "standard"\n[[model.layers]]\nunits = 1\nactivation = "identity"\n'
                    '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.1\n', "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = load_scenario(path).data
    scaled = data.scaled(data.train_inputs)
    reference = (data.train_inputs / 1e308 - np.mean(data.train_inputs / 1e308)) / np.std(data.train_inputs / 1e308)
    assert np.all(np.isfinite(scaled)) and np.allclose(scaled, reference)


QUIZ = '\n[[quiz]]\nstep = 0\nphase = "forward"\nask = "?"\n{line}\n'


@pytest.mark.parametrize("line, words", [
    ('answer = "w99"', "'w99' names nothing this scenario has"),
    ('answer = "prediction[0]"', "'prediction[0]' names no row"),
    ('answer = "prediction[4]"', "'prediction[4]' names no row"),
    ('answer = "loss"\nrow = 100000', "quiz[1].row: is 100000 but there are 3 training rows"),
], ids=["w99", "prediction0", "prediction4", "row"])
def test_check_refuses_quiz_answers_that_name_nothing(tmp_path, line, words):
    path = house_file(tmp_path)
    path.write_text(path.read_text("utf-8") + QUIZ.format(line=line), "utf-8")
    result = run_cli("check", path)
    assert result.returncode == 2 and words in result.stderr, result.stderr


def test_check_takes_quiz_answers_that_name_something(tmp_path):
    path = house_file(tmp_path)
    for line in ('answer = "w1"', 'answer = "b"', 'answer = "prediction[3]"', 'answer = "loss"\nrow = 3'):
        path.write_text(house_file(tmp_path).read_text("utf-8") + QUIZ.format(line=line), "utf-8")
        assert run_cli("check", path).returncode == 0, line


def test_check_refuses_duplicate_class_names(tmp_path):
    path = tmp_path / "classes.toml"
    path.write_text('title = "c"\n[data]\nfeatures = ["x"]\ntarget = "y"\nclasses = ["a", "b", "a"]\n'
                    'rows = [[0, 0], [1, 1], [2, 2]]\n[[model.layers]]\nunits = 3\nactivation = "softmax"\n'
                    '[train]\nloss = "cross_entropy"\noptimizer = "sgd"\nlearning_rate = 0.1\n', "utf-8")
    result = run_cli("check", path)
    assert result.returncode == 2 and "data.classes: names 'a' more than once" in result.stderr, result.stderr
