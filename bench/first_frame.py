"""Time from spawning `dltui` in a 120×36 pty to the first output showing the scenario's title.

Floors in the same run: the same for a minimal Textual app (bench/hello_app.py), and the
wall time of `python -c "import textual.app"`.
"""

from __future__ import annotations

import subprocess
import sys
import time

from ._util import BENCH, DLTUI, PYTHON, PtyChild, Row, has_step, median, print_rows, secs

TITLE_BYTES = ("집값".encode(), b"House prices")


def _title_seen(buffer: bytearray) -> bool:
    return any(t in buffer for t in TITLE_BYTES)


def first_frame(argv: list[str]) -> float:
    child = PtyChild(argv)
    try:
        seen = child.wait_for(_title_seen, timeout=60)
        return seen - child.started
    finally:
        child.kill()


def ready_time() -> float:
    """Spawn `dltui --lang en` → the trainer's first numbers on screen ("step 0")."""
    child = PtyChild([DLTUI, "--lang", "en"])
    try:
        return child.wait_for(has_step(0), timeout=60) - child.started
    finally:
        child.kill()


def import_time() -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", "import textual.app"], check=True)
    return time.perf_counter() - started


def measure(repeats: int = 5) -> list[Row]:
    ours, hello, imports, ready = [], [], [], []
    for _ in range(repeats):
        ours.append(first_frame([DLTUI]))
        ready.append(ready_time())
        hello.append(first_frame([PYTHON, str(BENCH / "hello_app.py")]))
        imports.append(import_time())
    a, h, i = median(ours), median(hello), median(imports)
    ok = a <= 1.5
    return [Row("first frame: spawn `dltui` → title on screen (pty 120×36)",
                f"{secs(a)} (max {secs(max(ours))})",
                f"{secs(h)} hello Textual app; {secs(i)} `import textual.app`",
                f"{a / h:.2f}× hello; {a / i:.2f}× import",
                f"1.5 s (aim < 1 s) {'✓' if ok else '✗ over'}"),
            Row("ready: spawn `dltui --lang en` → trainer's \"step 0\" on screen",
                f"{secs(median(ready))} (max {secs(max(ready))})", f"{secs(a)} first frame",
                f"{median(ready) / a:.2f}× first frame",
                f"≤ 1.8 s {'✓' if median(ready) <= 1.8 else '✗ over'}")]


if __name__ == "__main__":
    print_rows(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
