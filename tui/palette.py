"""Colours with one meaning each (issue 12). Everything the pictures colour comes from here.

- WRONG (red) is for what went wrong: divergence, a misclassified point. Nothing else is red.
- NOW marks where the model is now (a landscape's ✦, the activation's rows).
- POSITIVE / NEGATIVE are a weight's sign (TensorFlow Playground's blue and orange).
- The classes: XOR and the perceptrons follow the lecture (class 0 white, class 1 black); other
  classifiers get one colour *and* one marker per class, so iris's three stay apart.
"""

from __future__ import annotations

from rich.color import Color

from dltui.engine import symbols

# Okabe & Ito's colour-blind safe set (https://jfly.uni-koeln.de/color/): paired meanings stay apart
# under deuteranopia and protanopia (tests/test_palette.py simulates it); shape carries them too.
SKY_BLUE, ORANGE, BLUISH_GREEN, YELLOW = (86, 180, 233), (230, 159, 0), (0, 158, 115), (240, 228, 66)
BLUE, VERMILLION, REDDISH_PURPLE, GREY = (0, 114, 178), (213, 94, 0), (204, 121, 167), (153, 153, 153)

WRONG = VERMILLION
NOW = (0, 215, 255)               # bright cyan
PATH = (235, 235, 235)
OPTIMUM = BLUISH_GREEN            # the least-squares optimum, the hidden space's separating line
TRAIN_LINE = SKY_BLUE
TEST_LINE = ORANGE
TARGET = SKY_BLUE
PREDICT = YELLOW
CURVE = (170, 170, 170)
POSITIVE = (30, 144, 255)         # dodger blue
NEGATIVE = (255, 140, 0)          # dark orange
GROWS, SHRINKS = SKY_BLUE, ORANGE  # a parameter's last change (▴ / ▾): a direction, neither good nor bad
CHANGED = "bold bright_yellow"    # a value that moved this step (the data table)

# one colour per run of a comparison (loss curves, the run's number on a landscape), none red
RUN_COLOURS = [SKY_BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, YELLOW, BLUE, GREY, (235, 235, 235)]

# one colour and one marker per class; index = class number (no orange: it reads as WRONG)
CLASS_COLOURS = [BLUE, YELLOW, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE]
LECTURE_BINARY = [(245, 245, 245), (20, 20, 20)]   # XOR in the lecture: 0 white, 1 black


def rgb(colour: tuple) -> Color:
    return Color.from_rgb(*colour)


def run_colour(index: int) -> tuple:
    return RUN_COLOURS[index % len(RUN_COLOURS)]


def run_mark(index: int) -> str:
    """The run's line style: braille dots for the first, one character each for the others."""
    return symbols.RUN_MARKS[index % len(symbols.RUN_MARKS)]


def class_colours(n_classes: int, lecture_binary: bool) -> list[tuple]:
    if lecture_binary and n_classes <= 2:
        return LECTURE_BINARY[:max(n_classes, 2)]
    return [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(max(n_classes, 2))]


def class_marker(cls: int, test: bool = False) -> str:
    """The class's marker: filled for a training row, hollow for a test row."""
    markers = symbols.TEST_CLASS_MARKERS if test else symbols.CLASS_MARKERS
    return markers[cls % len(markers)]
