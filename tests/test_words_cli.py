"""What the CLI hands out: JSON/CSV fields that tell the whole story, handouts in Korean."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from dltui.engine import open_scenario
from dltui.engine.export import fresh_records, replayed_records, write_csv

from test_cli import dltui, strict_json


def test_json_steps_carry_learning_rate_and_accuracies_for_classification():
    result = dltui("run", "iris", "--steps", "300", "--format", "json")
    assert result.returncode == 0, result.stderr
    steps = strict_json(result.stdout)["steps"]
    scenario = open_scenario("iris")
    targets = scenario.data.train_targets.astype(int)
    for record in (steps[0], steps[150], steps[-1]):
        assert record["learning_rate"] == scenario.train.learning_rate
        predicted = np.asarray(record["predictions"]).argmax(axis=1)     # independent of the engine
        assert record["accuracy"] == pytest.approx((predicted == targets).mean())
    # the lesson's promise, now in the output: 28 of the 30 held-out flowers by step 300
    assert steps[-1]["test_accuracy"] * 30 == pytest.approx(28) or steps[-1]["test_accuracy"] * 30 > 28


def test_regression_steps_have_null_accuracies_and_csv_has_the_same_columns():
    records = list(fresh_records(open_scenario("house_prices"), 2))
    assert all(r["accuracy"] is None and r["test_accuracy"] is None for r in records)
    out = io.StringIO()
    write_csv(open_scenario("house_prices"), records, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["learning_rate"] for r in rows] == ["0.0001"] * 3
    assert rows[0]["accuracy"] == "" and rows[0]["test_accuracy"] == ""


def test_live_rate_changes_survive_export():
    """The TUI exports by replaying the history's rates; each record says which rate it had."""
    rates = [0.0001, 0.0002, 0.0002, 0.00005]
    records = list(replayed_records(open_scenario("house_prices"), rates))
    assert [r["learning_rate"] for r in records] == rates
    json.dumps(records, allow_nan=False)


from dltui.cli.explain_text import write_explained
from dltui.engine import bundled_titles
from words_check import english_prose, scenario_names


@pytest.mark.parametrize("name", [name for name, _ in bundled_titles() if name != "abalone"])
def test_korean_handout_has_no_english_prose(name):
    scenario = open_scenario(name)
    out = io.StringIO()
    write_explained(scenario, 2, "ko", out)
    text = out.getvalue()
    assert "기울기" in text and "갱신" in text or "발산" in text
    prose = english_prose(text, scenario_names(scenario))
    assert not prose, prose


def test_steps_0_explain_is_the_lectures_exercise():
    """The forward pass and loss of step 0, nothing after: 5.8 / 6.7 / 7.3 and 1.7 / 3 = 0.567."""
    out = io.StringIO()
    write_explained(open_scenario("house_prices"), 0, "ko", out)
    text = out.getvalue()
    for line in ("1) 32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 + 0.5 = 5.8", "2) 33 ⋅ 0.1 + 3 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 6.7",
                 "3) 36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 7.3", "손실 = (0.2 + 0.3 + 1.2) / 3 = 1.7 / 3 = 0.567"):
        assert line in text
    assert "𝜕L" not in text and "갱신" not in text


def test_english_handout_keeps_its_words():
    out = io.StringIO()
    write_explained(open_scenario("xor"), 1, "en", out)
    text = out.getvalue()
    assert "layer 2 (output, sigmoid): 𝜕L/𝜕z = 𝜕L/𝜕a ⋅ 𝜕a/𝜕z" in text and "row 1, unit 1: 𝜕L/𝜕z" in text
    assert "𝜕z/𝜕w = the weight's input (a of layer 1); 𝜕z/𝜕b = 1" in text
    out = io.StringIO()
    write_explained(open_scenario("house_prices"), 1, "en", out)
    assert "𝜕L/𝜕w1 = mean of sign(predict − target) ⋅ x1" in out.getvalue()


def test_every_korean_message_is_korean():
    from dltui.words import HELP, MESSAGES

    for key, texts in MESSAGES.items():
        assert not english_prose(texts["ko"]), (key, texts["ko"])
    import re
    help_text = re.sub(r"`[^`]*`", " ", HELP["ko"])       # key names in code spans
    assert not english_prose(help_text), english_prose(help_text)


