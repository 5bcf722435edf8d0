"""The standard PyTorch training loop for a scenario, as code a learner can read and run.

The lecture ends with `criterion = ...; optimizer = ...; loss.backward(); optimizer.step()`.
This writes that loop for the scenario on screen ‒ its data, model, start, loss and optimizer ‒
so that running it prints the same losses the engine reports (a test executes it). It also
says which line is each phase, so a code pane can highlight the line of the phase on screen.

The code is data: lines of Python, each with an optional note (a code and its values) that
`dltui.words.code` turns into a comment in the reader's language, grouped in parts (data,
model, criterion, ⋯) that a notebook puts in cells of their own. Every text of the scenario
(a title, a column name, a class) reaches the code as a `repr` literal or as a note value,
never as raw source. Pure text generation, no torch import: a seeded start is drawn by the
script itself, in the same order and range as engine/model.py draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from dltui.engine import ops
from dltui.engine.load.scenario import Scenario


@dataclass(frozen=True)
class Line:
    """One line of Python (`code`, "" for a comment alone) and the note words/ writes after it."""

    code: str = ""
    note: str | None = None
    values: dict = field(default_factory=dict)
    tag: str | None = None


@dataclass(frozen=True)
class Part:
    """A run of lines with one job: "head", "setup", "data", "model", "criterion", "optimizer",
    "batches" (minibatch rows) or "loop"."""

    name: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class TrainingCode:
    """A runnable script as parts; `phase_lines` maps forward/loss/zero_grad/backward/update to
    1-based lines (the same with or without comments: a note never adds a line).

    The script leaves every step's full training-set loss in `losses` (step 0 = before any update).
    """

    parts: tuple[Part, ...]

    @property
    def lines(self) -> list[Line]:
        return [line for part in self.parts for line in part.lines]

    @property
    def text(self) -> str:
        """The code without its comments (words.code.code_text adds them in a language)."""
        return "\n".join(line.code for line in self.lines) + "\n"

    @property
    def phase_lines(self) -> dict[str, int]:
        return {line.tag: number for number, line in enumerate(self.lines, start=1) if line.tag}

    def line_of(self, phase) -> int | None:
        """The line to highlight for a phase name (`Phase.value`), if the loop has one."""
        return self.phase_lines.get(str(getattr(phase, "value", phase)))

    def part(self, name: str) -> Part | None:
        return next((part for part in self.parts if part.name == name), None)


class Writer:
    """Collects lines into parts; `add` splits a multi-line literal, the note goes on its last line."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self._name: str | None = None
        self._lines: list[Line] = []

    def part(self, name: str) -> None:
        self._close()
        self._name = name

    def add(self, code: str = "", note: str | None = None, tag: str | None = None, **values) -> None:
        pieces = code.split("\n") if code else [""]
        self._lines += [Line(piece) for piece in pieces[:-1]]
        self._lines.append(Line(pieces[-1], note, values, tag))

    def done(self) -> tuple[Part, ...]:
        self._close()
        return tuple(self.parts)

    def _close(self) -> None:
        if self._name is not None:
            self.parts.append(Part(self._name, tuple(self._lines)))
        self._lines = []


def number(value: float) -> str:
    return repr(float(value))


def _matrix(rows: np.ndarray, indent: str = "", one_line_max: int = 60) -> str:
    """A nested list literal: on one line when short, else one row per line under `indent`."""
    items = [f"[{', '.join(number(v) for v in row)}]" for row in rows]
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
    w = Writer()
    w.part("head")
    w.add("", "code.title", title=scenario.title)
    w.add("", "code.about")
    write_setup(w, scenario)
    write_data(w, scenario, data_path)
    write_model(w, scenario, initial_layers)
    write_criterion(w, scenario)
    write_optimizer(w, scenario)
    if is_minibatch(scenario):
        write_batches(w, scenario)
    w.part("loop")
    write_loop(w, scenario, steps)
    return TrainingCode(w.done())


def is_minibatch(scenario: Scenario) -> bool:
    return 0 < scenario.train.batch_size < scenario.data.n_train


def from_logits(scenario: Scenario) -> bool:
    return ops.loss(scenario.train.loss).from_logits


