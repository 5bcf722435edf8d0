"""The floor the panels can reach: a Textual app with dltui's screen layout and cheapest widgets.

Each space changes what a house_prices step changes ‒ a status line, three table rows (dltui's
Line-API table, tui/line_table.py), four parameter lines of Text, a few explanation lines, and two
charts drawn as dltui draws them (tui/plotting.Chart: a loss curve one point longer, three targets
and predictions) ‒ with no engine, no session, no queries. `python -m bench.synthetic_panels`
times it against the hello app in one run; `--no-charts` leaves the charts out, to show what the
charts alone cost (two plotext charts took 20 ms of a key here: 30.2 ms against 9.7 ms).
Run as a script by the benchmark (`bench/synthetic_panels.py [--no-charts]`).
"""

from __future__ import annotations

import sys

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

CHARTS = "--no-charts" not in sys.argv


class SyntheticApp(App):
    BINDINGS = [("space", "step", "Step"), ("q", "quit", "Quit")]
    CSS = """
    #left { width: 1fr; } #right { width: 50; }
    LineTable { height: 1fr; } #explain { height: 1fr; } #params { height: 1fr; }
    Chart { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.losses = [0.567]

    def compose(self) -> ComposeResult:
        from dltui.tui.line_table import LineTable
        from dltui.tui.plotting import Chart

        yield Static(self._status(), id="status")
        with Horizontal():
            with Vertical(id="left"):
                yield LineTable()
                yield Static(id="explain")
            with Vertical(id="right"):
                yield Static(id="params")
                if CHARTS:
                    yield Chart(id="loss")
                    yield Chart(id="pred")

    def on_mount(self) -> None:
        from dltui.tui.line_table import LineTable

        self.query_one(LineTable).set_columns([Text(h) for h in ("#", "target", "predict", "loss term", "x1", "x2")])
        self._show()

    def _status(self) -> str:
        return f"House prices  │  step {self.count}  │  phase: update  │  loss {self.losses[-1]:.3f}"

    def _show(self) -> None:
        from dltui.tui.line_table import LineTable

        n = self.count
        predictions = [5.8 + 0.001 * n, 6.7 + 0.001 * n, 7.3 + 0.001 * n]
        self.query_one(LineTable).set_rows([(f"r{i}", [Text(str(i + 1)), Text(t), Text(f"{p:.4f}"),
                                                       Text(f"{abs(float(t) - p):.4f}"), Text("32"), Text("3")])
                                            for i, (t, p) in enumerate(zip(("6", "7", "8.5"), predictions))])
        self.query_one("#status", Static).update(self._status(), layout=False)
        self.query_one("#params", Static).update(Text("\n".join(f" w{i}  {0.1 * i + 0.0001 * n:.6f}  -33.666  ▴0.0033"
                                                                 for i in range(4))), layout=False)
        self.query_one("#explain", Static).update(Text("\n".join(f"w{i}: {0.1 * i:.6f} − 0.0001 ⋅ -33.6 = {n}"
                                                                  for i in range(4))), layout=False)
        if CHARTS:
            from dltui.engine import symbols
            from dltui.tui.plotting import Chart

            loss = self.query_one("#loss", Chart)
            loss.begin()
            loss.line(list(range(len(self.losses))), self.losses, (86, 180, 233), "loss")
            loss.x_ticks(0, max(1, len(self.losses) - 1), integer=True)
            loss.y_ticks(min(self.losses), max(self.losses))
            loss.finish()
            pred = self.query_one("#pred", Chart)
            pred.begin()
            pred.points([1, 2, 3], [6, 7, 8.5], symbols.TARGET, (86, 180, 233), "target")
            pred.points([1, 2, 3], predictions, symbols.PREDICT, (240, 228, 66), "predict")
            pred.x_ticks(1, 3, integer=True)
            pred.y_ticks(5.8, 8.5)
            pred.finish()

    def action_step(self) -> None:
        self.count += 1
        self.losses.append(self.losses[-1] * 0.99)
        self._show()


def measure(keys: int = 60) -> None:
    from ._util import BENCH, PYTHON, median, ms
    from .key_to_screen import key_latencies

    hello = median(key_latencies([PYTHON, str(BENCH / "hello_app.py")], keys)[1])
    panels = median(key_latencies([PYTHON, str(BENCH / "synthetic_panels.py")], keys)[1])
    bare = median(key_latencies([PYTHON, str(BENCH / "synthetic_panels.py"), "--no-charts"], keys)[1])
    print(f"key → screen, median of {keys} (pty 120×36): hello {ms(hello)}; synthetic panels with two "
          f"charts {ms(panels)}; without the charts {ms(bare)}")


if __name__ == "__main__" and __package__:
    measure()
elif __name__ == "__main__":
    SyntheticApp().run()
