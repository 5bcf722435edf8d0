"""The autograd graph view: torch's own nodes, the engine's numbers, and a trainer left untouched."""

from __future__ import annotations

import numpy as np
import pytest

from dltui.engine import Phase, open_scenario
from dltui.engine.explain.autograd import autograd_graph
from dltui.engine.train.trainer import Trainer
from dltui.words.graph import graph_lines, node_label


def at_phase(name: str, phase: Phase, steps: int = 0) -> Trainer:
    t = Trainer(open_scenario(name))
    t.run(steps)
    while t.phase is not phase:
        t.advance()
    return t


def torch_names(fn) -> list[str]:
    """Node names depth-first from a grad_fn, each node once (an independent walk)."""
    out, seen = [], set()

    def visit(node):
        if node is None or id(node) in seen:
            return
        seen.add(id(node))
        out.append(type(node).__name__)
        for child, _ in node.next_functions:
            visit(child)

    visit(fn)
    return out


def test_house_prices_tree_is_what_torch_builds():
    t = at_phase("house_prices", Phase.BACKWARD)
    graph = autograd_graph(t)
    # F.l1_loss is mean(|predict − target|) in torch's graph; the linear layer is one addmm.
    assert [n.name for n in graph.nodes] == [
        "MeanBackward0", "AbsBackward0", "SubBackward0", "AddmmBackward0",
        "AccumulateGrad", "TBackward0", "AccumulateGrad"]
    assert [n.name for n in graph.nodes] == torch_names(t._batch_loss.grad_fn)
    labels = [node_label(n, "mae", "en") for n in graph.nodes]
    assert labels[0] == "loss = mean |target − predict|"
    assert "x⋅Wᵀ + b (layer 1)" in labels[3]
    assert labels[4] == "b (layer 1 bias)" and labels[6] == "W (layer 1 weight)"
    assert graph.edges == ((1, 0), (2, 1), (3, 2), (4, 3), (5, 3), (6, 5))
    lines = graph_lines(graph, "mae", "en")
    assert lines[0].startswith("MeanBackward0  loss = mean |target − predict|  value 0.566667  grad 1")
    assert lines[1].startswith("└─ AbsBackward0  |predict − target|  value [0.2, 0.3, 1.2] (3x1)")
    assert lines[3].startswith("      └─ AddmmBackward0") and "[5.8, 6.7, 7.3]" in lines[3]
    assert lines[4].startswith("         ├─ AccumulateGrad  b (layer 1 bias)  value [0.5]  grad [-1]")
    assert lines[6].startswith("            └─ AccumulateGrad  W (layer 1 weight)  value [0.1, 0.3, 4] (1x3)")
    assert "grad [-33.666667, -3.333333, -0.433333] (1x3)" in lines[6]


@pytest.mark.parametrize("name, steps", [
    ("house_prices", 3), ("house_prices_mse", 0), ("xor", 5), ("xor_relu", 2), ("iris", 2),
    ("abalone", 54), ("adam_vs_sgd:adam", 3), ("step_vs_sigmoid:step", 1), ("guess_19", 0),
])
def test_values_and_gradients_equal_the_trainers(name, steps):
    t = at_phase(name, Phase.LOSS, steps)
    loss_snapshot = t.snapshot()
    graph = autograd_graph(t, with_gradients=True)
    assert [n.name for n in graph.nodes] == torch_names(t._batch_loss.grad_fn)
    assert graph.root.value == pytest.approx(loss_snapshot.batch_loss, rel=1e-15)
    t.advance()                                   # the trainer's own BACKWARD
    snapshot = t.snapshot()
    params = [(layer.weight, layer.weight_grad) for layer in snapshot.layers]
    params += [(layer.bias, layer.bias_grad) for layer in snapshot.layers if layer.bias is not None]
    leaves = graph.node("AccumulateGrad")
    assert len(leaves) == len(params)
    for value, grad in params:
        match = [n for n in leaves if n.value.shape == value.shape and np.array_equal(n.value, value)]
        assert match, "every parameter is a leaf of the graph"
        np.testing.assert_allclose(match[0].grad, grad, rtol=1e-12, atol=1e-15)


