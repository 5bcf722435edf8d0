"""Colours that mean different things stay apart for a colour-blind student: each pair is
simulated under deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009, severity 1,
applied to linear RGB) and compared in CIELAB (ΔE 1976). The matrices and the colour maths are
written here, independent of the palette."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from dltui.tui import palette

# Machado et al. 2009, Table 1, severity 1.0
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868],
                       [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]])
APART = 15.0   # ΔE76: well past "clearly different at a glance" for small terminal glyphs


def linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ lin
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > (6 / 29) ** 3, np.cbrt(f), f / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(rgb, matrix=None) -> np.ndarray:
    lin = linear(rgb)
    return lab(np.clip(lin if matrix is None else matrix @ lin, 0, 1))


def delta_e(a, b, matrix=None) -> float:
    return float(np.linalg.norm(seen(a, matrix) - seen(b, matrix)))


PAIRS = {
    **{f"run {i + 1} / run {j + 1}": (palette.run_colour(i), palette.run_colour(j))
       for i, j in itertools.combinations(range(4), 2)},
    "train / test": (palette.TRAIN_LINE, palette.TEST_LINE),
    "target / predict": (palette.TARGET, palette.PREDICT),
    "right / wrong": (palette.PREDICT, palette.WRONG),
    "grew / shrank": (palette.GROWS, palette.SHRINKS),
    **{f"class {i} / class {j}": (palette.CLASS_COLOURS[i], palette.CLASS_COLOURS[j])
       for i, j in itertools.combinations(range(3), 2)},
    **{f"wrong / class {i}": (palette.WRONG, palette.CLASS_COLOURS[i]) for i in range(3)},
}


def test_the_simulation_confuses_what_deuteranopes_confuse():
    """The reference itself: pure red and green, far apart for most eyes, nearly meet."""
    assert delta_e((255, 0, 0), (0, 160, 0)) > 80
    assert delta_e((255, 0, 0), (0, 160, 0), DEUTERANOPIA) < 25
    assert delta_e((0, 0, 255), (255, 255, 0), DEUTERANOPIA) > 80      # blue / yellow stays apart


@pytest.mark.parametrize("vision", [DEUTERANOPIA, PROTANOPIA], ids=["deuteranopia", "protanopia"])
@pytest.mark.parametrize("pair", list(PAIRS))
def test_paired_meanings_stay_apart(pair, vision):
    a, b = PAIRS[pair]
    assert delta_e(a, b, vision) > APART, f"{pair}: {a} and {b}"


def test_the_heat_map_ramp_steps_evenly_and_its_darkest_steps_stay_apart():
    from dltui.tui.views import RAMP

    steps = [delta_e(a, b) for a, b in zip(RAMP, RAMP[1:])]
    assert min(steps) > 0.4 * max(steps), steps            # even: no step a fraction of another
    lightness = [seen(c)[0] for c in RAMP]
    assert lightness == sorted(lightness)                 # dark = low loss, bright = high, in grey too
    deut = [seen(c, DEUTERANOPIA)[0] for c in RAMP]
    assert deut == sorted(deut)


def test_a_flat_loss_grid_is_not_stretched_to_full_contrast_and_says_so():
    from dltui.tui.views import axis_text, scale_key, shade

    flat = np.array([[0.6927, 0.6928], [0.6929, 0.6928]])      # xor's plateau
    assert shade(flat).max() < 0.05
    key = scale_key(0.6927, 0.6929, "ko").plain
    assert key.startswith("0.6927 ") and " 0.6929 " in key and "거의 평평함" in key and "로그" not in key
    steep = np.array([[0.0, 5.0], [10.0, 100.0]])
    assert shade(steep).max() == 1.0 and "(로그 눈금)" in scale_key(0.0, 100.0, "ko").plain
    assert axis_text(np.array([18.5004, 20.0, -97383.6616]), 40, "w1").split() == ["18.5", "w1", "->", "-9.74e+04"]
