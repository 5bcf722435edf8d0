"""End to end: `dltui serve` on a loopback port, driven from headless Chromium.

Needs Debian's `chromium` (.ci/run installs it) and the `playwright` package (test extras); the
test skips, saying which is missing, where they are not installed. The page's terminal draws on
a canvas, so the screen's text is read from the websocket frames the page receives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from serve_client import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("DLTUI_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extras)")


@pytest.fixture
def server():
    port = free_port()
    dltui = Path(sys.executable).parent / "dltui"
    process = subprocess.Popen([str(dltui), "serve", "house_prices", "--port", str(port), "--lang", "en"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120   # the warm parent imports torch and runs the app once first
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"dltui serve did not start: {process.stdout.read().decode()}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


class Screen:
    """What one browser tab's terminal has been sent, as text."""

    def __init__(self, page):
        self.text = ""
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.text += payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload

    def wait_for(self, needle: str, page, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never appeared in the page")
            page.wait_for_timeout(100)


@pytest.mark.slow
def test_space_in_the_browser_steps_training_and_tabs_are_separate(server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            screen = Screen(page)
            page.goto(server)
            screen.wait_for("step 0", page)
            screen.wait_for("5.8", page)
            page.click(".xterm-screen")
            page.keyboard.press("Space")
            screen.wait_for("step 1", page)
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / "serve-after-space.png"))

            other = browser.new_page(viewport={"width": 1400, "height": 900})
            other_screen = Screen(other)
            other.goto(server)
            other_screen.wait_for("step 0", other)
            other_screen.wait_for("5.8", other)
            assert "step 1" not in other_screen.text        # its own session, from the start
        finally:
            browser.close()
