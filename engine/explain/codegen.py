"""The standard PyTorch training loop for a scenario, as a script a learner can read and run.

The lecture ends with `criterion = ...; optimizer = ...; loss.backward(); optimizer.step()`.
This writes that loop for the scenario on screen — its data, model, start, loss and optimizer —
so that running it prints the same losses the engine reports (a test executes it). It also
says which line is each phase, so a code pane can highlight the line of the phase on screen.
Pure text generation, no torch import: a seeded start is drawn by the script itself, in the
same order and range as engine/model.py draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from dltui.engine import ops
from dltui.engine.load.scenario import Scenario

@dataclass(frozen=True)
class TrainingCode:
    """A runnable script; `phase_lines` maps forward/loss/zero_grad/backward/update to 1-based lines.

    The script leaves every step's full training-set loss in `losses` (step 0 = before any update).
    """

    text: str
    phase_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, phase) -> int | None:
        """The line to highlight for a phase name (`Phase.value`), if the loop has one."""
        return self.phase_lines.get(str(getattr(phase, "value", phase)))


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tags: dict[str, int] = {}

    def add(self, text: str = "", comment: str = "", tag: str | None = None) -> None:
        for line in text.split("\n") if text else [""]:
            self.lines.append(line)
        if comment:
            self.lines[-1] = f"{self.lines[-1]}  # {comment}" if self.lines[-1].strip() else f"# {comment}"
        if tag:
            self.tags[tag] = len(self.lines)


def _num(value: float) -> str:
    return repr(float(value))


def _matrix(rows: np.ndarray, indent: str = "", one_line_max: int = 60) -> str:
    """A nested list literal: on one line when short, else one row per line under `indent`."""
    items = [f"[{', '.join(_num(v) for v in row)}]" for row in rows]
    one_line = f"[{', '.join(items)}]"
    if len(one_line) <= one_line_max:
        return one_line
    body = "".join(f"{indent}    {item},\n" for item in items)
    return f"[\n{body}{indent}]"


def training_code(scenario: Scenario, initial_layers: Sequence | None = None, *, steps: int = 100,
                  data_path: str | None = None) -> TrainingCode:
    """The scenario's training loop in plain PyTorch.

    `initial_layers`: the start to write (e.g. `snapshot.layers` at step 0); by default the
    file's weights, with seeded layers drawn in the script exactly as engine/model.py draws them.
    `data_path`: where the script reads a CSV scenario's file (default: its name, as in the file).
    """
    data, train = scenario.data, scenario.train
    csv_source = _csv_source(scenario)
    minibatch = 0 < train.batch_size < data.n_train
    logits = ops.loss(train.loss).from_logits
    optimizer = ops.optimizer(train.optimizer)
    w = _Writer()
    w.add(f"# {scenario.title}")
    w.add("# PyTorch로 쓴 학습 코드: dltui가 보여 주는 것과 같은 손실이 나옵니다.")
    w.add("# The standard PyTorch training loop for this scenario; it prints the losses dltui shows.")
    if csv_source:
        w.add("import csv")
    if minibatch:
        w.add("import math")
    if csv_source or minibatch:
        w.add("import numpy as np")
    w.add("import torch")
    w.add("from torch import nn" + ("" if optimizer.build is None else ", optim"))
    w.add()
    w.add("torch.set_default_dtype(torch.float64)", "64비트 실수: 5.3은 5.3 그대로 (float64: exact decimals)")
    w.add()
    for prelude in dict.fromkeys(ops.activation(spec.activation).code_prelude for spec in scenario.layers):
        if prelude:
            w.add(prelude)
            w.add()
    _data(w, scenario, csv_source, data_path)
    _model(w, scenario, initial_layers, logits)
    criterion = ops.loss(train.loss)
    w.add(f"criterion = {criterion.code}", f"손실 함수 (loss function): {criterion.code_meaning}")
    _optimizer(w, scenario)
    w.add()
    _loop(w, scenario, steps, minibatch, logits)
    return TrainingCode("\n".join(w.lines) + "\n", dict(w.tags))


def _csv_source(scenario: Scenario) -> dict | None:
    """Where a CSV scenario's rows come from: the file and the held-out fraction."""
    data = scenario.data
    if not getattr(data, "csv_plain", True):   # cp949, ';', dropped rows…: the rows are written out
        return None
    return {"csv": data.source_csv, "test_fraction": data.test_fraction} if data.source_csv else None


