"""The prose around the engine's explanation data, in Korean and English.

The engine's explanations (engine/explain) are data: each gradient's loss, parameter kind and
row terms; each chain-rule factor; each loss row. Their arithmetic (`(0.2 + 0.3 + 1.2) / 3`)
reads the same in every language; the words around it (which formula, which layer, which row)
are written here, once, for the screen and for `dltui run --explain`.
"""

from __future__ import annotations

from dltui.engine.explain.gradients import Delta, GradientTerms, LayerGradients, ParameterGradient
from dltui.engine import ops
from dltui.engine.explain.terms import LossTerms

from .messages import MESSAGES, t

WORDS: dict[str, dict[str, str]] = {
    # what each loss adds up, per row
    "formula.mae": {"ko": "|타겟 − 예측|", "en": "|target − predict|"},
    "formula.mse": {"ko": "(타겟 − 예측)^2", "en": "(target − predict)^2"},
    "formula.bce": {"ko": "−[y⋅log p + (1 − y)⋅log(1 − p)]", "en": "−[y⋅log p + (1 − y)⋅log(1 − p)]"},
    "formula.cross_entropy": {"ko": "−log p(타겟 클래스)", "en": "−log p(target class)"},
    # the factor each row contributes to a gradient, by loss
    "factor.mae": {"ko": "sign(예측 − 타겟)", "en": "sign(predict − target)"},
    "factor.mse": {"ko": "2⋅(예측 − 타겟)", "en": "2⋅(predict − target)"},
    "factor.bce": {"ko": "(p − y)", "en": "(p − y)"},
    "factor.cross_entropy": {"ko": "(p − [y = 클래스])", "en": "(p − [y = class])"},
    # one layer, the lecture's form
    "grad.mean_of": {"ko": "𝜕L/𝜕{p} = 행마다 {factor}{slope}{x}의 평균", "en": "𝜕L/𝜕{p} = mean of {factor}{slope}{x}"},
    "grad.perceptron": {"ko": "g_{p} = −Σ (타겟 − 예측){x}   (퍼셉트론 규칙)",
                        "en": "g_{p} = −Σ (target − predict){x}   (perceptron rule)"},
    # the chain rule
    "chain.output": {"ko": "출력층", "en": "output"},
    "chain.hidden": {"ko": "은닉층", "en": "hidden"},
    "chain.layer": {"ko": "층 {n} ({role}, {act}): 𝜕L/𝜕z = 𝜕L/𝜕a ⋅ 𝜕a/𝜕z",
                    "en": "layer {n} ({role}, {act}): 𝜕L/𝜕z = 𝜕L/𝜕a ⋅ 𝜕a/𝜕z"},
    "chain.where": {"ko": "{row}행, 뉴런 {unit}: ", "en": "row {row}, unit {unit}: "},
    "chain.more_rows": {"ko": "⋯ ({n}행 더)", "en": "⋯ ({n} more rows)"},
    "chain.input_x": {"ko": "𝜕z/𝜕w = 그 가중치의 입력 (x); 𝜕z/𝜕b = 1", "en": "𝜕z/𝜕w = the weight's input (x); 𝜕z/𝜕b = 1"},
    "chain.input_a": {"ko": "𝜕z/𝜕w = 그 가중치의 입력 (층 {n}의 a); 𝜕z/𝜕b = 1",
                      "en": "𝜕z/𝜕w = the weight's input (a of layer {n}); 𝜕z/𝜕b = 1"},
}
MESSAGES.update(WORDS)


def loss_formula(terms: LossTerms, lang: str) -> str:
    """What one row adds to the loss, in words of `lang` (the engine's own text if unknown)."""
    key = f"formula.{terms.name}"
    return t(key, lang) if key in MESSAGES else terms.formula


def loss_heading(terms: LossTerms, lang: str) -> str:
    return t("explain.loss", lang, name=terms.name, formula=loss_formula(terms, lang))


def loss_total(terms: LossTerms, lang: str) -> str:
    return f"{t('loss', lang)} = {terms.reduction_text()}"


def gradient_formula(p: ParameterGradient, lang: str) -> str:
    """`𝜕L/𝜕w1 = mean of sign(predict − target) ⋅ x1`, in `lang`, from the gradient's pieces."""
    x = "" if p.input_symbol is None else f" ⋅ {p.input_symbol}"
    if p.summed:
        return t("grad.perceptron", lang, p=p.symbol, x=x)
    slope = "" if p.slope_activation is None else f" ⋅ {p.slope_activation}'(z)"
    key = f"factor.{p.loss}"
    factor = t(key, lang) if key in MESSAGES else ops.rule(p.loss).factor_name
    return t("grad.mean_of", lang, p=p.symbol, factor=factor, slope=slope, x=x)


def delta_text(d: Delta, lang: str) -> str:
    """One unit's 𝜕L/𝜕z on one row: where, in words, then the arithmetic."""
    return t("chain.where", lang, row=d.row + 1, unit=d.unit + 1) + d.arithmetic()


def layer_lines(layer: LayerGradients, lang: str, max_rows: int = 4) -> list[str]:
    role = t("chain.output" if layer.output else "chain.hidden", lang)
    out = [t("chain.layer", lang, n=layer.layer + 1, role=role, act=layer.activation)]
    rows = layer.rows()
    shown = set(rows[:max_rows])
    out += ["  " + delta_text(d, lang) for d in layer.deltas if d.row in shown]
    if len(rows) > max_rows:
        out.append("  " + t("chain.more_rows", lang, n=len(rows) - max_rows))
    out.append("  " + (t("chain.input_x", lang) if layer.layer == 0 else t("chain.input_a", lang, n=layer.layer)))
    out += ["  " + p.text() for p in layer.params]
    return out


def gradient_lines(terms: GradientTerms, lang: str) -> list[str]:
    """The gradient explanation of one step: the lecture's form for one layer, else the chain rule."""
    if terms.parameters:
        out = []
        for p in terms.parameters:
            out += [gradient_formula(p, lang), "  " + p.text()]
        return out
    return [line for layer in terms.layers for line in layer_lines(layer, lang)]

