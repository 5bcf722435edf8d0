"""Parameters that run only with the slow tests, so the README's command stays within two minutes.

A parametrized test keeps its quickest telling cases in the README's command (`-m "not slow"`);
the rest of its cases are the same check on more scenarios, and `.ci/run` runs them all.
"""

from __future__ import annotations

import pytest


def slow_beyond(cases, fast, *, one_value: bool = False) -> list:
    """`cases` with every case not in `fast` marked slow. A tuple case is one value per argument name,
    unless `one_value` (the test takes the tuple itself, as a terminal size)."""
    fast = list(fast)
    return [case if case in fast else
            pytest.param(*(case if isinstance(case, tuple) and not one_value else (case,)),
                         marks=pytest.mark.slow)
            for case in cases]
