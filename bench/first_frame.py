"""Time from spawning `dltui` in a 120×36 pty to the first output showing the scenario's title.

Floors in the same run: the same for a minimal Textual app (bench/hello_app.py), and the
wall time of `python -c "import textual.app"`.

dltui is measured as installed: its bytecode compiled first, as `pip install` does (an editable
install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start,
≈ 0.12 s that no installed copy pays; Textual, numpy and torch come compiled from pip).
"""

from __future__ import annotations

import compileall
import subprocess
import sys
import time

from ._util import BENCH, DLTUI, PYTHON, ROOT, PtyChild, Row, has_step, median, print_rows, secs

TITLE_BYTES = ("집값".encode(), b"House prices")
FIRST_FRAME_TARGET, READY_TARGET = 0.4, 1.8
PACKAGES = ("engine", "tui", "cli", "words")


def compile_as_installed() -> None:
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)


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
    """Spawn `dltui house_prices --lang en` → the trainer's first numbers on screen ("step 0")."""
    child = PtyChild([DLTUI, "house_prices", "--lang", "en"])
    try:
        return child.wait_for(has_step(0), timeout=60) - child.started
    finally:
        child.kill()


def import_time() -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", "import textual.app"], check=True)
    return time.perf_counter() - started


def measure(repeats: int = 5) -> list[Row]:
    compile_as_installed()
    ours, hello, imports, ready = [], [], [], []
    for _ in range(repeats):
        ours.append(first_frame([DLTUI, "house_prices"]))
        ready.append(ready_time())
        hello.append(first_frame([PYTHON, str(BENCH / "hello_app.py")]))
        imports.append(import_time())
    a, h, i = median(ours), median(hello), median(imports)
    ok = a <= FIRST_FRAME_TARGET
    return [Row("first frame: spawn `dltui` → title on screen (pty 120×36)",
                f"{secs(a)} (max {secs(max(ours))})",
                f"{secs(h)} hello Textual app; {secs(i)} `import textual.app`",
                f"{a / h:.2f}× hello; {a / i:.2f}× import",
                f"≤ {FIRST_FRAME_TARGET} s {'✓' if ok else '✗ over'}"),
            Row("ready: spawn `dltui --lang en` → trainer's \"step 0\" on screen",
                f"{secs(median(ready))} (max {secs(max(ready))})", f"{secs(a)} first frame",
                f"{median(ready) / a:.2f}× first frame",
                f"≤ {READY_TARGET} s {'✓' if median(ready) <= READY_TARGET else '✗ over'}")]


if __name__ == "__main__":
    print_rows(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
