"""What `dltui serve` prints on the teacher's console, in the server's language (--lang, else the
locale). What a tab shows is words/serve.py's."""

from __future__ import annotations

from .particles import format_particles

SERVE_CONSOLE: dict[str, dict[str, str]] = {
    "console.cannot_listen": {"ko": "{host}:{port}에서 연결을 받을 수 없습니다: {why}",
                              "en": "cannot listen on {host}:{port}: {why}"},
    "console.everyone": {"ko": "경고: 이 컴퓨터의 모든 네트워크에서 연결을 받습니다. {port}번 포트에 닿는 누구나 "
                               "세션을 열 수 있습니다.",
                         "en": "WARNING: listening on every network of this machine; anyone who can reach port "
                               "{port} can open a session."},
    "console.students_open": {"ko": "학생들이 여는 주소:", "en": "students open:"},
    "console.open": {"ko": "열 주소: {url}", "en": "open {url}"},
    "console.serving": {"ko": "{name} 시나리오로 준비하는 중... (멈추려면 Ctrl+C)",
                        "en": "serving {name}; getting ready... (Ctrl+C to stop)"},
}


def console(key: str, lang: str, **values: object) -> str:
    return "dltui: " + format_particles(SERVE_CONSOLE[key][lang], **values)
