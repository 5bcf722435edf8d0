"""The floor for the screen benchmarks: a minimal Textual app showing one Static.

It shows "House prices hello  step N"; space increments N, q quits. Run it as a script
(`.venv/bin/python bench/hello_app.py`) so that no package import adds to its start-up.
"""

from textual.app import App, ComposeResult
from textual.widgets import Static


class HelloApp(App):
    BINDINGS = [("space", "step", "Step"), ("q", "quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="hello")

    def _text(self) -> str:
        return f"집값 House prices hello  step {self.count}"

    def action_step(self) -> None:
        self.count += 1
        self.query_one("#hello", Static).update(self._text())


if __name__ == "__main__":
    HelloApp().run()