def test_every_loss_in_the_registry_has_its_words_in_both_languages():
    """A loss added to engine/ops.py without its Korean formula would show English prose."""
    from dltui.engine import ops
    from dltui.words import MESSAGES

    for name in ops.LOSS_NAMES:
        for key in (f"formula.{name}", f"factor.{name}", f"loss_note.{name}"):
            if key.startswith("loss_note") and name == "mae":
                continue          # the lecture's MAE is PyTorch's: nothing to note
            assert key in MESSAGES, key


def test_common_scenario_errors_are_said_in_korean(tmp_path):
    """Real loader errors (missing file, encoding, TOML, CSV encoding, unknown name) in Korean."""
    from dltui.engine import ScenarioError
    from dltui.words.errors import scenario_error_text

    (tmp_path / "latin1.toml").write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    (tmp_path / "bad.toml").write_text("title = \n", encoding="utf-8")
    (tmp_path / "data.csv").write_bytes("a,y\n1,caf\xe9\n".encode("latin-1"))
    (tmp_path / "csv.toml").write_text('title = "t"\n[data]\ncsv = "data.csv"\nfeatures = ["a"]\ntarget = "y"\n'
                                       '[[model.layers]]\nunits = 1\n[train]\nloss = "mse"\nlearning_rate = 0.1\n',
                                       encoding="utf-8")
    expected = {"missing.toml": "파일이 없습니다", "latin1.toml": "UTF-8 글자가 아닙니다",
                "bad.toml": "TOML 문법 오류, 1번째 줄 9번째 글자", "csv.toml": "UTF-8로 저장하세요", "nonesuch": "포함된 시나리오가 없고"}
    for name, korean in expected.items():
        target = name if name == "nonesuch" else str(tmp_path / name)
        with pytest.raises(ScenarioError) as caught:
            open_scenario(target)
        text = scenario_error_text(caught.value, "ko")
        assert korean in text, text
        english = scenario_error_text(caught.value, "en")
        assert target in english and not any("가" <= ch <= "힣" for ch in english.replace(str(tmp_path), ""))


@pytest.mark.parametrize("args, said", [
    (("run", "house_prices", "--steps", "abc"), "dltui run: --steps: 정수여야 합니다 (받은 값: 'abc')"),
    (("run", "house_prices", "--steps", "-3"), "dltui run: --steps: 0 이상이어야 합니다 (받은 값: -3)"),
    (("run", "house_prices", "--format", "xls"),
     "dltui run: --format: 고를 수 없는 값입니다: 'xls' (고를 수 있는 값: 'table', 'csv', 'json')"),
    (("run",), "dltui run: 꼭 주어야 하는 인자가 없습니다: scenario"),
    (("run", "house_prices", "--nope"), "dltui: 알 수 없는 인자입니다: --nope"),
    (("serve", "--port", "99999"), "dltui serve: --port: 1에서 65535 사이여야 합니다 (받은 값: 99999)"),
    (("--nope",), "dltui: 알 수 없는 인자입니다: --nope"),
])
def test_bad_arguments_are_refused_in_the_readers_language(args, said, monkeypatch):
    from cli_inprocess import run_cli

    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")          # the locale says Korean; no --lang given
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    usage, reason = result.stderr.strip().splitlines()[0], result.stderr.strip().splitlines()[-1]
    assert usage.startswith("사용법: dltui") and reason == said
    english = run_cli(*args, "--lang", "en")
    assert english.returncode == 2 and english.stderr.startswith("usage: dltui")
    assert english.stderr.strip().splitlines()[-1].startswith(said.split(":")[0] + ": ")
    assert not any("가" <= ch <= "힣" for ch in english.stderr)


def test_every_argument_type_refusal_has_korean_words():
    import argparse

    from dltui.cli.arguments import non_negative, port
    from dltui.cli.serve import _folder, _public_url, duration
    from dltui.words.cli_arguments import argument_error_text
    from words_check import english_prose

    bad = [(non_negative, "abc"), (non_negative, "-1"), (port, "0"), (duration, "5x"), (duration, "0s"),
           (_public_url, "ftp://x"), (_folder, "/no/such/folder")]
    for kind, text in bad:
        with pytest.raises(argparse.ArgumentTypeError) as refused:
            kind(text)
        korean = argument_error_text(str(refused.value), "ko")
        assert korean != str(refused.value)
        assert english_prose(korean.replace(text, ""), {"m", "s", "h", "http", "https"}) == [], korean
