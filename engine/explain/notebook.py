"""A Jupyter notebook of a scenario, as data: the cells in the lecture's order (데이터 → 모델 →
손실 함수 → 최적화 함수 → 학습 반복), the first step phase by phase, the loop, a plot.

Code cells hold codegen's lines (notes, not words); markdown cells hold a words key and its
values. `dltui.cli.notebook` says them in a language and writes the file with nbformat. The
notebook needs nothing of dltui: torch, and the CSV (copied beside it) when the scenario reads
one. Its first-step prints are the screen's arithmetic: forward → predictions, loss → the loss,
backward() → every gradient, step() → the new weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dltui.engine import ops
from dltui.engine.explain.codegen import (Line, Writer, batch_names, from_logits, is_minibatch, layer_indices,
                                          own_update_lines, reads_csv, start_of, write_batches, write_criterion,
                                          write_data, write_loop, write_model, write_optimizer, write_setup)
from dltui.engine.load.scenario import Scenario


@dataclass(frozen=True)
class Cell:
    """A markdown cell (`prose`: a words key, with `values`) or a code cell (`lines`)."""

    kind: str
    prose: str | None = None
    values: dict = field(default_factory=dict)
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class NotebookPlan:
    """The cells, and the CSV files the notebook reads from its own folder (source → name)."""

    cells: tuple[Cell, ...]
    csv_files: dict[Path, str]


DEFAULT_STEPS = 10


def notebook_steps(step_count: int) -> int:
    """The updates an exported notebook trains: the run's own, or a first ten at step 0."""
    return step_count or DEFAULT_STEPS


