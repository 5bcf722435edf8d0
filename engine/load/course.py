"""The lecture as a course: sections in the lecture's order, each with its lessons in order.

Read from the bundled `scenarios/course.toml` (not a scenario itself). `dltui list`, the open
dialog, plain `dltui` and the next / previous lesson keys all take their order from here. A
bundled scenario the file does not name is still offered, after the course, alphabetically.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from dltui.engine.load.catalog import COURSE_FILE, bundled_dir, bundled_names
from dltui.engine.load.reader import ScenarioError, kind_of, shown
from dltui.engine.load.toml_error import toml_error_values

LANGS = ("ko", "en")


@dataclass(frozen=True)
class Section:
    titles: dict[str, str]
    lessons: tuple[str, ...]
    beyond: bool = False      # past the lecture (an extension)

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()))


@dataclass(frozen=True)
class Course:
    sections: tuple[Section, ...]
    others: tuple[str, ...] = ()   # bundled scenarios the course file does not name, alphabetical

    @property
    def lessons(self) -> tuple[str, ...]:
        return tuple(name for section in self.sections for name in section.lessons)

    @property
    def first(self) -> str:
        return self.lessons[0]

    def place(self, name: str) -> tuple[int, int] | None:
        """(section index, lesson index in it) of a lesson, or None if it is not in the course."""
        for s, section in enumerate(self.sections):
            if name in section.lessons:
                return s, section.lessons.index(name)
        return None

    def neighbour(self, name: str, step: int) -> str | None:
        """The next (`step` = 1) or previous (-1) lesson, or None past either end / off the course."""
        lessons = self.lessons
        if name not in lessons:
            return None
        index = lessons.index(name) + step
        return lessons[index] if 0 <= index < len(lessons) else None


def parse_course(text: str, known: list[str], source: str = COURSE_FILE) -> Course:
    """A course from the file's text; every lesson must be one of `known`, named once."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", "toml.syntax", **toml_error_values(exc, text)) from None
    sections, seen = [], set()
    raw = doc.get("section")
    if not isinstance(raw, list) or not raw:
        raise ScenarioError(source, "section", "course.sections")
    for i, table in enumerate(raw, start=1):
        where = f"section[{i}]"
        titles = table.get("title") if isinstance(table, dict) else None
        if not isinstance(titles, dict) or any(not isinstance(titles.get(lang), str) for lang in LANGS):
            raise ScenarioError(source, f"{where}.title", "course.title")
        lessons = table.get("lessons")
        if not isinstance(lessons, list) or not lessons or not all(isinstance(n, str) for n in lessons):
            raise ScenarioError(source, f"{where}.lessons", "course.lessons")
        for name in lessons:
            if name not in known:
                raise ScenarioError(source, f"{where}.lessons", "course.lesson_unknown", name=shown(name))
            if name in seen:
                raise ScenarioError(source, f"{where}.lessons", "course.lesson_twice", name=shown(name))
            seen.add(name)
        beyond = table.get("beyond", False)
        if not isinstance(beyond, bool):
            raise ScenarioError(source, f"{where}.beyond", "value.type", expected="boolean", got=kind_of(beyond),
                                value=shown(beyond))
        sections.append(Section({lang: titles[lang] for lang in LANGS}, tuple(lessons), beyond))
    return Course(tuple(sections), tuple(sorted(set(known) - seen)))


@lru_cache(maxsize=1)
def course() -> Course:
    """The bundled course (read once)."""
    path = bundled_dir() / COURSE_FILE
    return parse_course(path.read_text("utf-8"), bundled_names(), COURSE_FILE)


def lesson_of(scenario) -> str | None:
    """The course lesson a loaded scenario is, if it is a bundled file named in the course."""
    try:
        bundled = scenario.path.resolve().parent == bundled_dir().resolve()
    except OSError:
        return None
    return scenario.name if bundled and course().place(scenario.name) else None


OTHERS_TITLES = {"ko": "그 밖의 시나리오", "en": "Other scenarios"}


def course_listing() -> list[tuple[Section, list[tuple[str, str]]]]:
    """Every bundled scenario as (section, [(name, title), ⋯]) in course order; scenarios the
    course does not name follow in an "other" section, alphabetically."""
    from dltui.engine.load.catalog import bundled_titles

    titles = dict(bundled_titles())
    plan = course()
    groups = [(section, [(name, titles[name]) for name in section.lessons]) for section in plan.sections]
    if plan.others:
        groups.append((Section(dict(OTHERS_TITLES), plan.others, beyond=True),
                       [(name, titles[name]) for name in plan.others]))
    return groups
