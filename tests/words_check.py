"""Find English prose in text meant to be Korean: ASCII words that are not names.

Names stay as they are on a Korean screen (the lecture writes them so): functions, PyTorch,
losses, optimizers, file formats, variables. Anything else of three or more letters is prose.
"""

from __future__ import annotations

import re

NAMES = {
    # functions and layers
    "sigmoid", "relu", "tanh", "softmax", "step", "identity", "leaky_relu", "linear", "nn", "log", "sign", "exp",
    "pytorch", "torch", "optim", "grad_fn", "accumulategrad", "log_softmax", "backward", "forward",
    # losses and optimizers
    "mse", "mae", "bce", "cross_entropy", "sgd", "adam", "momentum", "perceptron", "lr", "beta",
    # formats, programs, keys
    "json", "csv", "svg", "toml", "xor", "dltui", "english", "esc", "enter", "space", "ctrl", "tab", "backspace", "shift", "alt",
    "weight", "bias", "target", "predict", "loss",            # the lecture's own words in its Korean slides
    "fisher", "uci", "inf", "nan", "epoch", "minibatch", "seed",      # names and glossed terms
    "max", "min", "sum", "mean", "abs", "sqrt", "mseloss", "bceloss", "crossentropyloss", "l1loss", "g_w", "g_b",
}
DOTTED = re.compile(r"[\w~/]*\w\.\w[\w.\[\]]*")      # nn.Linear, history.json, data.normalize, loss.grad_fn
PLACEHOLDER = re.compile(r"{\w+(?::[^}]*)?}")
GLOSS = re.compile(r"(?<=[가-힣*])\s*\([A-Za-z]+\)")      # 시험용 (test): a Korean word glossed in English
COMMAND = re.compile(r"dltui(?: [a-z]+)?(?: --[\w-]+)+|\.?/[\w./-]+")   # dltui run --explain, ./dltui-exports/
WORD = re.compile(r"[A-Za-z][A-Za-z_']{2,}")


def english_prose(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """ASCII words of three or more letters that are neither names nor in `allowed`."""
    allowed = {a.lower() for a in allowed} | NAMES
    text = GLOSS.sub(" ", DOTTED.sub(" ", COMMAND.sub(" ", PLACEHOLDER.sub(" ", text))))
    return sorted({w for w in WORD.findall(text) if w.lower().strip("'") not in allowed
                   and not (w.isupper() and len(w) <= 4)          # AND, XOR, MSE, UCI: names
                   and not w.endswith("Backward")                 # torch's grad_fn names (AddmmBackward0)
                   and not (len(w) >= 4 and any(a.startswith(w.lower()) for a in allowed))})   # a cut-off name


def scenario_names(scenario) -> set[str]:
    """Words the scenario itself brings (its title, columns, classes): data, not dltui's prose."""
    text = " ".join([scenario.title, *scenario.data.feature_names, *scenario.data.target_names,
                     *(scenario.data.classes or ())])
    from dltui.engine import bundled_titles

    return set(WORD.findall(text)) | {name for name, _ in bundled_titles()}
