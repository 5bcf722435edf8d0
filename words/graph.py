"""The autograd graph's words: the `grad_fn` tree (engine/explain/autograd.py) in Korean or English.

Node names are PyTorch's own (`AddmmBackward0`, `AccumulateGrad`) and stay as they are; each
node's label is maths with a few words in it ("(layer 1 weight)", "predict − target"), which
are put in the screen's language here, as are "value", "grad" and "(↑ above)".
"""

from __future__ import annotations

import re

import numpy as np

from dltui.engine.explain.autograd import Graph, GraphNode
from dltui.engine.numbers import fmt

from .messages import MESSAGES, t

WORDS: dict[str, dict[str, str]] = {
    "graph.value": {"ko": "값", "en": "value"},
    "graph.grad": {"ko": "기울기", "en": "grad"},
    "graph.above": {"ko": "(↑ 위에 있음)", "en": "(↑ above)"},
    "graph.layer": {"ko": "층 {n}", "en": "layer {n}"},
    "graph.layer_weight": {"ko": "층 {n} 가중치", "en": "layer {n} weight"},
    "graph.layer_bias": {"ko": "층 {n} 편차", "en": "layer {n} bias"},
    "graph.loss": {"ko": "손실 = 행마다 {formula}의 평균", "en": "loss = mean {formula}"},
    "graph.step": {"ko": "0⋅z (계단 함수를 그래프에 남김: 기울기 0)", "en": "0⋅z (keeps step in the graph: gradient 0)"},
    "graph.predict": {"ko": "예측", "en": "predict"},
    "graph.target": {"ko": "타겟", "en": "target"},
}
MESSAGES.update(WORDS)

_LAYER_PART = re.compile(r"\(layer (\d+)(?: (weight|bias))?\)")
_LOSS = re.compile(r"^loss = mean (.+)$")


def node_label(node: GraphNode, loss_name: str, lang: str) -> str:
    """The node's label in `lang`: its maths kept, its words translated."""
    label = node.label
    if _LOSS.match(label):
        key = f"formula.{loss_name}"
        formula = t(key, lang) if key in MESSAGES else _LOSS.match(label).group(1)
        return t("graph.loss", lang, formula=formula)
    if label.startswith("0⋅z (keeps step"):
        return t("graph.step", lang)

    def layer(match: re.Match) -> str:
        kind = match.group(2)
        key = "graph.layer" if kind is None else f"graph.layer_{kind}"
        return f"({t(key, lang, n=match.group(1))})"

    label = _LAYER_PART.sub(layer, label)
    return (label.replace("predict", t("graph.predict", lang))
                 .replace("target", t("graph.target", lang)))


def graph_lines(graph: Graph, loss_name: str, lang: str, width: int = 6) -> list[str]:
    """An indented tree from the loss down: `AddmmBackward0  z = x⋅Wᵀ + b (layer 1)  value ⋯  grad ⋯`."""
    out: list[str] = []
    seen: set[int] = set()

    def visit(node: GraphNode, prefix: str, branch: str) -> None:
        text = f"{node.name}  {node_label(node, loss_name, lang)}"
        if node.id in seen:
            out.append(f"{prefix}{branch}{text}  {t('graph.above', lang)}")
            return
        seen.add(node.id)
        if node.value is not None:
            text += f"  {t('graph.value', lang)} {_short(node.value, width)}"
        if node.grad is not None:
            text += f"  {t('graph.grad', lang)} {_short(node.grad, width)}"
        out.append(prefix + branch + text)
        child_prefix = prefix + {"": "", "└─ ": "   "}.get(branch, "│  ")
        for i, child in enumerate(node.inputs):
            visit(graph.nodes[child], child_prefix, "└─ " if i == len(node.inputs) - 1 else "├─ ")

    visit(graph.root, "", "")
    return out


def _short(array: np.ndarray, width: int) -> str:
    flat = np.asarray(array, dtype=float).reshape(-1)
    items = [fmt(v) for v in flat[:width]]
    if flat.size > width:
        items.append("⋯")
    if array.ndim == 0:
        return items[0]
    shape = f" ({'x'.join(map(str, array.shape))})" if array.ndim > 1 or flat.size > width else ""
    return f"[{', '.join(items)}]{shape}"