def _csv_source(scenario: Scenario) -> dict | None:
    """Where a CSV scenario's rows come from: the file and the held-out fraction."""
    data = scenario.data
    if not getattr(data, "csv_plain", True):   # cp949, ';', dropped rows…: the rows are written out
        return None
    return {"csv": data.source_csv, "test_fraction": data.test_fraction} if data.source_csv else None


def reads_csv(scenario: Scenario) -> bool:
    """Whether the code reads the scenario's CSV file (else its rows are written in the code)."""
    return _csv_source(scenario) is not None


def write_setup(w: Writer, scenario: Scenario) -> None:
    w.part("setup")
    csv_source, minibatch = _csv_source(scenario), is_minibatch(scenario)
    if csv_source:
        w.add("import csv")
    if minibatch:
        w.add("import math")
    if csv_source or minibatch:
        w.add("import numpy as np")
    w.add("import torch")
    w.add("from torch import nn" + ("" if ops.optimizer(scenario.train.optimizer).build is None else ", optim"))
    w.add()
    w.add("torch.set_default_dtype(torch.float64)", "code.float64")
    w.add()
    for prelude in dict.fromkeys(ops.activation(spec.activation).code_prelude for spec in scenario.layers):
        if prelude:
            w.add(prelude)
            w.add()


def write_data(w: Writer, scenario: Scenario, data_path: str | None) -> None:
    w.part("data")
    data = scenario.data
    csv_source = _csv_source(scenario)
    if csv_source:
        _csv_data(w, scenario, csv_source, data_path)
    else:
        w.add("", "code.data.held_out" if data.n_test else "code.data", rows=data.n_test)
        w.add("", "code.inputs", names=", ".join(data.feature_names))
        w.add(f"x = torch.tensor({_matrix(data.train_inputs, one_line_max=0)})")
        target = ", ".join(data.target_names)
        if data.classes:
            legend = ", ".join(f"{i} = {c}" for i, c in enumerate(data.classes))
            w.add("", "code.target.classes", target=target, legend=legend)
            w.add(f"y = torch.tensor([{', '.join(str(int(v)) for v in data.train_targets)}])")
        else:
            w.add("", "code.target", target=target)
            w.add(f"y = torch.tensor({_matrix(data.train_targets, one_line_max=0)})")
    if data.normalize == "standard":
        w.add("mean, std = x.mean(dim=0), x.std(dim=0, correction=0)", "code.standardise")
    elif data.normalize == "minmax":
        w.add("low, high = x.min(dim=0).values, x.max(dim=0).values", "code.minmax")
        w.add("mean, std = low, high - low")
    if data.normalize in ("standard", "minmax"):
        if np.any(np.ptp(data.train_inputs, axis=0) == 0):
            w.add("std = torch.where(std > 0, std, 1.0)", "code.constant_columns")
        w.add("x = (x - mean) / std")
    w.add()


def _csv_data(w: Writer, scenario: Scenario, source: dict, data_path: str | None) -> None:
    data, train = scenario.data, scenario.train
    w.add("", "code.data")
    w.add(f"DATA_FILE = {data_path or source['csv']!r}", "code.data_file")
    w.add(f"features = {list(data.feature_names)!r}")
    w.add(f"target = {list(data.target_names)!r}")
    w.add('with open(DATA_FILE, encoding="utf-8-sig", newline="") as f:')
    w.add("    records = [r for r in csv.reader(f) if any(cell.strip() for cell in r)]")
    w.add("header = [cell.strip() for cell in records[0]]")
    w.add("table = [[r[header.index(c)].strip() for c in features + target] for r in records[1:]]")
    w.add("x = torch.tensor([[float(v) for v in row[:len(features)]] for row in table])",
          "code.csv_inputs", columns=data.n_features)
    if data.classes:
        w.add(f"classes = {list(data.classes)!r}")
        w.add("y = torch.tensor([classes.index(row[-1]) if row[-1] in classes else int(float(row[-1]))"
              " for row in table])", "code.class_index")
    else:
        w.add("y = torch.tensor([[float(v) for v in row[len(features):]] for row in table])", "code.csv_target")
    fraction = source.get("test_fraction", 0)
    if fraction:
        w.add(f"order = np.random.default_rng({train.seed}).permutation(len(x))",
              "code.hold_out", percent=f"{fraction:.0%}", seed=train.seed)
        w.add(f"train_rows = torch.as_tensor(np.sort(order[round(len(x) * {fraction!r}):]))")
        w.add("x, y = x[train_rows], y[train_rows]", "code.training_rows", rows=data.n_train)


