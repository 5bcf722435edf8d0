"""Every way a scenario file can be wrong: one ScenarioError naming the file, the key path and
the problem; `dltui check` and `dltui run` exit 2 with that message on stderr, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cli_inprocess import run_cli
from dltui.engine import ScenarioError, load_scenario
from said import refused, english


BASE = """title = "base"

[data]
features = ["x1", "x2"]
target = "y"
rows = [
  [0.0, 1.0, 1.0],
  [1.0, 0.0, 0.0],
  [1.0, 1.0, 1.0],
]

[[model.layers]]
units = 2
activation = "tanh"
weight = [[0.1, 0.2], [0.3, 0.4]]
bias = [0.0, 0.1]

[[model.layers]]
units = 1
activation = "sigmoid"
weight = [[0.5, -0.5]]
bias = [0.2]

[train]
loss = "bce"
optimizer = "sgd"
learning_rate = 0.1
"""

CSV_DATA = """[data]
features = ["x1", "x2"]
target = "y"
csv = "data.csv"
"""

GOOD_CSV = "x1,x2,y\n0,1,1\n1,0,0\n1,1,1\n"


def edit(*pairs: str, text: str = BASE) -> str:
    """BASE with each (old, new) replacement made; `old` must be there exactly once."""
    for old, new in zip(pairs[0::2], pairs[1::2]):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


DATA_BLOCK = BASE[BASE.index("[data]"):BASE.index("[[model.layers]]")]
LAYER0_WEIGHT = "weight = [[0.1, 0.2], [0.3, 0.4]]"
LAYER1_WEIGHT = "weight = [[0.5, -0.5]]"
ROWS = """rows = [
  [0.0, 1.0, 1.0],
  [1.0, 0.0, 0.0],
  [1.0, 1.0, 1.0],
]"""


def rows(*lines: str) -> tuple[str, str]:
    return ROWS, "rows = [\n  " + ",\n  ".join(lines) + ",\n]"


@dataclass
class Case:
    id: str
    content: str | bytes
    key: str | None          # the key path the message must name (None: the file as a whole)
    problem: str             # a regex the message must match
    files: dict[str, str | bytes] = field(default_factory=dict)


CASES = [
    # not TOML / not text
    Case("not-toml", "title = \n", None, r"not valid TOML"),
    Case("not-toml-unclosed-table", edit("[train]", "[train"), None, r"not valid TOML"),
    Case("not-toml-duplicate-key", edit('title = "base"', 'title = "base"\ntitle = "again"'), None,
         r"not valid TOML"),
    Case("binary-bytes", bytes(range(256)) * 4, None, r"not UTF-8"),
    Case("binary-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", None, r"not UTF-8"),
    Case("binary-nul-in-utf8", b'title = "x"\x00\x01\x02\n', None, r"not valid TOML"),
    Case("empty-file", "", "title", r"required|missing"),
    # missing keys
    Case("missing-title", edit('title = "base"\n', ""), "title", r"required|missing"),
    Case("missing-train", BASE[:BASE.index("[train]")], "train", r"required|missing"),
    Case("missing-train-loss", edit('loss = "bce"\n', ""), "train.loss", r"required|missing"),
    Case("missing-learning-rate", edit("learning_rate = 0.1\n", ""), "train.learning_rate",
         r"required|missing"),
    Case("missing-features", edit('features = ["x1", "x2"]\n', ""), "data.features", r"required|missing"),
    Case("missing-target", edit('target = "y"\n', ""), "data.target", r"required|missing"),
    Case("missing-rows", edit(ROWS + "\n", ""), "data.rows", r"rows.*csv|csv.*rows"),
    Case("missing-data", edit(DATA_BLOCK, ""), "data", r"required|missing"),
    Case("missing-model", BASE[:BASE.index("[[model.layers]]")] + BASE[BASE.index("[train]"):],
         "model", r"required|missing"),
    Case("missing-units", edit('units = 1\nactivation = "sigmoid"', 'activation = "sigmoid"'),
         "model.layers[2].units", r"required|missing"),
    # misspelled (unknown) keys
    Case("misspelled-train-key", edit("learning_rate = 0.1", "lerning_rate = 0.1"),
         "train.lerning_rate", r"unknown key"),
    Case("misspelled-layer-key", edit('activation = "tanh"', 'activaton = "tanh"'),
         "model.layers[1].activaton", r"unknown key"),
    Case("misspelled-top-key", edit('title = "base"', 'title = "base"\ntitel = "x"'), "titel",
         r"unknown key"),
    # mistyped values
    Case("title-not-string", edit('title = "base"', "title = 3"), "title", r"string"),
    Case("units-string", edit("units = 2", 'units = "two"'), "model.layers[1].units", r"integer"),
    Case("units-float", edit("units = 2", "units = 1.5"), "model.layers[1].units", r"integer"),
    Case("units-bool", edit("units = 2", "units = true"), "model.layers[1].units", r"integer|true"),
    Case("learning-rate-string", edit("learning_rate = 0.1", 'learning_rate = "fast"'),
         "train.learning_rate", r"number"),
    Case("rows-string", edit(*rows('"abc"'), text=BASE).replace('rows = [\n  "abc",\n]', 'rows = "abc"'),
         "data.rows", r"list"),
    Case("features-string", edit('features = ["x1", "x2"]', 'features = "x1"'), "data.features",
         r"list"),
    Case("feature-name-number", edit('features = ["x1", "x2"]', 'features = ["x1", 2]'),
         "data.features[2]", r"string"),
    Case("weight-string", edit(LAYER1_WEIGHT, 'weight = "heavy"'), "model.layers[2].weight", r"list"),
    Case("weight-element-string", edit(LAYER0_WEIGHT, 'weight = [[0.1, "a"], [0.3, 0.4]]'),
         "model.layers[1].weight[1][2]", r"number"),
    Case("bias-true", edit("bias = [0.0, 0.1]", "bias = true"), "model.layers[1].bias", r"false|list"),
    Case("layers-not-tables", edit(BASE[BASE.index("[[model.layers]]"):BASE.index("[train]")],
                                   "[model]\nlayers = [1, 2]\n\n"),
         "model.layers[1]", r"table"),
    Case("layers-number", edit(BASE[BASE.index("[[model.layers]]"):BASE.index("[train]")],
                               "[model]\nlayers = 3\n\n"), "model.layers", r"list"),
    # ragged rows
    Case("ragged-short-row", edit(*rows("[0.0, 1.0, 1.0]", "[1.0, 0.0]", "[1.0, 1.0, 1.0]")),
         "data.rows[2]", r"2 values.*3|3.*2"),
    Case("ragged-long-row", edit(*rows("[0.0, 1.0, 1.0]", "[1.0, 0.0, 0.0]", "[1.0, 1.0, 1.0, 1.0]")),
         "data.rows[3]", r"4 values.*3|3.*4"),
    Case("row-not-a-list", edit(*rows("[0.0, 1.0, 1.0]", "7", "[1.0, 1.0, 1.0]")), "data.rows[2]",
         r"list"),
    # strings or non-finite numbers in the data
    Case("string-in-data", edit(*rows('[0.0, "one", 1.0]', "[1.0, 0.0, 0.0]")), "data.rows[1][2]",
         r"number"),
    Case("bool-in-data", edit(*rows("[true, 1.0, 1.0]", "[1.0, 0.0, 0.0]")), "data.rows[1][1]",
         r"number"),
    Case("nan-in-data", edit(*rows("[0.0, 1.0, 1.0]", "[nan, 0.0, 0.0]")), "data.rows[2][1]",
         r"finite"),
    Case("inf-in-data", edit(*rows("[0.0, inf, 1.0]", "[1.0, 0.0, 0.0]")), "data.rows[1][2]",
         r"finite"),
    Case("minus-inf-target", edit(*rows("[0.0, 1.0, 1.0]", "[1.0, 0.0, -inf]")), "data.rows[2][3]",
         r"finite"),
    Case("nan-in-test-rows", edit(ROWS, ROWS + "\ntest_rows = [[1.0, nan, 1.0]]"),
         "data.test_rows[1][2]", r"finite"),
    Case("ragged-test-rows", edit(ROWS, ROWS + "\ntest_rows = [[1.0, 1.0]]"),
         "data.test_rows[1]", r"2 values"),
    # empty data set
    Case("empty-rows", edit(ROWS, "rows = []"), "data.rows", r"empty"),
    # unknown names
    Case("unknown-activation", edit('activation = "sigmoid"', 'activation = "swish"'),
         "model.layers[2].activation", r"unknown.*swish|swish.*unknown"),
    Case("unknown-loss", edit('loss = "bce"', 'loss = "hinge"'), "train.loss", r"unknown.*hinge"),
    Case("unknown-optimizer", edit('optimizer = "sgd"', 'optimizer = "rmsprop"'), "train.optimizer",
         r"unknown.*rmsprop"),
    Case("unknown-normalize", edit('target = "y"', 'target = "y"\nnormalize = "zscore"'),
         "data.normalize", r"unknown.*zscore"),
    # weight / bias shapes
    Case("weight-too-many-rows", edit(LAYER1_WEIGHT, "weight = [[0.5, -0.5], [1.0, 1.0]]"),
         "model.layers[2].weight", r"1 rows.*not 2|\[1\]\[2\]"),
    Case("weight-too-few-columns", edit(LAYER1_WEIGHT, "weight = [[0.5]]"),
         "model.layers[2].weight[1]", r"2 numbers|\[1\]\[2\]"),
    Case("first-weight-wrong-inputs", edit(LAYER0_WEIGHT, "weight = [[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]]"),
         "model.layers[1].weight[1]", r"2 numbers|\[2\]\[2\]"),
    Case("weight-not-nested", edit(LAYER1_WEIGHT, "weight = [0.5, -0.5]"),
         "model.layers[2].weight", r"1 rows|list"),
    Case("bias-wrong-length", edit("bias = [0.0, 0.1]", "bias = [0.0]"), "model.layers[1].bias",
         r"2 numbers"),
    Case("bias-too-long", edit("bias = [0.2]", "bias = [0.2, 0.3]"), "model.layers[2].bias",
         r"1 numbers|one per unit"),
    Case("weight-nan", edit(LAYER0_WEIGHT, "weight = [[0.1, 0.2], [nan, 0.4]]"),
         "model.layers[1].weight[2][1]", r"finite"),
    Case("bias-inf", edit("bias = [0.2]", "bias = [inf]"), "model.layers[2].bias[1]", r"finite"),
    Case("output-units-mismatch", edit('units = 1\nactivation = "sigmoid"\nweight = [[0.5, -0.5]]\nbias = [0.2]',
                                       'units = 2\nactivation = "sigmoid"'),
         "model.layers[2].units", r"output layer"),
    # learning rate and other numbers out of range
    Case("learning-rate-zero", edit("learning_rate = 0.1", "learning_rate = 0"), "train.learning_rate",
         r"greater than 0"),
    Case("learning-rate-negative", edit("learning_rate = 0.1", "learning_rate = -0.1"),
         "train.learning_rate", r"greater than 0"),
    Case("learning-rate-nan", edit("learning_rate = 0.1", "learning_rate = nan"), "train.learning_rate",
         r"finite"),
    Case("learning-rate-inf", edit("learning_rate = 0.1", "learning_rate = inf"), "train.learning_rate",
         r"finite"),
    Case("momentum-out-of-range", edit('optimizer = "sgd"', 'optimizer = "momentum"\nmomentum = 1.5'),
         "train.momentum", r"\[0, 1\)"),
    Case("batch-size-negative", edit("learning_rate = 0.1", "learning_rate = 0.1\nbatch_size = -1"),
         "train.batch_size", r"positive|0"),
    Case("test-fraction-too-big", edit('target = "y"', 'target = "y"\ntest_fraction = 1.5'),
         "data.test_fraction", r"less than 1"),
    # layers
    Case("zero-units", edit("units = 2", "units = 0"), "model.layers[1].units", r"at least 1"),
    Case("negative-units", edit("units = 2", "units = -3"), "model.layers[1].units", r"at least 1"),
    Case("no-layers", edit(BASE[BASE.index("[[model.layers]]"):BASE.index("[train]")],
                           "[model]\nlayers = []\n\n"), "model.layers", r"at least one"),
    Case("softmax-hidden", edit('activation = "tanh"', 'activation = "softmax"'),
         "model.layers[1].activation", r"softmax.*output"),
    Case("bce-needs-sigmoid", edit('activation = "sigmoid"', 'activation = "relu"'),
         "model.layers[2].activation", r"sigmoid"),
    Case("perceptron-two-layers", edit('optimizer = "sgd"', 'optimizer = "perceptron"'),
         "train.optimizer", r"one layer"),
    # bce targets other than 0/1
    Case("bce-target-two", edit(*rows("[0.0, 1.0, 1.0]", "[1.0, 0.0, 2.0]")), "data.rows",
         r"0 or 1"),
    Case("bce-target-half", edit(*rows("[0.0, 1.0, 0.5]", "[1.0, 0.0, 0.0]")), "data.rows",
         r"0 or 1"),
    Case("bce-target-negative", edit(*rows("[0.0, 1.0, -1.0]", "[1.0, 0.0, 0.0]")), "data.rows",
         r"0 or 1"),
    Case("bce-test-target-two", edit(ROWS, ROWS + "\ntest_rows = [[1.0, 1.0, 2.0]]"),
         "data.test_rows", r"0 or 1"),
    Case("bce-csv-target-two", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"0 or 1",
         files={"data.csv": "x1,x2,y\n0,1,1\n1,0,2\n"}),
    # classes
    Case("unknown-class", edit(*rows('[0.0, 1.0, "cat"]', '[1.0, 0.0, "dog"]', '[1.0, 1.0, "emu"]'),
                               'target = "y"', 'target = "y"\nclasses = ["cat", "dog"]',
                               'loss = "bce"', 'loss = "cross_entropy"',
                               'units = 1\nactivation = "sigmoid"\nweight = [[0.5, -0.5]]\nbias = [0.2]',
                               'units = 2\nactivation = "softmax"'),
         "data.rows[3][3]", r"emu.*class|class.*emu"),
    Case("cross-entropy-without-classes",
         edit('loss = "bce"', 'loss = "cross_entropy"', 'activation = "sigmoid"', 'activation = "softmax"'),
         "data.classes", r"classes"),
    # CSV
    Case("missing-csv", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"not found"),
    Case("missing-csv-column", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"x2",
         files={"data.csv": "x1,x3,y\n0,1,1\n1,0,0\n"}),
    Case("csv-string-cell", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"number",
         files={"data.csv": "x1,x2,y\n0,1,1\n1,abc,0\n"}),
    Case("csv-empty-cell", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"line 3, column 'x2': empty cell \(missing value\)",
         files={"data.csv": "x1,x2,y\n0,1,1\n1,,0\n"}),
    Case("csv-nan-cell", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"line 3, column 'x1': 'nan' \(missing value\)",
         files={"data.csv": "x1,x2,y\n0,1,1\nnan,1,0\n"}),
    Case("csv-inf-cell", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"finite",
         files={"data.csv": "x1,x2,y\n0,1,1\n1,inf,0\n"}),
    Case("csv-ragged-line", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"line 3",
         files={"data.csv": "x1,x2,y\n0,1,1\n1,0\n"}),
    Case("csv-header-only", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"empty",
         files={"data.csv": "x1,x2,y\n"}),
    Case("csv-empty-file", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"empty",
         files={"data.csv": ""}),
    Case("csv-binary", edit(DATA_BLOCK, CSV_DATA + "\n"), "data.csv", r"UTF-8",
         files={"data.csv": bytes(range(128, 256))}),
    Case("csv-and-rows", edit(DATA_BLOCK, DATA_BLOCK.replace('target = "y"', 'target = "y"\ncsv = "data.csv"')),
         "data.rows", r"exactly one", files={"data.csv": GOOD_CSV}),
]


def write_case(folder: Path, case: Case) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scenario.toml"
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8")
    for name, content in case.files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return path


def assert_names_everything(message: str, path: Path, case: Case) -> None:
    assert str(path) in message, f"the message does not name the file: {message!r}"
    if case.key is not None:
        # the key path as a whole word: `data.rows` must not be satisfied by `data.rows[1]` alone
        pattern = re.escape(case.key) + r"(?![\w\[.])"
        assert re.search(pattern, message), f"the message does not name {case.key!r}: {message!r}"
    assert re.search(case.problem, message, re.IGNORECASE | re.DOTALL), \
        f"the message does not say {case.problem!r}: {message!r}"


def test_base_scenario_is_valid(tmp_path):
    path = write_case(tmp_path, Case("base", BASE, None, ""))
    load_scenario(path)
    path.write_text(edit(DATA_BLOCK, CSV_DATA + "\n"), encoding="utf-8")
    (tmp_path / "data.csv").write_text(GOOD_CSV, encoding="utf-8")
    load_scenario(path)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_load_scenario_rejects(tmp_path, case):
    path = write_case(tmp_path, case)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert_names_everything(english(info.value), path, case)
    if case.key is not None:
        assert info.value.key == case.key


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with refused("not found") as info:
        load_scenario(path)
    assert str(path) in english(info.value)


def test_directory_instead_of_file(tmp_path):
    with refused("directory") as info:
        load_scenario(tmp_path)
    assert str(tmp_path) in english(info.value)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory):
    """`dltui run` on every case, and one `dltui check` of every case's file (in-process)."""
    root = tmp_path_factory.mktemp("bad")
    paths = {case.id: write_case(root / case.id, case) for case in CASES}
    runs = {case_id: run_cli("run", paths[case_id], "--steps", "2") for case_id in paths}
    check = run_cli("check", *paths.values())
    return paths, runs, check


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_run_exits_2_with_the_message(cli_results, case):
    paths, runs, _ = cli_results
    result = runs[case.id]
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert_names_everything(result.stderr, paths[case.id], case)
    assert result.stdout == "", "nothing is trained or printed for an invalid scenario"


