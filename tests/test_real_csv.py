"""Real-world CSV the way Korean teachers have it, and hostile scenario files (issue 18).

Every file is generated here. Every message is checked for the file, the column or key and the
line, in English (the engine's and the CLI's words) and in Korean (the screen's words)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from dltui.engine import ScenarioError, load_scenario
from dltui.words.errors import PROBLEMS, scenario_error_text
from said import english

HEADER = "평수,방 개수,집값"
ROWS = ["32,3,6", "33,3,7", "36,4,8.5"]


def scenario(tmp_path: Path, csv_text: str | bytes | None = None, data: str = "", body: str = "",
             features: str = 'features = ["평수", "방 개수"]') -> Path:
    if csv_text is not None:
        raw = csv_text.encode("utf-8") if isinstance(csv_text, str) else csv_text
        (tmp_path / "d.csv").write_bytes(raw)
    path = tmp_path / "s.toml"
    path.write_text(f"""title = "t"
[data]
csv = "d.csv"
{features}
target = "집값"
{data}
[[model.layers]]
units = 1
[train]
loss = "mse"
learning_rate = 0.0001
{body}""", encoding="utf-8")
    return path


def refused(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def both(error: ScenarioError) -> tuple[str, str, str]:
    """(CLI English, screen English, screen Korean)."""
    return english(error), scenario_error_text(error, "en"), scenario_error_text(error, "ko")


def says(error: ScenarioError, *parts: str, line: int | None = None, ko: tuple[str, ...] = ()) -> None:
    """The message names the file, the key, each part (column, value) and the line, in the
    CLI's English and in both of the screen's languages."""
    cli, en, korean = both(error)
    assert error.code in PROBLEMS, error.code
    for text in (cli, en, korean):
        assert str(error.file) in text and error.key in text
        for part in parts:
            assert part in text, (part, text)
    if line is not None:
        assert f"line {line}" in cli and f"line {line}" in en, (cli, en)
        assert f"{line}번째 줄" in korean, korean
    for part in ko:
        assert part in korean, (part, korean)
    assert any("\uac00" <= c <= "\ud7a3" for c in korean.replace(str(error.file), "")), korean


# ---------------------------------------------------------------- encodings


def test_cp949_is_recognised_with_how_to_fix_it_in_both_languages(tmp_path):
    error = refused(scenario(tmp_path, ("\n".join([HEADER] + ROWS) + "\n").encode("cp949")))
    says(error, "d.csv", "data.csv", "cp949", ko=("CSV UTF-8 (쉼표로 분리)로 다시 저장하세요",))
    assert "CSV UTF-8 (쉼표로 분리)" in english(error) and "CP949" in english(error)


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_cp949_is_read_when_the_file_says_so(tmp_path, encoding):
    path = scenario(tmp_path, ("\r\n".join([HEADER] + ROWS) + "\r\n").encode("cp949"),
                    data=f'encoding = "{encoding}"')
    data = load_scenario(path).data
    assert data.feature_names == ("평수", "방 개수")
    assert data.train_inputs.tolist() == [[32, 3], [33, 3], [36, 4]]


def test_other_bytes_name_the_line(tmp_path):
    error = refused(scenario(tmp_path, b"a,b,c\n1,2,3\n\n4,\xff\xfe,6\n", features='features = ["a", "b"]'))
    says(error, "d.csv", line=4)


# ---------------------------------------------------------------- line numbers and missing values


@pytest.mark.parametrize("cell, shown, shown_ko", [("", "empty cell", "빈 칸"), ("NA", "'NA'", "'NA'"),
                                                   ("nan", "'nan'", "'nan'")])
def test_missing_value_names_file_line_and_column(tmp_path, cell, shown, shown_ko):
    text = f"{HEADER}\n32,3,6\n\n33,3,7\n36,{cell},8.5\n"        # line 3 is blank: the bad row is line 5
    error = refused(scenario(tmp_path, text))
    cli, en, korean = both(error)
    assert f"d.csv line 5, column '방 개수': {shown} (missing value)" in cli
    assert f"d.csv line 5, column '방 개수': {shown} (missing value)" in en
    assert f"d.csv 5번째 줄, '방 개수' 열: {shown_ko} (결측치)" in korean
    assert 'missing = "drop"' in cli and 'missing = "drop"' in korean


def test_missing_drop_leaves_those_rows_out_and_says_how_many(tmp_path):
    from dltui.words.input_errors import dropped_text

    text = f"{HEADER}\n32,3,6\n33,,7\n36,4,8.5\n40,NA,9\n41,5,nan\n"
    loaded = load_scenario(scenario(tmp_path, text, data='missing = "drop"'))
    assert loaded.data.train_inputs.tolist() == [[32, 3], [36, 4]]
    assert loaded.data.dropped_rows == 3
    assert dropped_text(loaded, "en") == 'd.csv: 3 rows with a missing value left out (data.missing = "drop")'
    assert "3개를 뺐습니다" in dropped_text(loaded, "ko")


def test_missing_drop_prints_the_count_in_check(tmp_path):
    from dltui.cli.main import main

    text = f"{HEADER}\n32,3,6\n33,,7\n36,4,8.5\n"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["check", str(scenario(tmp_path, text, data='missing = "drop"'))]) == 0
    assert "d.csv: 1 row with a missing value left out" in out.getvalue()


def test_a_quoted_cell_over_two_lines_keeps_later_line_numbers_right(tmp_path):
    text = f'note,평수,방 개수,집값\n"two\nlines",32,3,6\nx,33,abc,7\n'
    error = refused(scenario(tmp_path, text))
    says(error, "d.csv", "'방 개수'", "'abc'", line=4)


def test_row_with_too_few_cells_names_its_line(tmp_path):
    error = refused(scenario(tmp_path, f"{HEADER}\n\n\n32,3\n"))
    says(error, "d.csv", "2", "3", line=4)


# ---------------------------------------------------------------- numbers as people write them


def test_thousands_separator_is_read_as_the_number(tmp_path):
    text = f'{HEADER}\n"1,234",3,6\n"12,345.5",3,7\n36,4,"1,000"\n'
    data = load_scenario(scenario(tmp_path, text)).data
    assert data.train_inputs[:, 0].tolist() == [1234, 12345.5, 36]
    assert data.train_targets[:, 0].tolist() == [6, 7, 1000]


def test_underscore_is_not_read_as_32(tmp_path):
    error = refused(scenario(tmp_path, f"{HEADER}\n3_2,3,6\n"))
    says(error, "d.csv", "'평수'", "'3_2'", line=2)


def test_semicolon_delimited_file_is_read(tmp_path):
    data = load_scenario(scenario(tmp_path, "평수;방 개수;집값\n32;3;6\n33;3;7\n")).data
    assert data.train_inputs.tolist() == [[32, 3], [33, 3]]


def test_decimal_comma_in_a_semicolon_file_is_explained(tmp_path):
    error = refused(scenario(tmp_path, "평수;방 개수;집값\n32;3;6\n33,5;3;7\n"))
    says(error, "d.csv", "'평수'", "'33,5'", line=3)
    assert "1.5" in english(error)


def test_nfd_hangul_headers_match_nfc_names(tmp_path):
    header = unicodedata.normalize("NFD", HEADER)
    assert header != HEADER
    data = load_scenario(scenario(tmp_path, "\n".join([header] + ROWS) + "\n")).data
    assert data.feature_names == ("평수", "방 개수")
    assert data.train_inputs.tolist() == [[32, 3], [33, 3], [36, 4]]


def test_duplicate_column_names_are_refused(tmp_path):
    error = refused(scenario(tmp_path, "평수,방 개수,평수,집값\n32,3,1,6\n"))
    says(error, "d.csv", "'평수'", "1, 3", line=1)


def test_features_may_be_left_out_with_csv(tmp_path):
    data = load_scenario(scenario(tmp_path, "\n".join([HEADER] + ROWS) + "\n", features="")).data
    assert data.feature_names == ("평수", "방 개수") and data.target_names == ("집값",)


def test_missing_column_lists_the_file_columns(tmp_path):
    error = refused(scenario(tmp_path, "평수,방수,집값\n32,3,6\n"))
    says(error, "d.csv", "'방 개수'", "평수, 방수, 집값")


def test_data_near_1e308_says_the_data_is_too_large_not_the_learning_rate(tmp_path):
    """The run diverges at once whatever the learning rate: the CLI says to scale the data."""
    import contextlib
    import io

    from dltui.cli.main import main

    text = f"{HEADER}\n1e307,3,6\n1.5e308,3,7\n"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", str(scenario(tmp_path, text)), "--steps", "3"]) == 0
    printed = out.getvalue()
    assert "diverged at step" in printed and "too large to train on" in printed
    assert "scale the data" in printed and "smaller learning rate" not in printed


def test_csv_with_too_many_numbers_is_refused_early(tmp_path, monkeypatch):
    from dltui.engine.load import dataset

    monkeypatch.setattr(dataset, "MAX_CELLS", 30)
    rows = "\n".join(f"{i},{i},{i}" for i in range(20))
    error = refused(scenario(tmp_path, f"{HEADER}\n{rows}\n"))
    says(error, "d.csv", line=12)


# ---------------------------------------------------------------- hostile TOML


def house(tmp_path: Path, learning_rate: str = "0.0001", extra: str = "", rows: str = "[32, 3, 6]") -> Path:
    path = tmp_path / "h.toml"
    path.write_text(f"""title = "h"
