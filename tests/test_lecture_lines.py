"""The explanation strings for the lecture's exercise equal the lecture's own lines (seeds/)."""

from __future__ import annotations

import pytest

from dltui.engine import load_scenario
from dltui.engine.explain import terms as explain
from dltui.engine.train.trainer import Trainer
from house_file import house_file

# (weight, bias) → the lecture's three worked rows and its |target − predict| sum and mean
EXERCISE = [
    ("[[0.1, 0.3, 4]]", "false",
     ["32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 = 5.3", "33 ⋅ 0.1 + 3 ⋅ 0.3 + 0.5 ⋅ 4 = 6.2",
      "36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 4 = 6.8"], None),
    ("[[0.1, 0.3, 3]]", "[0.5]",
     ["32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 3 + 0.5 = 5.5", "33 ⋅ 0.1 + 3 ⋅ 0.3 + 0.5 ⋅ 3 + 0.5 = 6.2",
      "36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 3 + 0.5 = 6.8"], "(0.5 + 0.8 + 1.7) / 3 = 3 / 3 = 1"),
    ("[[0.1, 0.3, 4]]", "[0.5]",
     ["32 ⋅ 0.1 + 3 ⋅ 0.3 + 0.3 ⋅ 4 + 0.5 = 5.8", "33 ⋅ 0.1 + 3 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 6.7",
      "36 ⋅ 0.1 + 4 ⋅ 0.3 + 0.5 ⋅ 4 + 0.5 = 7.3"], "(0.2 + 0.3 + 1.2) / 3 = 1.7 / 3 = 0.567"),
    ("[[0.1, 0.2, 2]]", "[0.5]",
     ["32 ⋅ 0.1 + 3 ⋅ 0.2 + 0.3 ⋅ 2 + 0.5 = 4.9", "33 ⋅ 0.1 + 3 ⋅ 0.2 + 0.5 ⋅ 2 + 0.5 = 5.4",
      "36 ⋅ 0.1 + 4 ⋅ 0.2 + 0.5 ⋅ 2 + 0.5 = 5.9"], "(1.1 + 1.6 + 2.6) / 3 = 5.3 / 3 = 1.767"),
]


@pytest.mark.parametrize("weight,bias,lines,reduction", EXERCISE)
def test_lecture_lines(tmp_path, weight, bias, lines, reduction):
    snapshot = Trainer(load_scenario(house_file(tmp_path, weight, bias))).snapshot()
    assert [explain.forward_terms(snapshot, row)[0][0].text() for row in range(3)] == lines
    if reduction:
        assert explain.loss_terms(snapshot).reduction_text() == reduction
