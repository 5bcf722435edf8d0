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

