"""Beyond one machine (issue 27): docs/nginx-dltui.conf, the recipe the README gives, run by a
real nginx on loopback (a temporary prefix, no root paths) in front of two `dltui serve` servers.
Tabs open through it, each stays on one server (its cookie), its download comes back through
the proxy from that server, and the page's URLs are the proxy's (X-Forwarded-Host / -Proto)."""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_client import ServeProcess, Tab, free_port  # noqa: E402

pytestmark = pytest.mark.slow
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
RECIPE = Path(__file__).resolve().parent.parent / "docs" / "nginx-dltui.conf"
READY = "5.8"
TABS = 8


def get(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)


class Nginx:
    """The recipe with its ports and servers replaced, in a main config of its own prefix."""

    def __init__(self, prefix: Path, backends: list[int]):
        self.port = free_port()
        recipe = RECIPE.read_text(encoding="utf-8")
        servers = "".join(f"    server 127.0.0.1:{p};\n" for p in backends)
        recipe = re.sub(r"(?m)^    server 127\.0\.0\.1:\d+;\n(    server 127\.0\.0\.1:\d+;\n)*", servers, recipe)
        recipe = recipe.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        prefix.mkdir(mode=0o755)
        (prefix / "logs").mkdir()
        temp = "".join(f"    {kind}_temp_path {prefix}/{kind};\n" for kind in
                       ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (prefix / "nginx.conf").write_text(
            f"worker_processes 1;\nerror_log {prefix}/logs/error.log warn;\npid {prefix}/nginx.pid;\n"
            f"events {{ worker_connections 1024; }}\nhttp {{\n    access_log off;\n{temp}{recipe}\n}}\n",
            encoding="utf-8")
        self.prefix = prefix
        self.process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                         "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 20
        while True:
            try:
                get(self.url)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {self.process.stderr.read()}")
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx)")
async def test_two_servers_behind_nginx_keep_each_tab_on_its_server(tmp_path):
    servers = [ServeProcess("house_prices", "--lang", "en", "--per-address", "0", "--spares", "2",
                            "--max-sessions", "10", cwd=tmp_path) for _ in range(2)]
    nginx = None
    try:
        nginx = Nginx(tmp_path / "nginx", [s.port for s in servers])
        # the page's URLs are the proxy's, and a forwarded https is honoured
        status, page, headers = get(nginx.url)
        assert status == 200 and f"ws://127.0.0.1:{nginx.port}/ws" in page
        assert f"http://127.0.0.1:{nginx.port}/static/" in page and "dltui_seat=" in headers.get("Set-Cookie", "")
        _, page, _ = get(servers[0].url, {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "dltui.example.ac.kr"})
        assert "wss://dltui.example.ac.kr/ws" in page and "https://dltui.example.ac.kr/static/" in page

        before = [set(s.session_pids()) for s in servers]
        seats = [f"seat-{k}" for k in range(TABS)]
        tabs = await asyncio.gather(*(Tab.open(nginx.url, headers={"Cookie": f"dltui_seat={seat}"})
                                      for seat in seats))
        try:
            firsts = await asyncio.gather(*(tab.wait_for(READY, 90) for tab in tabs))
            opened = [len(set(s.session_pids()) - b) for s, b in zip(servers, before)]
            assert sum(opened) >= TABS and min(opened) >= 1, opened   # both servers serve tabs
            keys = []
            for tab in tabs:                                           # key → screen through the proxy
                since = len(tab.raw)
                pressed = time.perf_counter()
                await tab.send("space")
                await tab.wait_for("step 1", 30, since=since)
                keys.append(time.perf_counter() - pressed)
            # a tab's download is fetched from its own server: it must come back through the proxy
            tab = tabs[0]
            await tab.send("e")
            await tab.wait_for("Download started", 30)
            key = next(m[1] for m in tab.messages if m[0] == "deliver_file_start")
            async with tab.session.get(f"{nginx.url}download/{key}") as response:
                assert response.status == 200
                body = await response.read()
            assert "history.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()
        finally:
            for tab in tabs:
                await tab.close()
        print(f"\nthrough nginx, {TABS} tabs on 2 servers {opened}: first frame median "
              f"{statistics.median(t.first_frame for t in tabs):.2f} s, max {max(t.first_frame for t in tabs):.2f} s; "
              f"ready median {statistics.median(firsts):.2f} s; key → screen median "
              f"{statistics.median(keys) * 1000:.0f} ms, max {max(keys) * 1000:.0f} ms")
    finally:
        if nginx is not None:
            nginx.stop()
        logs = [s.stop() for s in servers]
    assert not any("Traceback" in log for log in logs), logs