def _data(w: _Writer, scenario: Scenario, csv_source: dict | None, data_path: str | None) -> None:
    data = scenario.data
    names = ", ".join(data.feature_names)
    target = ", ".join(data.target_names)
    if csv_source:
        _csv_data(w, scenario, csv_source, data_path)
    else:
        held_out = f" — 시험용 {data.n_test}행은 따로 (test rows kept apart)" if data.n_test else ""
        w.add(f"# 데이터 (data){held_out}")
        w.add(f"# 입력 (inputs): {names}")
        w.add(f"x = torch.tensor({_matrix(data.train_inputs, one_line_max=0)})")
        if data.classes:
            legend = ", ".join(f"{i} = {c}" for i, c in enumerate(data.classes))
            w.add(f"# 정답 (target): {target} — {legend}")
            w.add(f"y = torch.tensor([{', '.join(str(int(v)) for v in data.train_targets)}])")
        else:
            w.add(f"# 정답 (target): {target}")
            w.add(f"y = torch.tensor({_matrix(data.train_targets, one_line_max=0)})")
    if data.normalize == "standard":
        w.add("mean, std = x.mean(dim=0), x.std(dim=0, correction=0)",
              "입력 표준화: 학습 데이터의 평균과 표준편차 (standardise with training statistics)")
        scale = "std"
    elif data.normalize == "minmax":
        w.add("low, high = x.min(dim=0).values, x.max(dim=0).values",
              "입력을 0~1로 (min-max scaling with training statistics)")
        w.add("mean, std = low, high - low")
        scale = "std"
    else:
        scale = None
    if scale:
        if np.any(np.ptp(data.train_inputs, axis=0) == 0):
            w.add("std = torch.where(std > 0, std, 1.0)", "값이 모두 같은 열은 그대로 (constant columns stay)")
        w.add("x = (x - mean) / std")
    w.add()


def _csv_data(w: _Writer, scenario: Scenario, source: dict, data_path: str | None) -> None:
    data, train = scenario.data, scenario.train
    w.add("# 데이터 (data)")
    w.add(f"DATA_FILE = {data_path or source['csv']!r}", "시나리오 파일 옆의 CSV (the CSV next to the scenario)")
    w.add(f"features = {list(data.feature_names)!r}")
    w.add(f"target = {list(data.target_names)!r}")
    w.add('with open(DATA_FILE, encoding="utf-8-sig", newline="") as f:')
    w.add("    records = [r for r in csv.reader(f) if any(cell.strip() for cell in r)]")
    w.add("header = [cell.strip() for cell in records[0]]")
    w.add("table = [[r[header.index(c)].strip() for c in features + target] for r in records[1:]]")
    w.add("x = torch.tensor([[float(v) for v in row[:len(features)]] for row in table])",
          f"입력 (inputs): {data.n_features}개 열 ({data.n_features} columns)")
    if data.classes:
        w.add(f"classes = {list(data.classes)!r}")
        w.add("y = torch.tensor([classes.index(row[-1]) if row[-1] in classes else int(float(row[-1]))"
              " for row in table])", "정답: 클래스 번호 (target: class index)")
    else:
        w.add("y = torch.tensor([[float(v) for v in row[len(features):]] for row in table])",
              "정답 (target)")
    fraction = source.get("test_fraction", 0)
    if fraction:
        w.add(f"order = np.random.default_rng({train.seed}).permutation(len(x))",
              f"시험용 {fraction:.0%} 떼어 두기, seed {train.seed} (hold out {fraction:.0%} for testing)")
        w.add(f"train_rows = torch.as_tensor(np.sort(order[round(len(x) * {fraction!r}):]))")
        w.add("x, y = x[train_rows], y[train_rows]", f"학습용 {data.n_train}행 (training rows)")


def _model(w: _Writer, scenario: Scenario, initial_layers: Sequence | None, logits: bool) -> None:
    fan_in = scenario.data.n_features
    modules, indices = [], []
    last = len(scenario.layers) - 1
    for i, spec in enumerate(scenario.layers):
        bias = "" if spec.has_bias else ", bias=False"
        indices.append(len(modules))
        modules.append((f"nn.Linear({fan_in}, {spec.units}{bias}),", ""))
        module = ops.activation(spec.activation).code
        if i == last and logits:
            modules[-1] = (modules[-1][0], f"마지막 {spec.activation}는 손실 함수 안에 "
                           f"(the loss applies the {spec.activation})")
        elif module:
            modules.append((f"{module},", ""))
        fan_in = spec.units
    sizes = " → ".join([str(scenario.data.n_features)] + [str(s.units) for s in scenario.layers])
    w.add("model = nn.Sequential(", f"모델 (model): {sizes}")
    for text, comment in modules:
        w.add(f"    {text}", comment)
    w.add(")")
    _initial(w, scenario, initial_layers, indices)
    w.add()


