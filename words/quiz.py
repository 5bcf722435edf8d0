"""The quiz's words: each question, the verdicts and the score, in Korean and English.
The questions' numbers come from the engine (engine/explain/quiz.py); only the sentences live here."""

from __future__ import annotations

from dltui.engine.explain.quiz import Kind

QUIZ_MESSAGES: dict[str, dict[str, str]] = {
    "key.quiz": {"ko": "퀴즈", "en": "Quiz"},
    "does.quiz": {"ko": "퀴즈 모드 켜기 / 끄기: 과정마다 숫자를 보여주기 전에 먼저 묻습니다",
                  "en": "Quiz mode on / off: each phase asks for its number before it shows it"},
    "quiz.on": {"ko": "퀴즈 모드: 과정마다 숫자를 보여 주기 전에 먼저 물어봅니다 (k로 끄기). '.' 또는 space로 시작하세요",
                "en": "Quiz mode: each phase asks for its number before it shows it (k turns it off). Press . or space"},
    "quiz.off": {"ko": "퀴즈 모드 끔", "en": "Quiz mode off"},
    "quiz.score": {"ko": "퀴즈 {right}/{asked}", "en": "quiz {right}/{asked}"},
    "quiz.prediction": {"ko": "{row}행: predict = ? ({formula})", "en": "row {row}: predict = ? ({formula})"},
    "quiz.activation": {"ko": "{row}행: 층 1 뉴런 {unit}의 출력 a = ? ({formula})",
                        "en": "row {row}: layer 1 unit {unit}'s output a = ? ({formula})"},
    "quiz.sum": {"ko": "입력 ⋅ weight + bias", "en": "input ⋅ weight + bias"},
    "quiz.loss": {"ko": "이번 배치의 손실 ({loss}) = ?", "en": "this batch's loss ({loss}) = ?"},
    "quiz.direction": {"ko": "손실을 줄이려면 {param:은} 어느 쪽으로? (↑ 또는 u / ↓ 또는 d / 0: 그대로)",
                       "en": "to lower the loss, which way should {param} move? (↑ or u / ↓ or d / 0: stays)"},
    "quiz.direction.memory": {"ko": "기울기로 보면, 손실을 줄이는 쪽은 {param}의 어느 쪽? (↑ 또는 u / ↓ 또는 d / 0: 그대로) "
                                    "‒ {opt}의 갱신은 지난 기울기도 기억해서, 이번 갱신은 반대로 갈 수도 있습니다",
                              "en": "by the gradient, which way is downhill for {param}? (↑ or u / ↓ or d / 0: stays) "
                                    "‒ {opt}'s update also remembers past gradients, so this update may go the other way"},
    "quiz.new_value": {"ko": "갱신 뒤 {param}의 새 값 = ?", "en": "{param}'s new value after the update = ?"},
    "quiz.choices": {"ko": "보기: {choices} (번호나 낱말)", "en": "choose: {choices} (a number or the word)"},
    "quiz.prompt": {"ko": "답을 쓰고 Enter (Esc: 건너뛰기)", "en": "type your answer and Enter (Esc: skip)"},
    "quiz.correct": {"ko": "정답! {shown}", "en": "Correct! {shown}"},
    "quiz.wrong": {"ko": "아쉬워요 ‒ 답은 {shown} (쓴 답: {given})", "en": "Not quite ‒ it is {shown} (you said {given})"},
    "quiz.skipped": {"ko": "건너뜀 ‒ 답은 {shown}", "en": "Skipped ‒ it is {shown}"},
    "quiz.not_a_number": {"ko": "숫자로 답해 주세요 (예: 5.8, -0.25)", "en": "Please answer with a number (e.g. 5.8, -0.25)"},
    "quiz.not_a_direction": {"ko": "↑ (u), ↓ (d), 0 (그대로) 가운데 하나로 답해 주세요", "en": "Please answer ↑ (u), ↓ (d) or 0 (stays)"},
    "quiz.not_a_choice": {"ko": "보기 중 하나로 답해 주세요: {choices}", "en": "Please pick one of: {choices}"},
    "quiz.up": {"ko": "↑ (커짐)", "en": "↑ (up)"},
    "quiz.down": {"ko": "↓ (작아짐)", "en": "↓ (down)"},
    "quiz.still": {"ko": "그대로 (기울기 0)", "en": "stays (gradient 0)"},
    "quiz.hidden": {"ko": "?", "en": "?"},
    "quiz.waiting": {"ko": "(답을 하면 이 과정의 계산이 보입니다)", "en": "(answer to see this phase's arithmetic)"},
}


def question_text(question, lang: str) -> str:
    """The question in `lang` (a scenario's own words when it has them)."""
    from dltui.engine.ops import activation
    from .messages import t

    if question.ask:
        text = question.ask.get(lang) or next(iter(question.ask.values()))
    elif question.kind in (Kind.PREDICTION, Kind.ACTIVATION):
        formula = t("quiz.sum", lang)
        if question.parameter and activation(question.parameter).shows_value:   # F around the sum
            formula = f"{question.parameter}({formula})"
        text = t(f"quiz.{question.kind}", lang, row=question.row + 1, unit=(question.unit or 0) + 1,
                 formula=formula)
    elif question.kind is Kind.LOSS:
        text = t("quiz.loss", lang, loss=question.parameter)
    elif question.kind is Kind.DIRECTION and question.remembers:
        text = t("quiz.direction.memory", lang, param=question.parameter, opt=question.optimizer)
    elif question.kind is Kind.DIRECTION:
        text = t("quiz.direction", lang, param=question.parameter)
    else:
        text = t("quiz.new_value", lang, param=question.parameter)
    if question.choices:
        listed = " / ".join(f"{i}. {c}" for i, c in enumerate(question.choices, start=1))
        text += "  " + t("quiz.choices", lang, choices=listed)
    return text


def answer_text(question, lang: str) -> str:
    """The right answer as the screen writes it (directions in words)."""
    from .messages import t

    if question.kind is Kind.DIRECTION:
        return t(f"quiz.{question.answer}", lang)
    return question.shown


def invalid_text(question, lang: str) -> str:
    from .messages import t

    if question.choices:
        return t("quiz.not_a_choice", lang, choices=" / ".join(question.choices))
    if question.kind is Kind.DIRECTION:
        return t("quiz.not_a_direction", lang)
    return t("quiz.not_a_number", lang)