[data]
features = ["a", "b"]
target = "y"
rows = [{rows}, [33, 3, 7]]
[[model.layers]]
units = 1
[train]
loss = "mse"
learning_rate = {learning_rate}
{extra}""", encoding="utf-8")
    return path


def test_integer_of_400_digits_is_a_clear_error(tmp_path):
    error = refused(house(tmp_path, "9" * 400))
    says(error, "train.learning_rate", "400")
    error = refused(house(tmp_path, rows="[32, " + "9" * 400 + ", 6]"))
    says(error, "data.rows[1][2]", "400")


def test_integer_past_pythons_4300_digit_limit_names_its_line(tmp_path):
    error = refused(house(tmp_path, "9" * 5000))
    says(error, "5000", line=10)


def test_toml_nested_1000_deep_is_a_clear_error(tmp_path):
    error = refused(house(tmp_path, extra="[display]\nx = " + "[" * 1000 + "]" * 1000 + "\n"))
    says(error, "32", line=12)
    error = refused(house(tmp_path, extra="[display]\nx = " + "[" * 100 + "]" * 100 + "\n"))
    says(error, "display.x[1][1]", "32")


def test_50_layers_of_1000_units_are_refused_before_anything_is_built(tmp_path):
    layers = '[[model.layers]]\nunits = 1000\nactivation = "relu"\n' * 50
    path = tmp_path / "big.toml"
    path.write_text(house(tmp_path).read_text().replace("[[model.layers]]\nunits = 1\n", layers + "[[model.layers]]\nunits = 1\n"))
    error = refused(path)
    says(error, "model.layers", "49,053,001", "300,000")
    assert "parameters" in english(error) and "모수" in scenario_error_text(error, "ko")


def test_rows_times_parameters_is_capped(tmp_path):
    rows = "\n".join(f"{i},{i},{i}" for i in range(30_000))
    layers = '[[model.layers]]\nunits = 2000\nactivation = "relu"\n'
    path = scenario(tmp_path, f"{HEADER}\n{rows}\n")
    path.write_text(path.read_text().replace("[[model.layers]]\nunits = 1\n", layers + "[[model.layers]]\nunits = 1\n"))
    error = refused(path)
    says(error, "model.layers", "30,000")
    assert error.code in ("too_much_work", "too_many_activations")


@pytest.mark.slow
def test_the_largest_accepted_model_builds_and_steps_in_seconds(tmp_path):
    """At the caps: ~300,000 parameters, 330 rows (work just under 100 M): build + 3 steps.
    The peak is the child's own VmHWM: ru_maxrss carries the forking pytest worker's peak across
    exec (CI read 711 MB, the worker's, for a child that peaks near 400)."""
    import subprocess
    import sys
    import time

    features = [f"x{i}" for i in range(580)]
    rng = np.random.default_rng(0)
    table = rng.normal(size=(330, 581)).round(3)
    (tmp_path / "d.csv").write_text(",".join(features + ["집값"]) + "\n"
                                    + "\n".join(",".join(map(str, r)) for r in table) + "\n")
    path = scenario(tmp_path, None, features="", body='optimizer = "adam"')
    path.write_text(path.read_text().replace("[[model.layers]]\nunits = 1\n",
                                             '[[model.layers]]\nunits = 500\nactivation = "relu"\n'
                                             "[[model.layers]]\nunits = 1\n"))
    code = f"""
import time
from dltui.engine import load_scenario
from dltui.engine.train.trainer import Trainer
t = time.time(); trainer = Trainer(load_scenario({str(path)!r})); trainer.run(3); trainer.snapshot()
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(time.time() - t, peak / 1024)
"""
    seconds, megabytes = map(float, subprocess.run([sys.executable, "-c", code], capture_output=True,
                                                   text=True, check=True, timeout=300).stdout.split())
    assert seconds < 20 and megabytes < 700, (seconds, megabytes)


@pytest.mark.parametrize("raw, data", [
    ("평수;방 개수;집값\n32;3;6\n33;3;7\n36;4;8.5\n".encode("cp949"), 'encoding = "cp949"'),
    (f"{HEADER}\n32,3,6\n33,,7\n36,4,8.5\n40,5,9\n".encode(), 'missing = "drop"'),
    (f'{HEADER}\n"1,032",3,6\n33,3,7\n'.encode(), ""),
    (unicodedata.normalize("NFD", "\n".join([HEADER] + ROWS) + "\n").encode(), ""),
])
def test_generated_code_for_a_csv_read_with_care_writes_the_rows_out(tmp_path, raw, data):
    """The --code script reads only plain UTF-8, comma CSVs itself; for the others it carries the
    rows the loader read, and gives the engine's losses."""
    from dltui.engine.explain.codegen import training_code
    from dltui.engine.train.trainer import Trainer
    from generated_script import run_script

    loaded = load_scenario(scenario(tmp_path, raw, data=data))
    assert not loaded.data.csv_plain
    text = training_code(loaded, steps=3).text
    assert "DATA_FILE" not in text
    namespace = run_script(text)
    trainer = Trainer(loaded)
    trainer.run(3)
    np.testing.assert_allclose(namespace["losses"], np.frombuffer(trainer.history.losses), rtol=1e-9)


def test_a_plain_csv_is_still_read_by_the_generated_code(tmp_path):
    from dltui.engine.explain.codegen import training_code

    loaded = load_scenario(scenario(tmp_path, "\n".join([HEADER] + ROWS) + "\n"))
    assert loaded.data.csv_plain and "DATA_FILE" in training_code(loaded, steps=1).text
