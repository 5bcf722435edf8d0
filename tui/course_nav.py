"""The course on screen: the open dialog's list under the lecture's headings, the lesson pane's
closing "what comes next", and which lesson `>` / `<` open. Order and headings come from
engine/load/course.py; the words from i18n."""

from __future__ import annotations

import re

from textual.widgets.option_list import Option

from dltui.engine import Scenario, symbols
from dltui.engine.load.catalog import bundled_title
from dltui.engine.load.course import course, course_listing, lesson_of
from dltui.words import t


def course_options(lang: str, names: set[str] | None = None) -> list[Option]:
    """Headings (disabled) and lessons (id = scenario name) in course order.

    `names`: offer only these scenarios (a served app may restrict the list); headings whose
    lessons are all left out are dropped.
    """
    options: list[Option] = []
    for section, rows in course_listing():
        shown = [(name, title) for name, title in rows if names is None or name in names]
        if not shown:
            continue
        options.append(Option(f"━━ {section.title(lang)}", id=f"heading-{len(options)}", disabled=True))
        for name, title in shown:
            options.append(Option(f"   {name:<26} {title}", id=name))
    return options


def lesson_text(scenario: Scenario, lang: str) -> str:
    """The scenario's lesson, ending (for a course lesson) with where it sits and what comes next."""
    text = symbols.narrow(scenario.description(lang).rstrip())   # a lesson file's own × and ·
    name = lesson_of(scenario)
    if name is None:
        return text
    plan = course()
    s, i = plan.place(name)
    section = plan.sections[s]
    lines = [t("course.here", lang, section=section.title(lang), index=i + 1, count=len(section.lessons))]
    following = plan.neighbour(name, 1)
    if following is None:
        lines.append(t("course.last", lang))
    else:
        next_section = plan.sections[plan.place(following)[0]]
        if next_section.beyond and not section.beyond:
            lines.append(t("course.lecture_done", lang))
        title = title_in(bundled_title(following), lang)
        lines.append(t("course.next", lang, title=title, section=next_section.title(lang)))
    if plan.neighbour(name, -1) is not None:
        lines.append(t("course.previous", lang))
    return text + "\n\n---\n\n" + "\n\n".join(lines) + "\n"


def title_in(title: str, lang: str) -> str:
    """One language of a bundled title written "한국어 (English)"; the whole title otherwise."""
    match = re.fullmatch(r"(.+?) \(([^()]+)\)", title.strip())
    if not match:
        return title
    return match.group(1) if lang == "ko" else match.group(2)


def neighbour_lesson(scenario: Scenario, step: int, lang: str) -> tuple[str | None, str]:
    """The lesson `step` away (1 next, -1 previous) and, when there is none, why (a notice)."""
    name = lesson_of(scenario)
    if name is None:
        return None, t("course.not_in", lang)
    other = course().neighbour(name, step)
    if other is None:
        return None, t("course.at_end" if step > 0 else "course.at_start", lang)
    return other, ""
