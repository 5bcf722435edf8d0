"""One name for every parameter, the same on screen, in the CLI table, in CSV columns and exports.

A one-neuron model is written as in the lecture: `w1`, `w2`, `w3`, `b`. Any other model names a
parameter by its layer and its place in that layer's weight matrix (nn.Linear's layout, counted
from 1 as on screen): `L1 w[2,3]` is layer 1's weight from input 3 into unit 2, `L2 b[1]` the
bias of layer 2's unit 1. Flat order is layer by layer, each layer's weights row by row, then
its biases ‒ the order of `torch.nn.Module.parameters()`.
"""

from __future__ import annotations

from collections.abc import Sequence


def parameter_name(layer: int, kind: str, unit: int, index: int | None = None,
                   single_neuron: bool = False) -> str:
    """`layer`, `unit`, `index` count from 0; `kind` is "w" or "b"."""
    if single_neuron:
        return f"w{index + 1}" if kind == "w" else "b"
    if kind == "w":
        return f"L{layer + 1} w[{unit + 1},{index + 1}]"
    return f"L{layer + 1} b[{unit + 1}]"


def is_single_neuron(shapes: Sequence[tuple[int, int, bool]]) -> bool:
    """One layer of one unit: the lecture's neuron."""
    return len(shapes) == 1 and shapes[0][0] == 1


def parameter_names(shapes: Sequence[tuple[int, int, bool]]) -> list[str]:
    """Every parameter's name in flat order, from (units, inputs, has_bias) per layer."""
    single = is_single_neuron(shapes)
    names = []
    for layer, (units, inputs, has_bias) in enumerate(shapes):
        names += [parameter_name(layer, "w", u, i, single) for u in range(units) for i in range(inputs)]
        if has_bias:
            names += [parameter_name(layer, "b", u, None, single) for u in range(units)]
    return names
