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

WRONG = (230, 50, 50)
NOW = (0, 215, 255)               # bright cyan
PATH = (235, 235, 235)
OPTIMUM = (80, 220, 100)          # the least-squares optimum, the hidden space's separating line
TRAIN_LINE = (90, 160, 255)
TEST_LINE = (200, 120, 255)
TARGET = (120, 200, 255)
PREDICT = (255, 215, 0)
CURVE = (170, 170, 170)
POSITIVE = (30, 144, 255)         # dodger blue
NEGATIVE = (255, 140, 0)          # dark orange
CHANGED = "bold bright_yellow"    # a value that moved this step (the data table)

# one colour per run of a comparison (loss curves, the run's number on a landscape), none red
RUN_COLOURS = [(90, 160, 255), (255, 215, 0), (80, 220, 100), (200, 120, 255), (0, 215, 255),
               (255, 140, 0), (235, 235, 235), (160, 160, 255), (150, 230, 200)]

# one colour and one marker per class; index = class number
CLASS_COLOURS = [(60, 120, 230), (245, 130, 40), (70, 190, 90), (200, 80, 200), (230, 200, 60)]
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
