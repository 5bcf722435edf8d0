"""`dltui serve`: each tab in its browser's language (Accept-Language) unless --lang is given;
the console in the server's language (issue 26)."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from dltui.cli.serve.language import browser_language

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_client import ServeProcess, Tab  # noqa: E402

KOREAN, ENGLISH = "단계 0", "step 0"     # the status line at the first step


@pytest.mark.parametrize("header, lang", [
    ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"),
    ("en-US,en;q=0.9,ko;q=0.8", "en"),
    ("fr-FR,fr;q=0.9,ko;q=0.5,en;q=0.4", "ko"),
    ("en;q=0.2, ko;q=0.8", "ko"),
    ("ko;q=0.5,en;q=0.5", "ko"),       # equal weights: the first named
    ("fr, de", None), ("", None), (None, None), ("ko;q=x, en", "en"),
])
def test_the_browsers_preferred_language_of_the_two(header, lang):
    assert browser_language(header) == lang


@pytest.mark.slow
async def test_each_tab_speaks_its_browsers_language_and_lang_fixes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C.UTF-8")     # the server's own language: English
    with ServeProcess("house_prices", "--spares", "1", cwd=tmp_path) as server:
        deadline = time.monotonic() + 120
        while not server.session_pids():            # a spare, started before any tab (in English)
            assert time.monotonic() < deadline, "the spare never started"
            await asyncio.sleep(0.2)
        korean, english = await asyncio.gather(Tab.open(server.url, language="ko-KR,ko;q=0.9,en;q=0.8"),
                                               Tab.open(server.url, language="en-US,en;q=0.9"))
        try:
            await korean.wait_for(KOREAN, 120)
            await english.wait_for(ENGLISH, 120)
            assert KOREAN not in english.text
        finally:
            await korean.close()
            await english.close()
        output = server.stop()
    assert "dltui: serving house_prices; getting ready" in output
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    with ServeProcess("house_prices", "--lang", "en", "--spares", "0", cwd=tmp_path) as server:
        tab = await Tab.open(server.url, language="ko-KR,ko")
        try:
            await tab.wait_for(ENGLISH, 120)
            assert KOREAN not in tab.text
        finally:
            await tab.close()
        output = server.stop()
    assert "dltui: serving house_prices" in output      # --lang en: the console too


def test_the_console_follows_the_locale(monkeypatch):
    from dltui.words.cli_serve import console

    assert console("console.open", "ko", url="http://a/") == "dltui: 열 주소: http://a/"
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    from cli_inprocess import run_cli

    result = run_cli("serve", "house_prices", "--port", "1", "--host", "203.0.113.1")
    assert result.returncode == 1 and "에서 연결을 받을 수 없습니다" in result.stderr, result.stderr
