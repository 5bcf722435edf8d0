"""Every message in the reader's language (issue 26): `check`, `run` and the screen say a
scenario's problems, headers and run labels in Korean under a Korean locale or `--lang ko`."""

from __future__ import annotations

import pytest

from cli_inprocess import run_cli
from dltui.cli.main import DEFAULT_SCENARIO
from dltui.cli.columns import cells
from dltui.engine import ScenarioError, open_scenario, ops
from dltui.tui.app import DltuiApp
from dltui.tui.startup_error import StartupErrorScreen
from house_file import house_file
from tui_helpers import wait_ready
from words_check import english_prose

NAMES = {"sigmod", *ops.ACTIVATION_NAMES}   # quoted from the file, and the allowed values


def three_broken_files(tmp_path):
    """The three mistakes a teacher makes first, one file each: (file, what the Korean must say)."""
    good = house_file(tmp_path, name="good.toml").read_text("utf-8")
    files = {"activation.toml": (good.replace('activation = "identity"', 'activation = "sigmod"'),
                                 "알 수 없는 값 'sigmod'"),
             "weights.toml": (good.replace("[[0.1, 0.3, 4.0]]", "[[0.1, 0.3]]"),
                              "숫자가 3개(입력마다 하나)여야 하는데 2개입니다"),
             "syntax.toml": (good.replace('activation = "identity"', "activation = identity"),
                             "TOML 문법 오류, 14번째 줄 14번째 글자")}
    out = []
    for name, (text, korean) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        out.append((tmp_path / name, korean))
    return out


def korean_locale(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")


def test_check_under_a_korean_locale_says_three_mistakes_in_korean(tmp_path, monkeypatch):
    korean_locale(monkeypatch)
    files = three_broken_files(tmp_path)
    result = run_cli("check", *(path for path, _ in files))
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    for line, (path, korean) in zip(lines, files):
        assert line.startswith("오류  ") and str(path) in line and korean in line, line
        assert english_prose(line.replace(str(path), ""), NAMES) == [], line


def test_lang_en_overrides_the_korean_locale(tmp_path, monkeypatch):
    korean_locale(monkeypatch)
    path, _ = three_broken_files(tmp_path)[1]
    result = run_cli("check", path, "--lang", "en")
    assert result.stderr.startswith("invalid  ") and "must have 3 numbers (one per input), not 2" in result.stderr


@pytest.mark.asyncio
async def test_the_screen_says_the_same_three_mistakes_as_check(tmp_path):
    files = three_broken_files(tmp_path)
    said = run_cli("check", "--lang", "ko", *(path for path, _ in files)).stderr.splitlines()
    for (path, korean), line in zip(files, said):
        with pytest.raises(ScenarioError) as caught:
            open_scenario(path)
        app = DltuiApp(open_scenario(DEFAULT_SCENARIO), lang="ko", startup_error=caught.value)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_ready(pilot)
            assert isinstance(app.screen, StartupErrorScreen)
            message = app.screen.error
        assert korean in message and line == "오류  " + message


def test_run_lang_ko_prints_korean_headers():
    result = run_cli("run", "house_prices", "--steps", "1", "--lang", "ko")
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert lines[1].startswith("손실 mae, 옵티마이저 sgd, 학습률 ")
    header = lines[2].split()
    assert header[:2] == ["단계", "손실"] and header[2] == "w1"
    assert cells(lines[2]) == len(lines[3]) == len(lines[2]) + 4   # columns line up: 단계, 손실 are 2 cells a letter


def test_a_comparison_under_lang_ko_shows_each_runs_korean_label():
    scenario = open_scenario("learning_rate")
    from dltui.engine.load.compare import comparison_runs

    runs = comparison_runs(scenario)
    result = run_cli("run", "learning_rate", "--steps", "0", "--lang", "ko")
    for run in runs:
        assert f"  {run.name}: {run.label('ko')} ‒ 손실 " in result.stdout
    assert result.stdout.splitlines()[len(runs) + 1].split()[0] == "단계"
    english = run_cli("run", "learning_rate", "--steps", "0", "--lang", "en").stdout
    assert all(f"  {run.name}: {run.label('en')} ‒ loss " in english for run in runs)
    assert runs[0].label("ko") != runs[0].label("en")


def test_list_takes_lang():
    assert run_cli("list", "--lang", "en").stdout.startswith("# What is a machine learning model?")
    assert run_cli("list", "--lang", "ko").stdout.startswith("# 머신 러닝 모델이란?")
