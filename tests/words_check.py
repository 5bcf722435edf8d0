"""Find English prose in text meant to be Korean: ASCII words that are not names.

Names stay as they are on a Korean screen (the lecture writes them so): functions, PyTorch,
losses, optimizers, file formats, variables. Anything else of three or more letters is prose.
"""

from __future__ import annotations

import re

NAMES = {
    # functions and layers
    "sigmoid", "relu", "tanh", "softmax", "step", "identity", "leaky_relu", "linear", "nn", "log", "sign", "exp",
    "pytorch", "torch", "optim", "grad_fn", "accumulategrad", "backward", "forward",
    # losses and optimizers
    "mse", "mae", "bce", "cross_entropy", "sgd", "adam", "momentum", "perceptron", "lr",
    # formats, programs, keys
    "json", "csv", "svg", "toml", "dltui", "english", "esc", "enter", "space", "ctrl", "tab", "backspace",
    "max", "min", "sum", "mean", "abs", "sqrt",
}
WORD = re.compile(r"[A-Za-z][A-Za-z_']{2,}")


def english_prose(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """ASCII words of three or more letters that are neither names nor in `allowed`."""
    allowed = {a.lower() for a in allowed} | NAMES
    return sorted({w for w in WORD.findall(text) if w.lower().strip("'") not in allowed})


def scenario_names(scenario) -> set[str]:
    """Words the scenario itself brings (its title, columns, classes): data, not dltui's prose."""
    text = " ".join([scenario.title, *scenario.data.feature_names, *scenario.data.target_names,
                     *(scenario.data.classes or ())])
    return set(WORD.findall(text))