def test_cli_check_reports_every_bad_file(cli_results):
    paths, _, check = cli_results
    assert check.returncode == 2
    assert "Traceback" not in check.stderr + check.stdout
    messages = {}
    for line in check.stderr.splitlines():
        for case_id, path in paths.items():
            if f"{path}:" in line:
                messages.setdefault(case_id, []).append(line)
    problems = []
    for case in CASES:
        if case.id not in messages:
            problems.append(f"{case.id}: not reported as invalid")
            continue
        try:
            assert_names_everything("\n".join(messages[case.id]), paths[case.id], case)
        except AssertionError as exc:
            problems.append(f"{case.id}: {exc}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in ("not-toml", "binary-bytes", "weight-too-many-rows",
                                                               "missing-csv-column", "nan-in-data")],
                         ids=lambda c: c.id)
def test_cli_check_one_bad_file(tmp_path, case):
    path = write_case(tmp_path, case)
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert_names_everything(result.stderr, path, case)


def test_cli_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    for argv in (["check", str(path)], ["run", str(path)]):
        result = run_cli(*argv)
        assert result.returncode == 2
        assert str(path) in result.stderr and "not found" in result.stderr
        assert "Traceback" not in result.stderr


def test_cli_unknown_bundled_name():
    result = run_cli("run", "no_such_scenario")
    assert result.returncode == 2
    assert "no_such_scenario" in result.stderr and "house_prices" in result.stderr
    assert "Traceback" not in result.stderr
