"""Korean that reads as Korean: particles attached and chosen by the sound before them, one word
for a step and one for a phase, and none of our tests' words (약속, 시험) in what a student reads."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import dltui.words as words
from dltui.engine import bundled_names, open_scenario
from dltui.words.messages import HELP, MESSAGES, t
from dltui.words.particles import attach, format_particles, last_sound

PARTICLE = r"(?:으로|로|은|는|이|가|을|를|와|과|의|에서|에|도|만|까지|부터|처럼|보다|마다|이라고|라고)"
# a particle standing alone after a name, a mark, a number or a placeholder: `MSE 는`, `**xor** 와`, `{lr} 을`
DETACHED = re.compile(r"(?<=[A-Za-z0-9`*’'\")\]}])(?<!:\*\*)[ \t]+" + PARTICLE + r"(?=[\s,.)!?:;]|$)", re.M)
# both forms written out for the program to not choose: 은(는), 을/를, (으)로, (이)라고
BOTH_FORMS = re.compile(r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|와\(과\)|과\(와\)|\(으\)로|\(이\)"
                        r"|을/를|은/는|이/가|와/과")
OUR_WORDS = re.compile(r"약속\s*:|\*\*약속|테스트가 지킵니다|따라가는 슬라이드|시험|Promise\s*:")
# a particle attached to a Latin or digit name: its form must be the one the name's sound takes
ATTACHED = re.compile(r"([A-Za-z][A-Za-z_]*[0-9]*|[0-9]+(?:\.[0-9]+)?)([`*’']*)(으로|로|은|는|이|가|을|를|와|과)"
                      r"(?![가-힣])")


def korean_of(table) -> list[str]:
    """Every Korean string of a words/ table (dicts of {"ko": ..., "en": ...}, nested or not)."""
    found = []
    if isinstance(table, dict):
        for key, value in table.items():
            if key == "ko" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(korean_of(value))
    return found


def word_texts() -> list[tuple[str, str]]:
    texts = []
    for info in pkgutil.iter_modules(words.__path__):
        module = importlib.import_module(f"dltui.words.{info.name}")
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, dict) and name != "HELP":
                texts += [(f"words/{info.name}.py {name}", text) for text in korean_of(value)]
    return texts + [("words HELP", HELP["ko"])]


def lesson_texts() -> list[tuple[str, str]]:
    texts = []
    for name in bundled_names():
        scenario = open_scenario(name)
        texts += [(name, scenario.title), (name, scenario.description("ko"))]
        texts += [(f"{name} quiz", spec.ask.get("ko", "")) for spec in scenario.quiz]
    return texts


ALL_TEXTS: dict[str, list[str]] = {}
for _where, _text in word_texts() + lesson_texts():
    ALL_TEXTS.setdefault(_where, []).append(_text)


def problems(text: str) -> list[str]:
    found = [f"detached {m.group(0)!r}" for m in DETACHED.finditer(text)]
    found += [f"both forms {m.group(0)!r}" for m in BOTH_FORMS.finditer(text)]
    found += [f"our word {m.group(0)!r}" for m in OUR_WORDS.finditer(text)]
    for m in ATTACHED.finditer(re.sub(r"{\w+(?::[^}]*)?}", "", text)):
        word, _, found_particle = m.groups()
        if attach(word, found_particle) != word + found_particle:
            found.append(f"{word}{found_particle} should be {attach(word, found_particle)}")
    return found


@pytest.mark.parametrize("sample, expected", [
    ("w1", "w1을"), ("b", "b를"), ("MSE", "MSE를"), ("평수", "평수를"), ("집 값", "집 값을"),
    ("x2", "x2를"), ("Adam", "Adam을"), ("0.567", "0.567을"), ("10", "10을"), ("**xor**", "**xor**를"),
])
def test_a_particle_follows_the_sound_of_the_word_before_it(sample, expected):
    assert attach(sample, "을") == attach(sample, "를") == expected


@pytest.mark.parametrize("sample, which, expected", [
    ("물감", "로", "물감으로"), ("길", "으로", "길로"), ("w1", "으로", "w1로"), ("b", "으로", "b로"),
    ("MSE", "은", "MSE는"), ("손실", "는", "손실은"), ("x1", "와", "x1과"), ("xor", "과", "xor와"),
    ("b", "이", "b가"), ("Target", "가", "Target이"), ("3", "이", "3이"), ("묶음(minibatch)", "로", "묶음(minibatch)으로"),
    ("`v`", "을", "`v`를"), ("m", "로", "m으로"), ("l", "으로", "l로"),
])
def test_each_pair_picks_by_batchim_and_rieul_takes_ro(sample, which, expected):
    assert attach(sample, which) == expected


def test_templates_choose_the_particle_from_the_value():
    assert format_particles("{param:은} 어느 쪽으로?", param="w1") == "w1은 어느 쪽으로?"
    assert format_particles("{param:은} 어느 쪽으로?", param="b") == "b는 어느 쪽으로?"
    assert format_particles("{x:.2f}, {name:로}", x=0.5, name="ReLU") == "0.50, ReLU로"
    assert t("quiz.new_value", "ko", param="b").startswith("갱신 뒤 b의 새 값")
    assert "w1은 어느 쪽" in t("quiz.direction", "ko", param="w1")
    assert "b는 어느 쪽" in t("quiz.direction", "ko", param="b")
    with pytest.raises(ValueError):
        last_sound("?")


def test_the_checker_catches_what_it_is_for():
    """The checks below fail on the old texts' faults; each fault here is one the audit found."""
    for bad in ("MSE 는 평균입니다", "**xor** 와 같이", "b 가 바뀝니다", "{param} 은(는) 어느 쪽",
                "**약속:** 테스트가 지킵니다", "**따라가는 슬라이드:** 5", "w1를 줄이면", "b을 늘리면",
                "{lr} 을 더", "`.` 를 누르면", "(   )을/를 찾는"):
        assert problems(bad), bad
    for good in ("`MSE`는 평균입니다", "w1을 줄이면", "b를 늘리면", "이 숫자는 어디서 왔나", "`.`: 한 과정씩",
                 "**눈여겨볼 것:** 이 과정에서"):
        assert not problems(good), good


