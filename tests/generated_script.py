"""Run a generated PyTorch script (`dltui run --code`, the code pane) inside the test process."""

from __future__ import annotations

import torch


def run_script(text: str) -> dict:
    """exec the script with print silenced; restore torch's default dtype, which it sets."""
    namespace = {"__name__": "__generated__", "print": lambda *a, **k: None}
    before = torch.get_default_dtype()
    try:
        exec(compile(text, "<generated>", "exec"), namespace)
    finally:
        torch.set_default_dtype(before)
    return namespace