def report_every(steps: int) -> int:
    """The loop prints the loss every k steps: about ten lines whatever the length."""
    return max(1, steps // 10)


def notebook_plan(scenario: Scenario, steps: int) -> NotebookPlan:
    """The notebook of a scenario, or of a comparison (one section per run, from the shared start)."""
    from dltui.engine.load.compare import comparison_runs
    from dltui.engine.train.comparison import shared_starts

    steps = max(1, int(steps))
    cells = [Cell("markdown", "nb.title", {"title": scenario.title, "descriptions": dict(scenario.descriptions),
                                           "section": _course_section(scenario)}),
             Cell("markdown", "nb.about", {"steps": steps, "every": report_every(steps)})]
    runs = comparison_runs(scenario)
    csv_files: dict[Path, str] = {}
    if not runs:
        cells += _section(scenario, steps, None, csv_files, {})
        cells += [Cell("markdown", "nb.plot"), Cell("code", lines=_plot(None))]
        return NotebookPlan(tuple(cells), csv_files)
    cells.append(Cell("markdown", "nb.comparison", {"runs": len(runs)}))
    cells.append(Cell("code", lines=(Line("curves = {}", "code.curves"),)))
    seen: dict[str, tuple] = {}
    for run, start in zip(runs, shared_starts(scenario, runs)):
        cells.append(Cell("markdown", "nb.run", {"labels": dict(run.labels), "name": run.name}))
        cells += _section(start, steps, run.name, csv_files, seen)
    cells += [Cell("markdown", "nb.plot.comparison"), Cell("code", lines=_plot(runs))]
    return NotebookPlan(tuple(cells), csv_files)


def _course_section(scenario: Scenario) -> dict[str, str] | None:
    """The titles of the lecture's section a bundled lesson belongs to (None off the course)."""
    from dltui.engine.load.course import course, lesson_of

    lesson = lesson_of(scenario)
    if lesson is None:
        return None
    return dict(course().sections[course().place(lesson)[0]].titles)


def _section(scenario: Scenario, steps: int, run: str | None, csv_files: dict, seen: dict) -> list[Cell]:
    """Setup, data, model, criterion, optimizer, the first step, the loop. A part whose code is
    the same as the previous run's (the imports, the data) is not repeated."""
    w = Writer()
    write_setup(w, scenario)
    data_name = None
    if reads_csv(scenario):
        source = scenario.path.parent / scenario.data.source_csv
        data_name = source.name
        csv_files[source] = data_name
    write_data(w, scenario, data_name)
    write_model(w, scenario, None)
    write_criterion(w, scenario)
    write_optimizer(w, scenario)
    if is_minibatch(scenario):
        write_batches(w, scenario)
    prose = {"setup": ("nb.setup", {}),
             "data": ("nb.data.csv" if data_name else "nb.data", {"file": data_name, "rows": scenario.data.n_train}),
             "model": ("nb.model", {}), "criterion": ("nb.criterion", {"loss": scenario.train.loss}),
             "optimizer": ("nb.optimizer", {"optimizer": scenario.train.optimizer,
                                            "lr": scenario.train.learning_rate}),
             "batches": ("nb.batches", {"size": scenario.train.batch_size})}
    cells = []
    for part in w.done():
        lines = _trimmed(part.lines)
        code = tuple(line.code for line in lines)
        if part.name in ("setup", "data") and seen.get(part.name) == code:
            continue
        seen[part.name] = code
        key, values = prose[part.name]
        cells += [Cell("markdown", key, values), Cell("code", lines=lines)]
    cells += _first_step(scenario)
    every = report_every(steps)
    loop = Writer()
    loop.part("loop")
    loop.add('print(f"step 0: loss {losses[0]:.6f}")' if scenario.resume is None
             else 'print(f"step {start}: loss {losses[0]:.6f}")')
    write_loop(loop, scenario, steps, first=1, every=every)
    if run is not None:
        loop.add(f"curves[{run!r}] = losses")
    cells += [Cell("markdown", "nb.loop", {"steps": steps, "every": every}),
              Cell("code", lines=loop.done()[0].lines)]
    return cells


def _trimmed(lines) -> tuple[Line, ...]:
    lines = list(lines)
    while lines and not lines[-1].code and not lines[-1].note:
        lines.pop()
    return tuple(lines)


def _rounded(expression: str) -> str:
    return f"{expression}.round(decimals=6).tolist()"


def _first_step(scenario: Scenario) -> list[Cell]:
    """Step 0 phase by phase, each phase printing what the screen's arithmetic shows."""
    xb, yb, out = batch_names(scenario)
    one_output = scenario.data.n_outputs == 1
    squeeze = ".squeeze(1)" if one_output else ""
    w = Writer()
    w.part("forward")
    w.add("losses = []", "code.losses")
    if is_minibatch(scenario):
        w.add("with torch.no_grad():")
        w.add("    losses.append(criterion(model(x), y).item())")
        w.add(f"rows = batch_rows({start_of(scenario)})", "code.rows")
        w.add('print("rows:", (rows + 1).tolist())', "code.rows_from_one")
    last = scenario.layers[-1].activation
    w.add(f"{out} = model({xb})", "code.forward.logits" if from_logits(scenario) else "code.forward",
          activation=last)
    if from_logits(scenario):
        w.add(f"predict = {ops.activation(last).code}({out}).detach(){squeeze}", "code.predict", activation=last)
        w.add(f'print("predict:", {_rounded("predict")})')
    else:
        w.add(f'print("predict:", {_rounded(f"{out}.detach(){squeeze}")})')
    w.part("loss")
    w.add(f"loss = criterion({out}, {yb})", "code.loss")
    if not is_minibatch(scenario):
        w.add("losses.append(loss.item())")
    w.add('print("loss:", round(loss.item(), 6))')
    own = own_update_lines(scenario)
    indices = layer_indices(scenario)
    if own is None:
        w.part("backward")
        w.add("optimizer.zero_grad()", "code.zero_grad")
        w.add("loss.backward()", "code.backward")
        for index, spec in zip(indices, scenario.layers):
            for kind in ("weight", "bias") if spec.has_bias else ("weight",):
                w.add(f'print("model[{index}].{kind}.grad:", {_rounded(f"model[{index}].{kind}.grad")})')
    w.part("update")
    if own is None:
        w.add("optimizer.step()", "code.update")
    else:
        for line in own:
            w.add(line.code[4:], line.note, **line.values)
    for index, spec in zip(indices, scenario.layers):
        for kind in ("weight", "bias") if spec.has_bias else ("weight",):
            w.add(f'print("model[{index}].{kind}:", {_rounded(f"model[{index}].{kind}.detach()")})')
    cells = []
    for part in w.done():
        key = "nb.own_update" if part.name == "update" and own is not None else f"nb.{part.name}"
        cells += [Cell("markdown", key), Cell("code", lines=part.lines)]
    return cells


def _plot(runs) -> tuple[Line, ...]:
    """The loss curve (each run's, for a comparison), when matplotlib is there; else nothing."""
    lines = [Line("try:"), Line("    import matplotlib.pyplot as plt"),
             Line("except ImportError:", "code.no_matplotlib"), Line("    plt = None"),
             Line("if plt is not None:")]
    if runs is None:
        lines.append(Line("    plt.plot(range(len(losses)), losses)"))
    else:
        lines += [Line("    for name, curve in curves.items():"),
                  Line("        plt.plot(range(len(curve)), curve, label=name)"),
                  Line("    plt.legend()")]
    lines += [Line('    plt.xlabel("step")'), Line('    plt.ylabel("loss")'), Line("    plt.show()")]
    return tuple(lines)
