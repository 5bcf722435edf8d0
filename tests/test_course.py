"""The lecture as a course: its order, the list and open dialog under its headings, plain `dltui`
on the first lesson, `>` / `<` between lessons, every lesson ending with what comes next, and
`dltui run --code` printing a script that runs as is and gives the engine's losses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Markdown, OptionList

from dltui.engine import DEFAULT_SCENARIO, ScenarioError, bundled_names, open_scenario
from dltui.engine.load.course import course, course_listing, parse_course
from dltui.tui.app import KEYS, DltuiApp
from dltui.tui.course_nav import lesson_text, title_in
from dltui.tui.i18n import HELP, t
from dltui.tui.layout import footer_actions, key_display
from dltui.tui.screens import OpenScreen
from tui_helpers import make_app, wait_until
from said import refused

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DLTUI = str(Path(sys.executable).with_name("dltui"))

# The lecture's headings (seeds/*.txt), in its order, and the lessons each must hold first.
LECTURE_ORDER = [
    ("머신 러닝 모델이란?", ["paint_mixing", "guess_19"]),
    ("머신 러닝 과정", ["ml_process"]),
    ("퍼셉트론", ["perceptron_and", "perceptron_or", "house_no_bias"]),
    ("활성화 함수", ["xor_perceptron", "xor_linear", "xor", "xor_feature", "xor_hidden_linear"]),
    ("손실", ["mae_exercise_1", "house_prices", "mae_exercise_3"]),
    ("경사하강법", ["learning_rate"]),
    ("테스트", ["house_test"]),
    ("파이토치", ["lecture_code", "closed_form"]),
]


def dltui(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DLTUI, *args], capture_output=True, text=True, encoding="utf-8",
                          timeout=120, cwd=cwd)


# --------------------------------------------------------------------------- the order


def test_the_course_lists_every_bundled_scenario_exactly_once():
    lessons = course().lessons
    assert len(lessons) == len(set(lessons))
    assert sorted(lessons) == sorted(bundled_names())
    assert course().others == ()
    assert "course" not in bundled_names()   # the course file is not a scenario


def test_sections_follow_the_lecture_and_extensions_come_last():
    sections = course().sections
    for section, (heading, lessons) in zip(sections, LECTURE_ORDER):
        assert heading in section.title("ko")
        assert list(section.lessons[:len(lessons)]) == lessons
        assert not section.beyond
    beyond = [s for s in sections if s.beyond]
    assert sections[len(sections) - len(beyond):] == tuple(beyond)   # all after the lecture
    extension_lessons = {n for s in beyond for n in s.lessons}
    assert {"feature_scaling", "adam_vs_sgd", "momentum",
            "iris", "abalone"} == extension_lessons
    for section in sections:
        assert re.search(r"[\uac00-\ud7a3]", section.title("ko")) and re.search(r"[A-Za-z]{4}", section.title("en"))
        assert not re.search(r"[\uac00-\ud7a3]", section.title("en"))


def test_plain_dltui_starts_on_the_first_lesson():
    assert DEFAULT_SCENARIO == course().first == "paint_mixing"


@pytest.mark.parametrize("text, problem", [
    ("[[section]]\ntitle.ko = 'a'\nlessons = ['xor']\n", "title.ko and title.en"),
    ("[[section]]\ntitle = {ko = 'a', en = 'b'}\nlessons = ['nope']\n", "'nope' is not a bundled scenario"),
    ("[[section]]\ntitle = {ko = 'a', en = 'b'}\nlessons = ['xor', 'xor']\n", "'xor' is listed twice"),
    ("[[section]]\ntitle = {ko = 'a', en = 'b'}\nlessons = []\n", "non-empty list"),
    ("title = 'x'\n", "[[section]]"),
    ("[[section]\n", "not valid TOML"),
])
def test_a_broken_course_file_says_what_is_wrong(text, problem):
    with refused(re.escape(problem)):
        parse_course(text, ["xor", "iris"])


def test_scenarios_the_course_does_not_name_come_after_it_alphabetically():
    plan = parse_course("[[section]]\ntitle = {ko = 'a', en = 'b'}\nlessons = ['xor']\n", ["zeta", "xor", "alpha"])
    assert plan.lessons == ("xor",) and plan.others == ("alpha", "zeta")


# --------------------------------------------------------------------------- dltui list


def test_list_prints_the_course_order_under_its_headings():
    result = dltui("list", "--lang", "ko")
    assert result.returncode == 0, result.stderr
    headings, names = [], []
    for line in result.stdout.splitlines():
        if line.startswith("# "):
            headings.append(line)
        elif line:
            names.append(line.split()[0])
    assert names == list(course().lessons)
    assert len(headings) == len(course().sections)
    assert headings[0] == "# 머신 러닝 모델이란?"
    assert "강의 너머" in headings[-1]
    english = [line for line in dltui("list", "--lang", "en").stdout.splitlines() if line.startswith("# ")]
    assert english[0] == "# What is a machine learning model?" and "Beyond the lecture" in english[-1]


# --------------------------------------------------------------------------- lesson text


TITLES = {name: title for _, rows in course_listing() for name, title in rows}


@pytest.mark.parametrize("name", sorted(course().lessons))
def test_every_lesson_ends_with_what_comes_next(name):
    following = course().neighbour(name, 1)
    for lang in ("ko", "en"):
        lesson = open_scenario(name).description(lang).rstrip()
        text = lesson_text(open_scenario(name), lang)
        assert text.startswith(lesson)
        tail = text[len(lesson):]
        if following is None:
            assert ("마지막 수업" if lang == "ko" else "last lesson") in tail
        else:
            assert title_in(TITLES[following], lang) in tail and "`>`" in tail
        if lang == "en":   # no Korean on the English screen's footer
            assert not re.search(r"[\uac00-\ud7a3]", tail)


@pytest.mark.parametrize("name", sorted(course().lessons))
def test_every_title_has_a_korean_and_an_english_part(name):
    ko, en = title_in(TITLES[name], "ko"), title_in(TITLES[name], "en")
    assert re.search(r"[\uac00-\ud7a3]", ko) and not re.search(r"[\uac00-\ud7a3]", en) and en != ko


def test_the_end_of_the_lecture_is_marked():
    text = lesson_text(open_scenario("closed_form"), "ko")
    assert "강의 너머" in text
    assert "강의 너머" not in lesson_text(open_scenario("lecture_code"), "ko")
    assert "강의 너머" not in lesson_text(open_scenario("house_test"), "ko")


def test_a_users_own_file_has_no_course_footer(tmp_path):
    copy = tmp_path / "xor.toml"
    shutil.copy(SCENARIOS / "xor.toml", copy)
    from dltui.engine import load_scenario
    scenario = load_scenario(copy)
    assert lesson_text(scenario, "en") == scenario.description("en").rstrip()


@pytest.mark.parametrize("name", sorted(course().lessons))
def test_every_lesson_names_its_slide_keys_view_and_what_to_notice(name):
    ko, en = (open_scenario(name).description(lang) for lang in ("ko", "en"))
    beyond = course().sections[course().place(name)[0]].beyond
    assert ("**강의 너머:**" if beyond else "**강의 슬라이드:**") in ko
    assert ("**Beyond the lecture:**" if beyond else "**Slide:**") in en
    assert "`space`" in ko and "`space`" in en   # the keys to press
    assert "`v`" in ko or "그림" in ko           # the view to open
    assert "`v`" in en or "opens on" in en or "Picture" in en
    assert "눈여겨볼 것" in ko and "Notice" in en


def test_identity_is_linear_regression_and_the_target_is_fixed():
    ko, en = (open_scenario("house_no_bias").description(lang) for lang in ("ko", "en"))
    assert "선형회귀" in ko and "identity = no F = plain linear regression" in en
    assert "고정된 Target, 변하는 Predict" in ko and "the Target is fixed, the Predict changes" in en
    for name in ("house_prices",):
        assert "고정된 Target, 변하는 Predict" in open_scenario(name).description("ko")


# --------------------------------------------------------------------------- the TUI


async def test_next_and_previous_lesson_keys_walk_the_course():
    app = make_app("perceptron_or", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("greater_than_sign")
        await wait_until(pilot, lambda: app.scenario.name == "house_no_bias")
        lesson = app.main.query_one("#lesson", Markdown)
        await wait_until(pilot, lambda: "5.3" in lesson.source and "다음 수업" in lesson.source)
        await pilot.press("less_than_sign", "less_than_sign")
        await wait_until(pilot, lambda: app.scenario.name == "perceptron_and")


def test_the_lesson_keys_are_free_and_shown_in_footer_help_and_palette():
    keys = [key for entry in KEYS for key in entry[0].split(",")]
    assert len(keys) == len(set(keys))   # no key does two things
    shown = {entry[1]: entry[3] for entry in KEYS}
    assert shown["next_lesson"] and "n" not in ("greater_than_sign", "less_than_sign")
    for lang in ("ko", "en"):
        assert "| `>` / `<` |" in HELP[lang]
        # the footer keeps `>` at 100 columns and up, shown as the character itself
        for width in (100, 120):
            assert "next_lesson" in footer_actions(KEYS, lambda label: t(label, lang), width)
    assert key_display("greater_than_sign") == ">" and key_display("less_than_sign") == "<"


async def test_the_ends_of_the_course_say_so():
    app = make_app("paint_mixing", lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert app.scenario.name == "paint_mixing" and notes == ["This is the first lesson"]


async def test_the_open_dialog_shows_the_course_under_its_headings():
    app = make_app("xor", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OpenScreen))
        options = app.screen.query_one(OptionList)
        items = [options.get_option_at_index(i) for i in range(options.option_count)]
        headings = [str(o.prompt) for o in items if o.disabled]
        lessons = [o.id for o in items if not o.disabled]
        assert lessons == list(course().lessons)
        assert len(headings) == len(course().sections) and "머신 러닝 모델이란?" in headings[0]
        assert items[0].disabled and items[1].id == "paint_mixing"
        assert options.highlighted_option.id == "xor"   # where you are in the course


# --------------------------------------------------------------------------- dltui run --code


@pytest.mark.slow
@pytest.mark.parametrize("name, steps", [("iris", 12), ("house_test", 15), ("lecture_code", 20)])
def test_run_code_prints_a_script_that_runs_as_is(tmp_path, name, steps):
    """The handout, saved in an empty folder beside a copy of its CSV, run by plain Python,
    prints the losses `dltui run` reports."""
    result = dltui("run", name, "--code", "--steps", str(steps))
    assert result.returncode == 0, result.stderr
    script = tmp_path / f"{name}.py"
    script.write_text(result.stdout, encoding="utf-8")
    csv = open_scenario(name).data.source_csv
    if csv:
        shutil.copy(SCENARIOS / csv, tmp_path / csv)
    ran = subprocess.run([sys.executable, script.name], capture_output=True, text=True, encoding="utf-8",
                         cwd=tmp_path, timeout=120)
    assert ran.returncode == 0, ran.stderr
    printed = [float(m) for m in re.findall(r"^step \d+: loss (\S+)$", ran.stdout, flags=re.M)]
    engine = json.loads(dltui("run", name, "--steps", str(steps), "--format", "json").stdout)
    expected = [step["loss"] for step in engine["steps"]]
    assert len(printed) == steps + 1 == len(expected)
    assert printed == pytest.approx(expected, abs=1e-6)


def test_run_code_of_a_bad_name_is_a_clear_error():
    result = dltui("run", "no_such_lesson", "--code")
    assert result.returncode == 2 and "no_such_lesson" in result.stderr and "Traceback" not in result.stderr


async def test_a_served_dialog_shows_the_course_then_the_teachers_files(tmp_path):
    from dltui.tui.served import FOLDER_PREFIX, Served

    (tmp_path / "b_mine.toml").write_text((SCENARIOS / "xor.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "a_mine.toml").write_text((SCENARIOS / "xor.toml").read_text("utf-8"), "utf-8")
    app = make_app("xor", lang="en")
    app.served = Served(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OpenScreen))
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)
               if not options.get_option_at_index(i).disabled]
        assert ids == list(course().lessons) + [FOLDER_PREFIX + "a_mine.toml", FOLDER_PREFIX + "b_mine.toml"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_walking_the_whole_course_with_the_next_key(lang):
    """From plain `dltui`'s first lesson to the last with `>`: each lesson's own text (ending with
    what comes next) and its opening picture; then `>` says it is the last."""
    app = DltuiApp(open_scenario(DEFAULT_SCENARIO), lang=lang)
    notes = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)
        lesson = app.main.query_one("#lesson", Markdown)
        for index, name in enumerate(course().lessons):
            if index:
                await pilot.press("greater_than_sign")
            await wait_until(pilot, lambda: app.scenario.name == name, timeout=30)
            expected = lesson_text(app.scenario, lang)
            await wait_until(pilot, lambda: lesson.source == expected)
            view = app.main.query_one("#views").choice.view.name
            assert view == app.scenario.display.get("view", "loss")
        notes.clear()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.scenario.name == course().lessons[-1]
        assert notes == [t("course.at_end", lang)]
