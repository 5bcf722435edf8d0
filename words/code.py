"""The comments of the generated PyTorch code (`dltui run --code`, the code pane, the notebook),
in Korean and English: the engine writes lines with notes (engine/explain/codegen.py), these
words say them. Every value is made one line first, so no text of a scenario (a title, a column
name) can end a comment and start a line of code."""

from __future__ import annotations

from .particles import format_particles

CODE_MESSAGES: dict[str, dict[str, str]] = {
    "code.title": {"ko": "{title}", "en": "{title}"},
    "code.about": {"ko": "PyTorch로 쓴 학습 코드: dltui가 보여 주는 것과 같은 손실이 나옵니다.",
                   "en": "The standard PyTorch training loop for this scenario; it prints the losses dltui shows."},
    "code.float64": {"ko": "64비트 실수: 5.3은 5.3 그대로", "en": "float64: 5.3 stays exactly 5.3"},
    "code.criterion": {"ko": "손실 함수: {meaning}", "en": "loss function: {meaning}"},
    "code.data": {"ko": "데이터", "en": "data"},
    "code.data.held_out": {"ko": "데이터 ‒ 테스트용 {rows}행은 따로", "en": "data ‒ {rows} test rows kept apart"},
    "code.inputs": {"ko": "입력: {names}", "en": "inputs: {names}"},
    "code.target": {"ko": "정답: {target}", "en": "target: {target}"},
    "code.target.classes": {"ko": "정답: {target} ‒ {legend}", "en": "target: {target} ‒ {legend}"},
    "code.standardise": {"ko": "입력 표준화: 학습 데이터의 평균과 표준편차",
                         "en": "standardise the inputs with the training rows' mean and standard deviation"},
    "code.minmax": {"ko": "입력을 0~1로: 학습 데이터의 최솟값과 최댓값",
                    "en": "min-max scaling to 0..1 with the training rows' minimum and maximum"},
    "code.constant_columns": {"ko": "값이 모두 같은 열은 그대로", "en": "constant columns stay as they are"},
    "code.data_file": {"ko": "시나리오가 읽는 CSV 파일", "en": "the CSV file the scenario reads"},
    "code.csv_inputs": {"ko": "입력: {columns}개 열", "en": "inputs: {columns} columns"},
    "code.class_index": {"ko": "정답: 클래스 번호", "en": "target: the class index"},
    "code.csv_target": {"ko": "정답", "en": "target"},
    "code.hold_out": {"ko": "테스트용 {percent} 떼어 두기, seed {seed}", "en": "hold out {percent} for testing, seed {seed}"},
    "code.training_rows": {"ko": "학습용 {rows}행", "en": "{rows} training rows"},
    "code.model": {"ko": "모델: {sizes}", "en": "model: {sizes}"},
    "code.in_the_loss": {"ko": "마지막 {activation}는 손실 함수 안에", "en": "the loss applies the last {activation}"},
    "code.seeded": {"ko": "시작 가중치는 seed로 정한 난수", "en": "a seeded random start"},
    "code.uniform": {"ko": "U(−1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch의 기본 범위",
                     "en": "U(−1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's default range"},
    "code.initial": {"ko": "시작 가중치와 편차", "en": "initial weights and biases"},
    "code.optimizer.sgd": {"ko": "경사하강법: weight = weight − 학습률 ⋅ 기울기",
                           "en": "gradient descent: weight = weight − learning rate ⋅ gradient"},
    "code.optimizer.momentum": {"ko": "모멘텀: 지난 단계의 방향을 이어 감",
                                "en": "momentum: keeps going the way the last steps went"},
    "code.optimizer.adam": {"ko": "Adam: 모수마다 보폭을 맞춤", "en": "Adam: a step size per parameter"},
    "code.optimizer.perceptron": {"ko": "학습률: 퍼셉트론 규칙은 아래에서 직접",
                                  "en": "learning rate: the perceptron rule is written out below"},
    "code.perceptron.error": {"ko": "오차: 타겟 − 예측", "en": "error: target − predict"},
    "code.perceptron.rule": {"ko": "퍼셉트론 규칙: w ← w + lr⋅(y − ŷ)⋅x", "en": "perceptron rule: w ← w + lr⋅(y − ŷ)⋅x"},
    "code.perceptron.bias": {"ko": "b ← b + lr⋅(y − ŷ)", "en": "b ← b + lr⋅(y − ŷ)"},
    "code.batch_size": {"ko": "묶음 크기", "en": "minibatch size"},
    "code.batches_per_epoch": {"ko": "한 바퀴(epoch)의 묶음 수", "en": "minibatches per epoch"},
    "code.batch_rows": {"ko": "이번 단계의 묶음: 바퀴마다 seed로 섞은 순서",
                        "en": "this step's minibatch: a seeded shuffle per epoch"},
    "code.steps": {"ko": "학습 횟수", "en": "number of updates"},
    "code.resume_state": {"ko": "저장된 실행의 최적화 상태 ([resume]): 엔진이 멈춘 그대로 되돌림",
                          "en": "the saved run's optimizer state ([resume]), put back as the engine left it"},
    "code.resume_start": {"ko": "저장된 단계: 여기서부터 이어서 학습 (미니배치 순서의 자리도 여기)",
                          "en": "the saved step: training goes on from here (its place in the minibatch order too)"},
    "code.losses": {"ko": "단계마다 학습 데이터 전체의 손실", "en": "the full training-set loss at every step"},
    "code.rows": {"ko": "이번 묶음의 행", "en": "this minibatch's rows"},
    "code.forward": {"ko": "순전파: 예측", "en": "forward: predict"},
    "code.forward.logits": {"ko": "순전파: {activation} 전의 값 z", "en": "forward: the logits z, before the {activation}"},
    "code.loss": {"ko": "손실", "en": "loss"},
    "code.zero_grad": {"ko": "기울기 초기화", "en": "zero the gradients"},
    "code.backward": {"ko": "역전파: 기울기 계산", "en": "backward: compute the gradients"},
    "code.update": {"ko": "업데이트: 가중치 수정", "en": "update: change the weights"},
    "code.final_loss": {"ko": "마지막 업데이트 뒤의 손실", "en": "the loss after the last update"},
    "code.predict": {"ko": "예측 ({activation} 뒤)", "en": "predict (after the {activation})"},
    "code.rows_from_one": {"ko": "행 번호는 화면처럼 1부터", "en": "rows counted from 1, as on screen"},
    "code.curves": {"ko": "실행마다 손실 기록", "en": "each run's losses"},
    "code.no_matplotlib": {"ko": "matplotlib이 없으면 그림은 건너뜁니다", "en": "no matplotlib: no plot"},
}


def one_line(text: object) -> str:
    """`text` with every character that could end a line (or is not printable) escaped as in
    a Python literal: a newline in a title stays inside its comment."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def comment(line, lang: str) -> str:
    """The comment a code line's note says, in `lang` ("" when it has none)."""
    if not line.note:
        return ""
    values = {key: one_line(value) for key, value in line.values.items()}
    return one_line(format_particles(CODE_MESSAGES[line.note][lang], **values))


def code_text(lines, lang: str) -> str:
    """The lines as Python source with their comments; one output line per code line."""
    out = []
    for line in lines:
        note = comment(line, lang)
        if note and line.code.strip():
            out.append(f"{line.code}  # {note}")
        elif note:
            out.append(f"{line.code}# {note}")
        else:
            out.append(line.code)
    return "\n".join(out) + "\n"
