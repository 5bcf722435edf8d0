"""The words of editing (w), training settings (t) and saving (s), in Korean and English.

Kept in their own module; `messages.py` merges them into the shared table so `t()` finds them.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "key.edit": {"ko": "모수 고치기", "en": "Edit"},
    "key.settings": {"ko": "학습 설정", "en": "Settings"},
    "key.save": {"ko": "저장", "en": "Save"},
    "does.edit": {"ko": "모수 하나를 골라 값을 고치거나 조금씩 움직이기 (기울기가 방향을 알려 줌)",
                  "en": "Choose a parameter and type or nudge its value (the gradient advises which way)"},
    "does.settings": {"ko": "학습률, 최적화 방법, 손실, 배치, 층과 활성 함수, 스케일링, 테스트 비율, 시드 바꾸기",
                      "en": "Change rate, optimizer, loss, batch, layers and activations, scaling, test split, seed"},
    "does.save": {"ko": "지금 설정과 지금 가중치를 시나리오 파일로 저장 (./dltui-saved/)",
                  "en": "Save the current setup and weights as a scenario file (./dltui-saved/)"},
    # editing
    "edit.title": {"ko": "모수 고치기 (w)", "en": "Edit a parameter (w)"},
    "edit.keys": {"ko": "↑ ↓ 고르기 ⋅ Enter 값 입력 ⋅ ← → ± {step} (shift ± {fine}) ⋅ Esc 끝",
                  "en": "↑ ↓ choose ⋅ Enter type a value ⋅ ← → ± {step} (shift ± {fine}) ⋅ Esc done"},
    "edit.now": {"ko": "{name} = {value}   손실 {loss}", "en": "{name} = {value}   loss {loss}"},
    "edit.advice.down": {"ko": "기울기 {g} > 0: 줄이면 (← ) 손실이 줄어듭니다",
                         "en": "gradient {g} > 0: decreasing it (← ) lowers the loss"},
    "edit.advice.up": {"ko": "기울기 {g} < 0: 늘리면 (→ ) 손실이 줄어듭니다",
                       "en": "gradient {g} < 0: increasing it (→ ) lowers the loss"},
    "edit.advice.flat": {"ko": "기울기 0: 조금 바꿔도 손실이 그대로입니다",
                         "en": "gradient 0: a small change leaves the loss as it is"},
    "edit.input": {"ko": "{name}의 새 값 (Enter 적용, Esc 취소)", "en": "new value of {name} (Enter applies, Esc cancels)"},
    "edit.not_number": {"ko": "'{text}': 유한한 숫자가 아닙니다 ({reason}) ‒ 아무것도 바꾸지 않았습니다",
                        "en": "'{text}' is not a finite number ({reason}) ‒ nothing changed"},
    "edit.done": {"ko": "{name}: {old} → {new} (손실 {loss}) ‒ b로 되돌리기",
                  "en": "{name}: {old} → {new} (loss {loss}) ‒ b undoes it"},
    "edit.on": {"ko": "모수 고치기: ↑ ↓ 고르기, Enter 값 입력, ← → 조금씩, Esc 끝",
                "en": "editing: ↑ ↓ choose, Enter type a value, ← → nudge, Esc done"},
    "edit.comparison": {"ko": "비교 실행에서는 w / t를 쓸 수 없습니다 (실행들이 함께 움직입니다) ‒ "
                              "s로 고른 실행을 저장하고 그 파일을 열어 바꾸세요",
                        "en": "w / t are not available in a comparison (its runs move together) ‒ "
                              "save the selected run with s, open that file and change it there"},
    # saving
    "save.done": {"ko": "저장함: {path}  (다시 열기: dltui {path})", "en": "saved {path}  (open it again: dltui {path})"},
    "save.failed": {"ko": "저장하지 못했습니다: {error}", "en": "cannot save: {error}"},
    # settings
    "settings.title": {"ko": "학습 설정 (t)", "en": "Training settings (t)"},
    "settings.keys": {"ko": "Enter 적용 ⋅ Esc 취소", "en": "Enter apply ⋅ Esc cancel"},
    "settings.lr": {"ko": "학습률", "en": "learning rate"},
    "settings.optimizer": {"ko": "최적화 방법", "en": "optimizer"},
    "settings.momentum": {"ko": "모멘텀", "en": "momentum"},
    "settings.beta1": {"ko": "beta1 (Adam)", "en": "beta1 (Adam)"},
    "settings.beta2": {"ko": "beta2 (Adam)", "en": "beta2 (Adam)"},
    "settings.loss": {"ko": "손실 함수", "en": "loss"},
    "settings.batch": {"ko": "배치 크기 (0 = 전체)", "en": "batch size (0 = all rows)"},
    "settings.layers": {"ko": "층: 뉴런 수와 활성 함수 (마지막이 출력층)",
                        "en": "layers: units and activation (the last is the output)"},
    "settings.layer": {"ko": "층 {n}", "en": "layer {n}"},
    "settings.layer_units": {"ko": "층의 뉴런 수", "en": "layer units"},
    "settings.add": {"ko": "은닉층 추가", "en": "add a hidden layer"},
    "settings.remove": {"ko": "층 빼기", "en": "remove"},
    "settings.normalize": {"ko": "입력 스케일링", "en": "input scaling"},
    "settings.test_fraction": {"ko": "테스트 비율 (0 ~ 1 미만)", "en": "test split (0 to below 1)"},
    "settings.test_rows": {"ko": "테스트 행은 파일에 정해져 있습니다", "en": "the file gives its own test rows"},
    "settings.seed": {"ko": "시드 (초기화, 섞기, 나누기)", "en": "seed (init, shuffling, split)"},
    "settings.apply": {"ko": "적용", "en": "Apply"},
    "settings.cancel": {"ko": "취소", "en": "Cancel"},
    "settings.error": {"ko": "적용할 수 없습니다 (지금 상태는 그대로):", "en": "Cannot apply it (nothing changed):"},
    "settings.bad_number": {"ko": "{field}: '{text}': 숫자가 아닙니다 ({reason})",
                            "en": "{field}: '{text}' is not a number ({reason})"},
    "number.not_ascii": {"ko": "0-9 숫자로 쓰세요", "en": "write it with the digits 0-9"},
    "number.underscore": {"ko": "숫자 안에 밑줄(_)은 쓸 수 없습니다", "en": "an underscore inside a number is not allowed"},
    "number.not_number": {"ko": "0.01, 1e-3처럼 숫자, 점, e로 쓰세요", "en": "write digits, a point or e, as in 0.01 or 1e-3"},
    "number.not_finite": {"ko": "nan, inf는 쓸 수 없습니다", "en": "nan and inf cannot be used"},
    "number.underflow": {"ko": "너무 작아서 0이 됩니다. 0이라면 0으로 쓰세요",
                         "en": "too small: it would round to 0; write 0 if you mean 0"},
    "number.not_whole": {"ko": "정수가 아닙니다", "en": "not a whole number"},
    # the settings dialog's choices: a Korean name beside each registry name (English keeps the name)
    **{f"option.{name}": {"ko": f"{ko} ({name})", "en": name} for name, ko in (
        ("identity", "F 없음"), ("step", "계단 함수"), ("sigmoid", "시그모이드"), ("tanh", "쌍곡탄젠트"),
        ("relu", "렐루"), ("leaky_relu", "리키 렐루"), ("softmax", "소프트맥스"), ("gelu", "겔루"),
        ("softplus", "소프트플러스"), ("mae", "평균절대오차"), ("mse", "평균제곱오차"), ("bce", "이진 교차엔트로피"),
        ("cross_entropy", "교차엔트로피"), ("sgd", "경사하강법"), ("momentum", "모멘텀"), ("adam", "아담"),
        ("perceptron", "퍼셉트론 규칙"), ("none", "스케일링 없음"), ("standard", "표준화"), ("minmax", "최소-최대"))},
    "settings.unchanged": {"ko": "바뀐 설정이 없습니다", "en": "no setting changed"},
    "settings.applied": {"ko": "설정 적용 ({step} 단계부터), 가중치는 그대로 ‒ b로 되돌리기",
                         "en": "settings applied from step {step}, weights kept ‒ b undoes it"},
    "settings.applied_reset": {"ko": "설정 적용 ({step} 단계부터): 층 {layers:은} 모양이 바뀌어 새로 초기화 (시드 {seed}), "
                                     "나머지 가중치는 그대로 ‒ b로 되돌리기",
                               "en": "settings applied from step {step}: layer(s) {layers} changed shape and were "
                                     "re-initialised (seed {seed}); other weights kept ‒ b undoes it"},
}

