"""Words of `dltui serve` (issue 17), Korean and English; merged into MESSAGES.

The `serve.*` notices are written straight into a browser tab's terminal by the server (not the
app), so they are shown in both languages at once.
"""

SERVE_MESSAGES: dict[str, dict[str, str]] = {
    "served.folder": {"ko": "선생님이 준비한 시나리오", "en": "Scenarios from your teacher"},
    "served.unavailable": {"ko": "이 시나리오는 열 수 없습니다.", "en": "This scenario cannot be opened."},
    "served.too_big": {"ko": "파일이 너무 큽니다 (최대 {limit}).", "en": "The file is too big (at most {limit})."},
    "served.download": {"ko": "내려받기를 시작합니다: {name}", "en": "Download started: {name}"},
    "served.download_too_big": {
        "ko": "내보낼 내용이 너무 큽니다 ({size}, 최대 {limit}). 처음부터(r) 다시 하거나 단계를 줄여 보세요.",
        "en": "The export is too big ({size}, at most {limit}). Try fewer steps or reset (r)."},
    "serve.full": {"ko": "수업 서버가 가득 찼습니다 ({n}명 접속 중). 잠시 후 다시 열어 주세요.",
                   "en": "The class server is full ({n} sessions open). Please try again in a moment."},
    "serve.idle": {"ko": "{minutes}분 동안 입력이 없어 세션을 닫았습니다. 새로 고침하면 다시 시작합니다.",
                   "en": "Closed after {minutes} min without input. Reload the page to start again."},
    "serve.memory": {"ko": "이 세션이 메모리 한도({mb} MB)를 넘어 끝났습니다. 새로 고침하면 다시 시작합니다.",
                     "en": "This session went over its memory limit ({mb} MB) and was ended. Reload to start again."},
    "serve.retry": {"ko": "30초 뒤 자동으로 다시 시도합니다.", "en": "This page retries by itself in 30 seconds."},
}