def _initial(w: _Writer, scenario: Scenario, initial_layers: Sequence | None, indices: list[int]) -> None:
    """Copy the start in: given values, the file's values, or the engine's seeded draws."""
    seeded = initial_layers is None and any(
        s.weight is None or (s.has_bias and s.bias is None) for s in scenario.layers)
    if seeded:
        w.add(f"generator = torch.Generator().manual_seed({scenario.train.seed})",
              "시작 가중치는 seed로 정한 난수 (seeded random start)")
        w.add("def uniform(shape, fan_in):", "U(−1/√fan_in, 1/√fan_in): PyTorch의 기본 범위 (its default range)")
        w.add("    return (torch.rand(shape, generator=generator) * 2 - 1) * (1.0 / fan_in ** 0.5)")
    w.add("with torch.no_grad():", "시작 가중치와 편차 (initial weights and biases)")
    fan_in = scenario.data.n_features
    for i, (spec, index) in enumerate(zip(scenario.layers, indices)):
        given = initial_layers[i] if initial_layers is not None else None
        weight = given.weight if given is not None else spec.weight
        if weight is not None:
            value = _matrix(np.asarray(weight, dtype=float), "    ")
            w.add(f"    model[{index}].weight.copy_(torch.tensor({value}))")
        else:
            w.add(f"    model[{index}].weight.copy_(uniform(({spec.units}, {fan_in}), {fan_in}))")
        if spec.has_bias:
            bias = given.bias if given is not None else spec.bias
            if bias is not None:
                w.add(f"    model[{index}].bias.copy_(torch.tensor([{', '.join(_num(v) for v in bias)}]))")
            else:
                w.add(f"    model[{index}].bias.copy_(uniform(({spec.units},), {fan_in}))")
        fan_in = spec.units


def _optimizer(w: _Writer, scenario: Scenario) -> None:
    train = scenario.train
    w.add(*ops.optimizer(train.optimizer).code(train, _num(train.learning_rate)))


def _loop(w: _Writer, scenario: Scenario, steps: int, minibatch: bool, logits: bool) -> None:
    train = scenario.train
    xb, yb = ("x[rows]", "y[rows]") if minibatch else ("x", "y")
    out = "logits" if logits else "pred"
    if minibatch:
        w.add(f"batch_size = {train.batch_size}", "묶음 크기 (minibatch size)")
        w.add("batches_per_epoch = math.ceil(len(x) / batch_size)", "한 바퀴(epoch)의 묶음 수")
        w.add("def batch_rows(step):", "이번 걸음의 묶음: 바퀴마다 seed로 섞은 순서 (seeded shuffle per epoch)")
        w.add("    epoch, index = divmod(step, batches_per_epoch)")
        w.add(f"    order = np.random.default_rng([{train.seed}, epoch]).permutation(len(x))")
        w.add("    return torch.as_tensor(order[index * batch_size:(index + 1) * batch_size])")
        w.add()
    w.add(f"steps = {int(steps)}", "학습 횟수 (number of updates)")
    w.add("losses = []", "걸음마다 학습 데이터 전체의 손실 (full training-set loss at every step)")
    w.add("for step in range(steps):")
    if minibatch:
        w.add("    with torch.no_grad():")
        w.add("        losses.append(criterion(model(x), y).item())")
        w.add('    print(f"step {step}: loss {losses[-1]:.6f}")')
        w.add("    rows = batch_rows(step)", "이번 묶음의 행 (this minibatch's rows)")
    last = scenario.layers[-1].activation
    forward_note = f"{last} 전의 값 z (logits, before the {last})" if logits else "predict"
    w.add(f"    {out} = model({xb})", f"순전파 (forward): {forward_note}", "forward")
    w.add(f"    loss = criterion({out}, {yb})", "손실 (loss)", "loss")
    if not minibatch:
        w.add("    losses.append(loss.item())")
        w.add('    print(f"step {step}: loss {losses[-1]:.6f}")')
    own_update = ops.optimizer(train.optimizer).code_update
    if own_update is not None:   # an update rule written out (the perceptron's), no optim.step()
        for text, comment, tag in own_update(xb, yb, out, scenario.layers[0].has_bias):
            w.add(text, comment, tag)
    else:
        w.add("    optimizer.zero_grad()", "기울기 초기화 (zero the gradients)", "zero_grad")
        w.add("    loss.backward()", "역전파 (backward): 기울기 계산 (compute the gradients)", "backward")
        w.add("    optimizer.step()", "업데이트 (update): 가중치 수정 (change the weights)", "update")
    w.add("with torch.no_grad():", "마지막 업데이트 뒤의 손실 (the loss after the last update)")
    w.add("    losses.append(criterion(model(x), y).item())")
    w.add('print(f"step {steps}: loss {losses[-1]:.6f}")')