def write_model(w: Writer, scenario: Scenario, initial_layers: Sequence | None) -> None:
    w.part("model")
    fan_in = scenario.data.n_features
    modules = []
    last = len(scenario.layers) - 1
    for i, spec in enumerate(scenario.layers):
        bias = "" if spec.has_bias else ", bias=False"
        modules.append((f"nn.Linear({fan_in}, {spec.units}{bias}),", None))
        module = ops.activation(spec.activation).code
        if i == last and from_logits(scenario):
            modules[-1] = (modules[-1][0], spec.activation)
        elif module:
            modules.append((f"{module},", None))
        fan_in = spec.units
    sizes = " → ".join([str(scenario.data.n_features)] + [str(s.units) for s in scenario.layers])
    w.add("model = nn.Sequential(", "code.model", sizes=sizes)
    for text, in_the_loss in modules:
        w.add(f"    {text}", "code.in_the_loss" if in_the_loss else None, activation=in_the_loss)
    w.add(")")
    _initial(w, scenario, initial_layers, layer_indices(scenario))
    w.add()


def layer_indices(scenario: Scenario) -> list[int]:
    """Each layer's nn.Linear position in the model's nn.Sequential (as write_model builds it)."""
    indices, position = [], 0
    for i, spec in enumerate(scenario.layers):
        indices.append(position)
        folded = i == len(scenario.layers) - 1 and from_logits(scenario)
        position += 1 + (0 if folded or not ops.activation(spec.activation).code else 1)
    return indices


def _initial(w: Writer, scenario: Scenario, initial_layers: Sequence | None, indices: list[int]) -> None:
    """Copy the start in: given values, the file's values, or the engine's seeded draws."""
    seeded = initial_layers is None and any(
        s.weight is None or (s.has_bias and s.bias is None) for s in scenario.layers)
    if seeded:
        w.add(f"generator = torch.Generator().manual_seed({scenario.train.seed})", "code.seeded")
        w.add("def uniform(shape, fan_in):", "code.uniform")
        w.add("    return (torch.rand(shape, generator=generator) * 2 - 1) * (1.0 / fan_in ** 0.5)")
    w.add("with torch.no_grad():", "code.initial")
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
                w.add(f"    model[{index}].bias.copy_(torch.tensor([{', '.join(number(v) for v in bias)}]))")
            else:
                w.add(f"    model[{index}].bias.copy_(uniform(({spec.units},), {fan_in}))")
        fan_in = spec.units


def write_criterion(w: Writer, scenario: Scenario) -> None:
    w.part("criterion")
    criterion = ops.loss(scenario.train.loss)
    w.add(f"criterion = {criterion.code}", "code.criterion", meaning=criterion.code_meaning)


def write_optimizer(w: Writer, scenario: Scenario) -> None:
    w.part("optimizer")
    train = scenario.train
    w.add(*ops.optimizer(train.optimizer).code(train, number(train.learning_rate)))
    if scenario.resume is not None:
        write_resume(w, scenario)
    w.add()


def write_resume(w: Writer, scenario: Scenario) -> None:
    """A saved run's `[resume]`: the optimizer's state put back as the engine does (per-element
    values shaped like their parameter, counts as 0-d tensors), and `start`, the step the loop
    goes on from ‒ which is also its place in the minibatch order."""
    if any(scenario.resume.layers):
        w.add("", "code.resume_state")
    for index, tables in zip(layer_indices(scenario), scenario.resume.layers):
        for kind, values in tables.items():
            state = ", ".join(f"{key!r}: {_state_value(value)}" for key, value in values.items())
            w.add(f"optimizer.state[model[{index}].{kind}] = {{{state}}}")
    w.add(f"start = {int(scenario.resume.step)}", "code.resume_start")


