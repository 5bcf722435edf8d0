"""The network as nodes and weighted edges: what a terminal diagram needs to draw it.

TensorFlow Playground's picture: inputs, hidden neurons and outputs in columns, each connection
coloured by sign and drawn heavier the larger its weight. Magnitudes are normalised over the whole
network so lines compare across layers. Values are for one chosen training row (on demand).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dltui.engine.explain.terms import parameter_label
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.snapshot import Snapshot


@dataclass(frozen=True)
class Node:
    """Column `layer` (0 = inputs, k = layer k's neurons), position `index` in the column."""

    id: int
    layer: int
    index: int
    label: str
    value: float | None              # input as the model sees it, or the neuron's output a
    pre_activation: float | None     # z of a neuron for the row; None for inputs
    bias: float | None
    activation: str | None           # None for inputs


@dataclass(frozen=True)
class Edge:
    source: int                      # Node.id
    target: int
    label: str                       # the weight's name (explain.parameter_label)
    weight: float
    sign: int                        # +1, −1, or 0 (zero or NaN)
    magnitude: float                 # |weight| / the largest finite |weight| in the network, in [0, 1]


@dataclass(frozen=True)
class NetworkLayout:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    columns: tuple[tuple[int, ...], ...]   # node ids per column, inputs first
    row: int | None


def _names(count: int, given: tuple[str, ...] | None, prefix: str) -> list[str]:
    if given and len(given) == count:
        return list(given)
    return [f"{prefix}{i + 1}" for i in range(count)]


def network_layout(snapshot: Snapshot, scenario: Scenario | None = None,
                   row: int | None = 0) -> NetworkLayout:
    """Nodes and edges of the snapshot's network; `row=None` leaves the values out."""
    layers = snapshot.layers
    n_inputs = layers[0].weight.shape[1]
    data = scenario.data if scenario is not None else None
    single = len(layers) == 1 and layers[0].weight.shape[0] == 1
    nodes: list[Node] = []
    columns: list[tuple[int, ...]] = []
    inputs = _names(n_inputs, data.feature_names if data else None, "x")
    ids = []
    for i, label in enumerate(inputs):
        value = None if row is None else float(snapshot.model_inputs[row, i])
        nodes.append(Node(len(nodes), 0, i, label, value, None, None, None))
        ids.append(len(nodes) - 1)
    columns.append(tuple(ids))
    finite = [np.abs(l.weight[np.isfinite(l.weight)]) for l in layers]
    largest = max((float(f.max()) for f in finite if f.size), default=0.0)
    edges: list[Edge] = []
    for k, layer in enumerate(layers):
        units = layer.weight.shape[0]
        if k == len(layers) - 1:
            given = (data.classes or data.target_names) if data else None
            labels = _names(units, given, "y")
        else:
            labels = _names(units, None, "h" if len(layers) == 2 else f"L{k + 1} h")
        ids = []
        for u in range(units):
            nodes.append(Node(
                len(nodes), k + 1, u, labels[u],
                None if row is None else float(layer.output[row, u]),
                None if row is None else float(layer.pre_activation[row, u]),
                None if layer.bias is None else float(layer.bias[u]),
                layer.activation))
            ids.append(len(nodes) - 1)
            for i, source in enumerate(columns[-1]):
                w = float(layer.weight[u, i])
                sign = 0 if math.isnan(w) or w == 0 else (1 if w > 0 else -1)
                if not math.isfinite(w):
                    magnitude = 0.0 if math.isnan(w) else 1.0
                else:
                    magnitude = abs(w) / largest if largest > 0 else 0.0
                edges.append(Edge(source, ids[-1], parameter_label(k, "w", u, i, single), w, sign,
                                  magnitude))
        columns.append(tuple(ids))
    return NetworkLayout(tuple(nodes), tuple(edges), tuple(columns), row)
