"""dltui's Textual app: screens and panels that render engine snapshots. No maths here."""

import os

# Textual repaints on a grid of 1/TEXTUAL_FPS s and, after a repaint that crossed a grid point,
# sleeps to the next but one: at its 60 a key pressed 17-33 ms after the last frame waited up to
# 33 ms for its own (7-11 ms a key on average, measured). At 240 that wait is at most 8 ms; play
# still posts at most 30 frames a second. Read once, when Textual is first imported.
os.environ.setdefault("TEXTUAL_FPS", "240")