def _state_value(value) -> str:
    """An optimizer state value as the script writes it: nested lists become a tensor, a count
    a 0-d tensor (torch keeps Adam's step so)."""
    if isinstance(value, (list, tuple)):
        return f"torch.tensor({_nested(value)})"
    return f"torch.tensor({number(value)})"


def _nested(value) -> str:
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(_nested(v) for v in value)}]"
    return number(value)


def start_of(scenario: Scenario) -> str:
    """The first step's number as the script writes it: `start` for a saved run, else 0."""
    return "0" if scenario.resume is None else "start"


def write_batches(w: Writer, scenario: Scenario) -> None:
    """`batch_rows(step)`: the minibatch of a step, shuffled per epoch from the seed as the engine does."""
    w.part("batches")
    train = scenario.train
    w.add(f"batch_size = {train.batch_size}", "code.batch_size")
    w.add("batches_per_epoch = math.ceil(len(x) / batch_size)", "code.batches_per_epoch")
    w.add("def batch_rows(step):", "code.batch_rows")
    w.add("    epoch, index = divmod(step, batches_per_epoch)")
    w.add(f"    order = np.random.default_rng([{train.seed}, epoch]).permutation(len(x))")
    w.add("    return torch.as_tensor(order[index * batch_size:(index + 1) * batch_size])")
    w.add()


def batch_names(scenario: Scenario) -> tuple[str, str, str]:
    """The names the loop uses: (inputs, targets, model output)."""
    xb, yb = ("x[rows]", "y[rows]") if is_minibatch(scenario) else ("x", "y")
    return xb, yb, "logits" if from_logits(scenario) else "pred"


def own_update_lines(scenario: Scenario) -> list[Line] | None:
    """An update rule written out (the perceptron's, no optim.step()), as loop-body lines."""
    own_update = ops.optimizer(scenario.train.optimizer).code_update
    if own_update is None:
        return None
    xb, yb, out = batch_names(scenario)
    return [Line(text, note or None, {}, tag) for text, note, tag in own_update(xb, yb, out, scenario.layers[0].has_bias)]


def write_loop(w: Writer, scenario: Scenario, steps: int, first: int = 0, every: int = 1) -> None:
    """Steps `first`..steps − 1, printing the loss every `every` steps, then the final loss.
    `losses` must exist (it is created here when `first` is 0)."""
    minibatch = is_minibatch(scenario)
    xb, yb, out = batch_names(scenario)
    report = ('    print(f"step {step}: loss {losses[-1]:.6f}")' if every == 1 else
              f'    if step % {every} == 0:\n        print(f"step {{step}}: loss {{losses[-1]:.6f}}")')
    w.add(f"steps = {int(steps)}", "code.steps")
    if first == 0:
        w.add("losses = []", "code.losses")
    if scenario.resume is None:
        w.add("for step in range(steps):" if first == 0 else f"for step in range({first}, steps):")
    else:   # a saved run goes on from its step (its place in the minibatch order too)
        w.add("for step in range(start, start + steps):" if first == 0
              else f"for step in range(start + {first}, start + steps):")
    if minibatch:
        w.add("    with torch.no_grad():")
        w.add("        losses.append(criterion(model(x), y).item())")
        w.add(report)
        w.add("    rows = batch_rows(step)", "code.rows")
    last = scenario.layers[-1].activation
    w.add(f"    {out} = model({xb})", "code.forward.logits" if from_logits(scenario) else "code.forward",
          "forward", activation=last)
    w.add(f"    loss = criterion({out}, {yb})", "code.loss", "loss")
    if not minibatch:
        w.add("    losses.append(loss.item())")
        w.add(report)
    own = own_update_lines(scenario)
    if own is not None:
        for line in own:
            w.add(line.code, line.note, line.tag, **line.values)
    else:
        w.add("    optimizer.zero_grad()", "code.zero_grad", "zero_grad")
        w.add("    loss.backward()", "code.backward", "backward")
        w.add("    optimizer.step()", "code.update", "update")
    w.add("with torch.no_grad():", "code.final_loss")
    w.add("    losses.append(criterion(model(x), y).item())")
    w.add('print(f"step {steps}: loss {losses[-1]:.6f}")' if scenario.resume is None
          else 'print(f"step {start + steps}: loss {losses[-1]:.6f}")')
