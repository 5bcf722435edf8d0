"""A ScenarioError as a person reads it: the engine raises a code and values, words/ says them."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from dltui.engine import ScenarioError
from dltui.words.errors import scenario_error_text


def english(error: ScenarioError) -> str:
    return scenario_error_text(error, "en")


@contextmanager
def refused(pattern: str = ""):
    """`pytest.raises(ScenarioError, match=pattern)`, matched against the English words."""
    with pytest.raises(ScenarioError) as info:
        yield info
    assert re.search(pattern, english(info.value)), english(info.value)
