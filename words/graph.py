"""The autograd graph's words: the `grad_fn` tree (engine/explain/autograd.py) in Korean or English.

Node names are PyTorch's own (`AddmmBackward0`, `AccumulateGrad`) and stay as they are; the
engine says what each node computes as a role, a layer and the maths' symbols, and the label is
written here, in the screen's language, as are "value", "grad" and "(↑ above)".
"""

from __future__ import annotations

import numpy as np

from dltui.engine.explain.autograd import PREDICT, Graph, GraphNode
from dltui.engine.numbers import fmt

from .explain_words import EXPLAIN_MESSAGES as EXPLAIN_WORDS

# One text per node role (autograd.ROLES), filled with the node's layer and parts.
ROLE_LABELS: dict[str, dict[str, str]] = {
    "loss": {"ko": "손실 = 행마다 {formula}의 평균", "en": "loss = mean {formula}"},
    "linear": {"ko": "z = {source}⋅Wᵀ{bias} (층 {layer})", "en": "z = {source}⋅Wᵀ{bias} (layer {layer})"},
    "linear_output": {"ko": "{output} = z = {source}⋅Wᵀ{bias} (층 {layer})",
                      "en": "{output} = z = {source}⋅Wᵀ{bias} (layer {layer})"},
    "activation": {"ko": "{output} = {activation}(z) (층 {layer})", "en": "{output} = {activation}(z) (layer {layer})"},
    "weight": {"ko": "W (층 {layer} 가중치)", "en": "W (layer {layer} weight)"},
    "bias": {"ko": "b (층 {layer} 편차)", "en": "b (layer {layer} bias)"},
    "transpose": {"ko": "Wᵀ (층 {layer})", "en": "Wᵀ (layer {layer})"},
    "loss_part": {"ko": "{formula}", "en": "{formula}"},
    "log_softmax": {"ko": "log p = log_softmax(z)", "en": "log p = log_softmax(z)"},
    "step_keep": {"ko": "0⋅z (계단 함수를 그래프에 남김: 기울기 0)", "en": "0⋅z (keeps step in the graph: gradient 0)"},
    "other": {"ko": "{op}", "en": "{op}"},
}
GRAPH_WORDS: dict[str, dict[str, str]] = {
    "value": {"ko": "값", "en": "value"},
    "grad": {"ko": "기울기", "en": "grad"},
    "above": {"ko": "(↑ 위에 있음)", "en": "(↑ above)"},
    PREDICT: {"ko": "예측", "en": "predict"},
    "target": {"ko": "타겟", "en": "target"},
}


def node_label(node: GraphNode, loss_name: str, lang: str) -> str:
    """What the node computes, in `lang`: its maths kept, its words in the language."""
    parts = dict(node.parts, layer=node.layer)
    words = {"predict": GRAPH_WORDS[PREDICT][lang], "target": GRAPH_WORDS["target"][lang]}
    if node.role == "loss":
        parts["formula"] = EXPLAIN_WORDS[f"formula.{loss_name}"][lang]
    if "formula" in parts and node.role == "loss_part":
        parts["formula"] = parts["formula"].format(**words)
    if parts.get("output") == PREDICT:
        parts["output"] = words["predict"]
    return ROLE_LABELS[node.role][lang].format(**parts)


def graph_lines(graph: Graph, loss_name: str, lang: str, width: int = 6) -> list[str]:
    """An indented tree from the loss down: `AddmmBackward0  z = x⋅Wᵀ + b (layer 1)  value ⋯  grad ⋯`."""
    out: list[str] = []
    seen: set[int] = set()
    said = {key: words[lang] for key, words in GRAPH_WORDS.items()}

    def visit(node: GraphNode, prefix: str, branch: str) -> None:
        text = f"{node.name}  {node_label(node, loss_name, lang)}"
        if node.id in seen:
            out.append(f"{prefix}{branch}{text}  {said['above']}")
            return
        seen.add(node.id)
        if node.value is not None:
            text += f"  {said['value']} {_short(node.value, width)}"
        if node.grad is not None:
            text += f"  {said['grad']} {_short(node.grad, width)}"
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
