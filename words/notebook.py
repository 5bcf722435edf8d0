"""The markdown of the generated notebook (engine/explain/notebook.py's plan), in Korean and
English: before each code cell one or two sentences in the lecture's words
(데이터 → 모델 → 손실 함수 → 최적화 함수 → 학습 반복)."""

from __future__ import annotations

from .code import one_line
from .particles import format_particles

NOTEBOOK_MESSAGES: dict[str, dict[str, str]] = {
    "nb.section": {"ko": "*단원: {section}*", "en": "*Course section: {section}*"},
    "nb.about": {
        "ko": "이 노트북은 dltui 화면에서 따라간 실험을 그대로 PyTorch 코드로 옮긴 것입니다. dltui 없이 "
              "torch만 있으면 돌아갑니다. 셀을 위에서부터 하나씩 실행해 보세요: 첫 단계은 과정마다 "
              "화면의 계산과 같은 숫자를 출력하고, 학습 반복은 {steps}번 학습하며 {every}단계마다 손실을 출력합니다.",
        "en": "This notebook is the experiment you stepped through in dltui, as PyTorch code. It needs "
              "only torch, not dltui. Run the cells from the top one at a time: the first step prints, "
              "phase by phase, the numbers the screen's arithmetic shows, and the training loop runs "
              "{steps} updates, printing the loss every {every} steps."},
    "nb.about.every_step": {
        "ko": "이 노트북은 dltui 화면에서 따라간 실험을 그대로 PyTorch 코드로 옮긴 것입니다. dltui 없이 "
              "torch만 있으면 돌아갑니다. 셀을 위에서부터 하나씩 실행해 보세요: 첫 단계은 과정마다 "
              "화면의 계산과 같은 숫자를 출력하고, 학습 반복은 {steps}번 학습하며 단계마다 손실을 출력합니다.",
        "en": "This notebook is the experiment you stepped through in dltui, as PyTorch code. It needs "
              "only torch, not dltui. Run the cells from the top one at a time: the first step prints, "
              "phase by phase, the numbers the screen's arithmetic shows, and the training loop runs "
              "{steps} updates, printing the loss at every step."},
    "nb.comparison": {
        "ko": "이 수업은 실행 {runs}개를 비교합니다. 실행마다 한 부분이 있고, 모두 같은 시작 가중치에서 출발합니다.",
        "en": "This lesson compares {runs} runs. Each has a section of its own; all start from the same weights."},
    "nb.run": {"ko": "## 실행: {label}", "en": "## Run: {label}"},
    "nb.setup": {"ko": "### 준비\nPyTorch를 불러오고, 강의의 숫자가 그대로 나오도록 64비트 실수를 씁니다.",
                 "en": "### Setup\nImport PyTorch and compute in float64, so the lecture's numbers come out exactly."},
    "nb.data": {"ko": "### 데이터\n입력 x와 정답(target) y, 학습용 {rows}행입니다.",
                "en": "### Data\nThe inputs x and the targets y: {rows} training rows."},
    "nb.data.csv": {"ko": "### 데이터\n이 노트북 옆의 `{file}` 파일을 dltui가 읽은 그대로 읽습니다 "
                          "(입력 x와 정답 y, 학습용 {rows}행).",
                    "en": "### Data\nRead `{file}`, next to this notebook, exactly as dltui read it "
                          "(the inputs x and the targets y: {rows} training rows)."},
    "nb.model": {"ko": "### 모델\n층을 쌓은 모델을 만들고, 화면과 같은 시작 가중치(weight)와 편차(bias)를 넣습니다.",
                 "en": "### Model\nBuild the model layer by layer and copy in the screen's starting weights and biases."},
    "nb.criterion": {"ko": "### 손실 함수\n예측(predict)이 정답(target)과 얼마나 다른지 재는 함수: `{loss}`.",
                     "en": "### Loss function\nHow far the predictions are from the targets: `{loss}`."},
    "nb.optimizer": {"ko": "### 최적화 함수\n기울기를 보고 가중치를 고치는 방법 `{optimizer}`, 학습률 {lr}.",
                     "en": "### Optimizer\nHow the gradients change the weights: `{optimizer}`, learning rate {lr}."},
    "nb.batches": {"ko": "### 묶음\n한 단계에 {size}행씩, 바퀴(epoch)마다 seed로 섞은 순서로 학습합니다.",
                   "en": "### Minibatches\nEach step trains on {size} rows, in a seeded shuffle per epoch."},
    "nb.forward": {"ko": "## 첫 단계, 과정마다\n### 1. 순전파\n입력 ⋅ 가중치 + 편차 = 예측. 화면의 순전파와 같은 예측이 나옵니다.",
                   "en": "## The first step, phase by phase\n### 1. Forward\ninput ⋅ weight + bias = predict: "
                         "the predictions the screen's forward pass shows."},
    "nb.loss": {"ko": "### 2. 손실\n손실 함수가 예측과 정답의 차이를 하나의 숫자로 만듭니다.",
                "en": "### 2. Loss\nThe loss function turns the gap between predictions and targets into one number."},
    "nb.backward": {"ko": "### 3. 역전파\n`loss.backward()`가 가중치마다 기울기를 계산합니다 (`weight.grad`의 열이 화면의 "
                          "w1, w2, ⋯).",
                    "en": "### 3. Backward\n`loss.backward()` computes each weight's gradient (the columns of "
                          "`weight.grad` are the screen's w1, w2, ⋯)."},
    "nb.update": {"ko": "### 4. 업데이트\n`optimizer.step()`: 가중치 = 가중치 − 학습률 ⋅ 기울기. 새 가중치가 화면의 갱신과 같습니다.",
                  "en": "### 4. Update\n`optimizer.step()`: weight = weight − learning rate ⋅ gradient; the new "
                        "weights are the screen's update."},
    "nb.own_update": {"ko": "### 3. 업데이트\n퍼셉트론 규칙으로 가중치를 직접 고칩니다: w ← w + 학습률 ⋅ (정답 − 예측) ⋅ 입력.",
                      "en": "### 3. Update\nThe perceptron rule changes the weights directly: "
                            "w ← w + lr ⋅ (target − predict) ⋅ input."},
    "nb.loop": {"ko": "## 학습 반복\n같은 네 과정을 {steps}단계까지 되풀이하고 {every}단계마다 손실을 출력합니다 "
                      "(`dltui run`의 손실과 같습니다).",
                "en": "## Training loop\nThe same four phases up to step {steps}, printing the loss every {every} steps "
                      "(the losses `dltui run` prints)."},
    "nb.loop.every_step": {"ko": "## 학습 반복\n같은 네 과정을 {steps}단계까지 되풀이하고 단계마다 손실을 출력합니다 "
                                 "(`dltui run`의 손실과 같습니다).",
                           "en": "## Training loop\nThe same four phases up to step {steps}, printing the loss at every step "
                                 "(the losses `dltui run` prints)."},
    "nb.plot": {"ko": "## 손실 곡선\nmatplotlib이 있으면 손실 곡선을 그립니다.",
                "en": "## Loss curve\nThe loss over the steps, if matplotlib is installed."},
    "nb.plot.comparison": {"ko": "## 손실 곡선\nmatplotlib이 있으면 실행마다의 손실 곡선을 함께 그립니다.",
                           "en": "## Loss curves\nEvery run's loss over the steps, if matplotlib is installed."},
}


def prose(cell, lang: str) -> str:
    """A markdown cell's text in `lang`. The scenario's own names (title, run label, file) are
    made one line; its description is markdown already and goes in as written."""
    values = {name: one_line(value) if isinstance(value, str) else value for name, value in cell.values.items()}
    key = cell.prose
    if values.get("every") == 1:
        key += ".every_step"
    if cell.prose == "nb.title":
        descriptions = values["descriptions"]
        text = descriptions.get(lang) or next(iter(descriptions.values()), "")
        section = values["section"]
        place = format_particles(NOTEBOOK_MESSAGES["nb.section"][lang], section=one_line(section[lang])) if section else ""
        return "\n\n".join(part for part in (f"# {one_line(values['title'])}", place, text.strip()) if part)
    if cell.prose == "nb.run":
        values["label"] = one_line(values["labels"].get(lang) or values["name"])
    return format_particles(NOTEBOOK_MESSAGES[key][lang], **values)
