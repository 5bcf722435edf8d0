"""Keep Hangul whole where one widget is drawn over another (notifications, dialogs).

Textual's compositor cuts every line at the edges of every widget on it, including widgets
hidden under a notification, and then divides the top widget's line at those cuts. A
double-width character (every Hangul syllable) that straddles such a cut is split, and a split
wide character becomes two spaces: "PyTorch를 불러오는 중" showed as "PyTorch   불러오는 중"
wherever the lesson pane's scrollbar edge lay beneath the toast. Upstream:
https://github.com/Textualize/textual/issues/6357 (open for textual 8.2.8, which dltui pins).

The fix here: a line is divided only where the widget that wins the cells changes. Consecutive
cuts won by the same widget are one piece (the later positions hold an empty strip, so nothing
beneath claims them), so no character of the top widget is ever split inside its own run.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


def _render_chops(self: Compositor, crop: Region,
                  is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            # Runs of consecutive buckets this strip wins (front to back: the first to fill wins).
            runs: list[tuple[int, int, bool]] = []     # (start cut, end cut, wins)
            for start, end in zip(final_cuts, final_cuts[1:]):
                wins = line.get(start) is None
                if runs and runs[-1][2] == wins:
                    runs[-1] = (runs[-1][0], end, wins)
                else:
                    runs.append((start, end, wins))
            if not runs:
                continue
            pieces = strip.divide([end - render_x for _, end, _ in runs])
            for (start, end, wins), piece in zip(runs, pieces):
                if not wins:
                    continue
                line[start] = piece
                for cut in final_cuts:
                    if start < cut < end:
                        line[cut] = _EMPTY
    return chops


def install() -> None:
    """Replace the compositor's line division (idempotent; call before the app runs)."""
    Compositor._render_chops = _render_chops
