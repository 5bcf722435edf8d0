"""PyTorch under the hood: the autograd graph (`grad_fn` chain) of the current batch loss.

Built on a private copy of the model ‒ the same forward and loss as the engine, on the batch of
the step in progress ‒ so the trainer's parameters, gradients and graph are never touched.
Each node carries torch's own name (`AddmmBackward0`, `AccumulateGrad`, ⋯), what it computes as
data (a role, its layer, the maths' symbols: words/graph.py says it), its forward value and the
gradient that flows into it during backward.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import torch

from dltui.engine.train.model import DTYPE, forward, loss_value
from dltui.engine import ops
from dltui.engine.train.snapshot import Phase

# What a node computes (words/graph.py has a text for each): the loss; a layer's z (and, for an
# activation that adds nothing to the picture, its output); its activation; a weight, a bias or a
# weight's transpose; a node of the loss's own formula; log_softmax; the step's 0⋅z; anything else.
ROLES = ("loss", "linear", "linear_output", "activation", "weight", "bias", "transpose", "loss_part",
         "log_softmax", "step_keep", "other")
PREDICT = "predict"    # `output` of the last layer: the prediction, a word; a hidden layer's is a1, a2 ⋯


@dataclass(frozen=True)
class GraphNode:
    """One `grad_fn` node; `grad` is 𝜕loss/𝜕(this node's output), None before backward.
    `parts` holds the symbols its role's text needs: `source` (x, a1), `output` (PREDICT, a2),
    `bias` (" + b" or ""), `activation`, `formula` (a loss node's template with {predict} and
    {target}), `op` (torch's name without Backward0)."""

    id: int
    name: str
    role: str
    layer: int | None            # counted from 1; None for the loss's nodes
    value: np.ndarray | None
    grad: np.ndarray | None
    inputs: tuple[int, ...]      # ids of the nodes feeding this one (its next_functions)
    parts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]   # root (the loss) first, then depth-first
    edges: tuple[tuple[int, int], ...]   # (child, parent): the child's output feeds the parent
    has_gradients: bool

    @property
    def root(self) -> GraphNode:
        return self.nodes[0]

    def node(self, name: str) -> list[GraphNode]:
        return [n for n in self.nodes if n.name == name]


def autograd_graph(trainer, with_gradients: bool | None = None) -> Graph:
    """The graph of the loss of the batch in progress, at the trainer's current parameters.

    Gradients are filled in when `with_gradients` (default: the trainer is at its BACKWARD
    phase, where the screen shows gradients). For the perceptron the trainer updates by its rule,
    not these autograd gradients (which are 0 through the step function).
    """
    if with_gradients is None:
        with_gradients = trainer.phase is Phase.BACKWARD
    scenario = trainer.scenario
    snapshot = trainer.snapshot()
    model = copy.deepcopy(trainer.model)
    for p in model.parameters():
        p.grad = None
    rows = torch.as_tensor(trainer.batch_rows(trainer.step_count))
    x = torch.as_tensor(np.array(snapshot.model_inputs), dtype=DTYPE)[rows]
    targets = torch.as_tensor(np.array(snapshot.targets))
    y = (targets.long().reshape(-1) if scenario.data.classes
         else targets.to(DTYPE).reshape(-1, scenario.data.n_outputs))[rows]
    fwd = forward(model, x)
    loss = loss_value(scenario.train.loss, fwd, y)

    known = _known_tensors(scenario, fwd, loss)
    params = _parameter_labels(model)
    order, index = _walk(loss.grad_fn)
    grads: dict[int, torch.Tensor] = {}
    handles = []
    if with_gradients:
        for fn in order:
            if type(fn).__name__ != "AccumulateGrad":
                handles.append(fn.register_prehook(
                    lambda grad_outputs, key=id(fn): grads.__setitem__(key, grad_outputs[0])))
        loss.backward()
        for h in handles:
            h.remove()

    nodes = []
    for fn in order:
        name = type(fn).__name__
        (role, layer, parts), value, grad = _describe(fn, name, known, params, fwd, y, scenario.train.loss)
        if with_gradients and grad is None and id(fn) in grads:
            grad = grads[id(fn)]
        inputs = tuple(index[id(n)] for n, _ in fn.next_functions if n is not None)
        nodes.append(GraphNode(index[id(fn)], name, role, layer, _array(value),
                               _array(grad) if with_gradients else None, inputs, parts))
    edges = tuple((child, n.id) for n in nodes for child in n.inputs)
    return Graph(tuple(nodes), edges, with_gradients)


def _walk(root) -> tuple[list, dict[int, int]]:
    """Nodes depth-first from the loss, each once; ids in that order."""
    order, index, stack = [], {}, [root]
    while stack:
        fn = stack.pop()
        if id(fn) in index:
            continue
        index[id(fn)] = len(order)
        order.append(fn)
        stack.extend(n for n, _ in reversed(fn.next_functions) if n is not None)
    return order, index


def _known_tensors(scenario, fwd, loss) -> dict[int, tuple[tuple, torch.Tensor]]:
    """grad_fn identity → ((role, layer, parts), tensor) for the loss and every layer's z and a."""
    known = {id(loss.grad_fn): (("loss", None, {}), loss)}
    last = len(scenario.layers) - 1
    for i, spec in enumerate(scenario.layers):
        parts = {"source": "x" if i == 0 else f"a{i}", "bias": " + b" if spec.has_bias else "",
                 "output": PREDICT if i == last else f"a{i + 1}", "activation": spec.activation}
        z, a = fwd.pre_activations[i], fwd.outputs[i]
        if not ops.activation(spec.activation).shows_value:
            known[id(z.grad_fn)] = (("linear_output", i + 1, parts), z)
            continue
        known[id(z.grad_fn)] = (("linear", i + 1, parts), z)
        if a.grad_fn is not None and id(a.grad_fn) not in known:
            known[id(a.grad_fn)] = (("activation", i + 1, parts), a)
    return known


def _parameter_labels(model) -> dict[int, tuple[int, str]]:
    """Parameter identity → (layer number from 1, "weight" | "bias")."""
    labels = {}
    for i, linear in enumerate(model[0::2]):
        labels[id(linear.weight)] = (i + 1, "weight")
        if linear.bias is not None:
            labels[id(linear.bias)] = (i + 1, "bias")
    return labels


def _describe(fn, name, known, params, fwd, y, loss_name):
    """((role, layer, parts), forward value, gradient or None) for one node."""
    if name == "AccumulateGrad":
        p = fn.variable
        layer, kind = params.get(id(p), (None, "other"))   # every parameter is a layer's
        return (kind, layer, {"op": name}), p, p.grad
    if id(fn) in known:
        what, tensor = known[id(fn)]
        return what, tensor, None
    if name == "TBackward0":
        weight = getattr(fn.next_functions[0][0], "variable", None)
        layer = params[id(weight)][0] if id(weight) in params else None
        return ("transpose", layer, {}), None if weight is None else weight.T, None
    own = ops.loss(loss_name).graph_nodes.get(name)
    if own is not None:   # a node of the loss's own formula (MAE's subtraction and |⋅|)
        formula, value = own
        return ("loss_part", None, {"formula": formula}), value(fwd.predictions, y), None
    if name == "LogSoftmaxBackward0":
        return ("log_softmax", None, {}), torch.log_softmax(fwd.logits, dim=1), None
    if name == "MulBackward0":
        return ("step_keep", None, {}), None, None
    return ("other", None, {"op": name.removesuffix("Backward0")}), None, None


def _array(value) -> np.ndarray | None:
    if value is None:
        return None
    return np.array(value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value, dtype=float)
