"""Snapshots of issue 12's pictures (pytest-textual-snapshot): Korean charts at 120x36, a picture
view at 80x24, the forward pass lighting row 2. Update only these with
`pytest tests/test_pictures_snapshots.py --snapshot-update` after a deliberate change."""

from __future__ import annotations

from tui_helpers import make_app, wait_ready


async def _ready(pilot):
    await wait_ready(pilot)


def test_korean_loss_charts_120x36(snap_compare):
    assert snap_compare(make_app("house_prices", lang="ko"), press=["space", "space", "space"],
                        terminal_size=(120, 36), run_before=_ready)


def test_korean_landscape_1d_120x36(snap_compare):
    assert snap_compare(make_app("house_prices", lang="ko"), press=["space", "space", "space", "v"],
                        terminal_size=(120, 36), run_before=_ready)


def test_korean_boundary_picture_at_80x24(snap_compare):
    """XOR opens on its decision boundary; on a small screen `v` brings the picture up."""
    assert snap_compare(make_app("xor", lang="ko"), press=["space", "v"], terminal_size=(80, 24),
                        run_before=_ready)


def test_forward_pass_lights_row_2(snap_compare):
    assert snap_compare(make_app("house_prices"), press=["full_stop", "full_stop"], terminal_size=(120, 36),
                        run_before=_ready)
