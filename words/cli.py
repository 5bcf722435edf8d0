"""Words of the commands without a screen (`dltui check`, `list`, `run`), Korean and English.

The CLI's own lines; a scenario's problems are words/errors.py's, the table's column names the
screen's (messages.py: step, loss, test_loss).
"""

from __future__ import annotations

from .particles import format_particles

CLI_MESSAGES: dict[str, dict[str, str]] = {
    "check.ok": {"ko": "통과", "en": "ok"},
    "check.invalid": {"ko": "오류", "en": "invalid"},
    "check.runs": {"ko": " (실행 {count}개: {names})", "en": " ({count} runs: {names})"},
    "run.setup": {"ko": "손실 {loss}, 옵티마이저 {optimizer}, 학습률 {lr}",
                  "en": "loss {loss}, optimizer {optimizer}, learning rate {lr}"},
    "run.more_parameters": {"ko": "모수 {count}개", "en": "{count} more parameters"},
    "run.more_predictions": {"ko": "예측 {count}개", "en": "{count} more predictions"},
    "run.and": {"ko": ", ", "en": " and "},
    "run.not_shown": {"ko": "({hidden} 생략: --format csv 또는 json으로 모두 볼 수 있습니다)",
                      "en": "({hidden} not shown: use --format csv or json)"},
    "run.diverged": {"ko": "{step} 단계에서 발산: 손실이나 모수가 더 이상 유한한 숫자가 아닙니다 ({cause})",
                     "en": "diverged at step {step}: the loss or a parameter is no longer a finite number ({cause})"},
    "run.cause.rate": {"ko": "학습률을 줄여 보세요", "en": "try a smaller learning rate"},
    "run.cause.data": {"ko": "데이터의 숫자가 너무 커서 학습할 수 없습니다 (약 {size}): 학습률이 아니라 데이터의 크기를 "
                             "줄이세요 (data.normalize, 또는 열을 나누기)",
                       "en": "the data's numbers are too large to train on (about {size}): scale the data "
                             "(data.normalize, or divide the column), not the learning rate"},
    "run.diverged_cell": {"ko": "발산", "en": "diverged"},
    "run.saved": {"ko": "저장함: {paths}", "en": "saved: {paths}"},
    "run.every": {"ko": "파일이 너무 커지지 않게 {every} 단계마다 하나씩 (그리고 마지막 단계를) 저장했습니다",
                  "en": "one step in every {every} saved (and the last), to keep the files a sensible size"},
    "run.cannot_write": {"ko": "쓸 수 없습니다: {path} ({why})", "en": "cannot write {path}: {why}"},
    "run.no_scenario_file": {"ko": "scenario.toml은 만들지 않았습니다: {why}", "en": "no scenario.toml: {why}"},
}


def said(key: str, lang: str, **values: object) -> str:
    return format_particles(CLI_MESSAGES[key][lang], **values)
