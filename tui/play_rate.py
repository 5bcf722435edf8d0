"""The play rate reached: steps per second since play started. The speed asked for (`+` / `-`)
is a wish a big model or a busy machine falls short of; the status line shows what happens."""

from __future__ import annotations

import time

SETTLE_SECONDS = 0.5   # before this, too few steps to tell a rate


class PlayRate:
    def __init__(self) -> None:
        self._since: tuple[float, int] | None = None

    def start(self, step: int, now: float | None = None) -> None:
        self._since = (time.perf_counter() if now is None else now, step)

    def reached(self, step: int, now: float | None = None) -> int | None:
        """Whole steps per second since `start`, or None while it cannot be told yet."""
        if self._since is None:
            return None
        began, first = self._since
        elapsed = (time.perf_counter() if now is None else now) - began
        return None if elapsed < SETTLE_SECONDS else round((step - first) / elapsed)
