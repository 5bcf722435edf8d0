"""The words around the engine's explanation data (words/explain.py says them), in Korean and
English: data only, so that words/messages.py can hold every key without importing the explainer."""

from __future__ import annotations

EXPLAIN_MESSAGES: dict[str, dict[str, str]] = {
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
