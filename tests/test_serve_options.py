"""`dltui serve`'s options and the server's pure helpers (no server started)."""

from __future__ import annotations

import argparse

import pytest

from dltui.cli.main import main
from dltui.cli.serve import duration, share_urls
from dltui.cli.serve.server import Limits, clamp_size, full_page


@pytest.mark.parametrize("text, seconds", [("90s", 90), ("45m", 2700), ("2h", 7200), ("1h30m", 5400),
                                           ("0", 0), ("1.5m", 90)])
def test_durations(text, seconds):
    assert duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "10", "-5m", "0m", "5 minutes"])
def test_bad_durations_say_what_is_expected(text):
    with pytest.raises(argparse.ArgumentTypeError, match="like 30m, 90s or 1h"):
        duration(text)


def test_bad_options_exit_2_with_a_message(capsys, tmp_path):
    for argv in (["serve", "--idle", "soon"], ["serve", "--max-sessions", "0"],
                 ["serve", "--public-url", "javascript:alert(1)"], ["serve", "--scenarios", str(tmp_path / "none")]):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
        assert "Traceback" not in capsys.readouterr().err


def test_terminal_sizes_are_clamped():
    limits = Limits(max_cols=300, max_rows=100)
    assert clamp_size(10000, 10000, limits) == (300, 100)
    assert clamp_size("120", "36", limits) == (120, 36)
    assert clamp_size(-4, 0, limits) == (10, 5)
    assert clamp_size("wide", None, limits) == (80, 24)
    assert clamp_size(1e300, float("inf"), limits) == (300, 24)


def test_share_urls_name_this_machine_not_the_wildcard():
    for url in share_urls("0.0.0.0", 8000):
        assert url.endswith(":8000/") and "0.0.0.0" not in url and "127." not in url
    assert share_urls("127.0.0.1", 8123) == ["http://127.0.0.1:8123/"]
    assert share_urls("::1", 8123) == ["http://[::1]:8123/"]


def test_the_full_page_is_bilingual_and_escaped():
    page = full_page(3)
    assert "수업 서버가 가득 찼습니다 (3명 접속 중)" in page and "The class server is full (3 sessions open)" in page
