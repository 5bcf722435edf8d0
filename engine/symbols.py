"""Every symbol the screen draws, in a form one cell wide in every font.

Korean monospace fonts (Noto Sans Mono CJK KR, NanumGothicCoding) draw the East Asian
*Ambiguous*-width characters (× ÷ ∂ · ● ○ ◆ ▲ ▼ ▶ … — and Greek letters) two cells wide while
the terminal gives them one, so each covers the character after it: "∂L/∂w1" read "ƌ/ƌ1". The
forms here are East Asian width N or Na, so they stay whole in Korean and Western fonts alike.
An arrow (→ ← ↑ ↓), ± or a Greek letter has no narrow form: it is always followed by a space.
Box drawing, block elements and braille are drawn narrow by those fonts and are used directly.
"""

from __future__ import annotations

TIMES = "⋅"          # a product: 평수⋅w1, 0.1 ⋅ 32
MARK = "✕"           # a mark (wrong), not a product
DIVIDE = "/"
MINUS = "−"          # U+2212, narrow
PARTIAL = "𝜕"        # 𝜕L/𝜕w1 (mathematical italic partial, narrow; ∂ is ambiguous)
SEPARATOR = "⋅"      # between items of a title: 입력 ⋅ 타겟 ⋅ 예측
ELLIPSIS = "⋯"       # text or a list cut to fit
NOTHING = "‒"        # no value yet (a gradient before the backward phase)
UNCHANGED = "⋅"      # a value that did not move this step
UP, DOWN = "▴", "▾"  # a value that grew / shrank this step
POINTER = "▸"        # the row being computed, the run the tables follow
LINE = "━"           # a line series in a legend

# Chart and picture markers. Chosen by looking at xterm with Noto Sans Mono CJK KR,
# NanumGothicCoding and DejaVu Sans Mono: ⬤ and ⦁ are drawn as half circles there, ⬥ ⏶ ⏷ ⭑ have
# no glyph (a box), ✚ ♦ ◉ spill into the next cell; these stay whole in all three.
TARGET = "◼"         # a target (and a point of a scatter)
PREDICT = "✦"        # a prediction
NOW = "✦"            # where the model is now on a landscape
PATH = "∙"           # where it has been
OPTIMUM = "+"        # the least-squares optimum
NEURON = "◦"         # a neuron in the network picture

# one marker per class (index = class number): filled for training rows, hollow for test rows
CLASS_MARKERS = ("◼", "▴", "✦", "▾", "x")
TEST_CLASS_MARKERS = ("▫", "▵", "✧", "▿", "+")
BINARY_MARKERS = ("◦", "◼")            # the lecture's 0 (white, hollow) and 1 (black, filled)
BINARY_TEST_MARKERS = ("▵", "▴")       # test rows: a triangle, hollow for 0 and filled for 1
RUN_MARKS = ("braille", "∙", "✕", "+", "◦", "✧", "⋄", "▵", "x")   # a comparison's runs: braille line, then characters

# the agreed narrow form of each ambiguous symbol, for text written elsewhere (a lesson file)
NARROW = {"×": TIMES, "·": TIMES, "÷": DIVIDE, "∂": PARTIAL, "●": TARGET, "○": NEURON, "◆": PREDICT,
          "▲": UP, "▼": DOWN, "▶": POINTER, "…": ELLIPSIS, "—": "‒", "–": "‒", "‘": "'", "’": "'"}


def narrow(text: str) -> str:
    """`text` with each ambiguous symbol that has a narrow form replaced by it."""
    return text.translate(str.maketrans(NARROW))