def test_intermediate_gradients_are_the_chain_rule():
    """𝜕L/𝜕z and 𝜕L/𝜕a of a two-layer MSE network, recomputed in numpy."""
    t = at_phase("abalone", Phase.BACKWARD, 5)
    s = t.snapshot()
    graph = autograd_graph(t)
    rows = s.batch
    h, out = s.layers
    predict, target = out.output[rows], s.targets[rows]
    d_predict = 2 * (predict - target) / len(rows)                    # MSE
    d_a1 = d_predict @ out.weight                                     # through z2 = a1⋅W2ᵀ + b2
    d_z1 = d_a1 * (h.pre_activation[rows] > 0)                        # relu'
    z2, relu, z1 = (graph.nodes[i] for i in (1, 3, 4))
    assert (z2.name, relu.name, z1.name) == ("AddmmBackward0", "ReluBackward0", "AddmmBackward0")
    np.testing.assert_allclose(z2.value, predict, rtol=1e-13)
    np.testing.assert_allclose(z2.grad, d_predict, rtol=1e-12)
    np.testing.assert_allclose(relu.value, h.output[rows], rtol=1e-13)
    np.testing.assert_allclose(relu.grad, d_a1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(z1.grad, d_z1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(z1.value, h.pre_activation[rows], rtol=1e-13)


def test_trainer_is_untouched():
    """Building the graph (with its backward) changes nothing the trainer holds or does next."""
    for phase in (Phase.FORWARD, Phase.LOSS, Phase.BACKWARD):
        t = at_phase("xor", phase, 3)
        before = [(p.detach().clone(), None if p.grad is None else p.grad.clone()) for p in t.model.parameters()]
        snapshot = t.snapshot()
        autograd_graph(t, with_gradients=True)
        for (value, grad), p in zip(before, t.model.parameters()):
            assert np.array_equal(value, p.detach())
            assert (grad is None and p.grad is None) or np.array_equal(grad, p.grad)
        assert t.snapshot() is snapshot
        t.run(4)
        reference = Trainer(open_scenario("xor"))
        reference.run(7)
        assert np.array_equal(np.frombuffer(t.history.losses), np.frombuffer(reference.history.losses))


def test_gradients_only_from_backward_by_default():
    t = at_phase("house_prices", Phase.LOSS)
    graph = autograd_graph(t)
    assert not graph.has_gradients and all(n.grad is None for n in graph.nodes)
    assert all("grad" not in line for line in graph_lines(graph, "mae", "en"))
    t.advance()
    graph = autograd_graph(t)
    assert graph.has_gradients and graph.root.grad == 1.0


def test_step_function_node_is_named():
    graph = autograd_graph(at_phase("perceptron_and", Phase.BACKWARD))
    names = [n.name for n in graph.nodes]
    assert names[:6] == ["MeanBackward0", "AbsBackward0", "SubBackward0", "AddBackward0",
                         "MulBackward0", "AddmmBackward0"]
    assert (graph.nodes[3].role, graph.nodes[3].layer) == ("activation", 1)
    assert node_label(graph.nodes[3], "mae", "en") == "predict = step(z) (layer 1)"
    assert node_label(graph.nodes[3], "mae", "ko") == "예측 = step(z) (층 1)"
    assert np.all(graph.nodes[5].grad == 0)         # nothing flows back through a step


def test_every_node_role_is_said_in_both_languages():
    """The engine names what a node computes (a role), words/graph.py says it: no role without
    words, no English prose in the Korean ones, and a Korean tree that names no English word."""
    from dltui.engine.explain.autograd import ROLES
    from dltui.words.graph import ROLE_LABELS
    from words_check import english_prose

    assert set(ROLE_LABELS) == set(ROLES)
    assert all(english_prose(words["ko"]) == [] for words in ROLE_LABELS.values())
    graph = autograd_graph(at_phase("xor", Phase.BACKWARD))
    assert {n.role for n in graph.nodes} <= set(ROLES) and {"loss", "linear", "activation", "weight", "bias"} <= \
        {n.role for n in graph.nodes}
    korean = "\n".join(graph_lines(graph, "bce", "ko"))
    assert "층 2 가중치" in korean and "layer" not in korean and "z = a1⋅Wᵀ + b (층 2)" in korean