@pytest.mark.parametrize("where", sorted(ALL_TEXTS))
def test_every_korean_text_attaches_its_particles_and_speaks_to_the_student(where):
    found = {text[:60]: problems(text) for text in ALL_TEXTS[where] if problems(text)}
    assert not found, f"{where}: {found}"


LESSON_MARKDOWN = {"course.here", "course.next", "course.previous", "course.lecture_done", "course.last"}


def test_messages_outside_markdown_carry_no_literal_backticks():
    """Notifications, the status line and the panes show a backtick as it is; only the lesson's
    closing lines and the help are Markdown."""
    literal = sorted(key for key, texts in MESSAGES.items()
                     if key not in LESSON_MARKDOWN and not key.startswith("help.")
                     and any("`" in text for text in texts.values()))
    assert not literal


@pytest.mark.parametrize("name", bundled_names())
def test_a_phase_is_a_phase_in_every_lesson(name):
    """The screen calls a step 단계 and a phase 과정; `.` goes one phase at a time."""
    ko = open_scenario(name).description("ko")
    assert "한 단계씩" not in ko and "걸음" not in ko
    for line in ko.splitlines():
        if line.lstrip("- ").startswith("`.`"):
            assert "과정" in line, line


@pytest.mark.asyncio
async def test_the_settings_dialog_and_the_layers_name_their_choices_in_korean():
    from tui_helpers import make_app, parameters_text, wait_ready, wait_until
    from dltui.tui.settings import SettingsScreen

    app = make_app("xor_hidden_linear", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        assert "identity = F 없음" in parameters_text(app)          # the hidden layer: no F
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        for label in ("F 없음 (identity)", "시그모이드 (sigmoid)", "스케일링 없음 (none)"):
            assert label in shown, shown
        optimizer = app.screen.query_one("#set-optimizer").value
        assert f"({optimizer})" in shown                              # the value itself stays beside its name
