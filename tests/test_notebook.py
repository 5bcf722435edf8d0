"""`dltui run SCENARIO --notebook FILE.ipynb`: the notebook, executed, prints the screen's
first-step arithmetic (predictions, loss, gradients, new weights) and the engine's losses.

The expected numbers come from the engine's own phases (Trainer.advance) and history, and for
house_prices from the lecture (5.8 / 6.7 / 7.3, 0.567). Most cases run the notebook's code cells
in this process (fast); the slow ones execute the file in a real Jupyter kernel with nbclient.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

import nbformat
import numpy as np
import pytest
import torch

from dltui.cli.main import main
from dltui.engine import load_scenario, open_scenario, ops
from dltui.engine.export import write_scenario_file
from dltui.engine.load.compare import comparison_runs
from dltui.engine.load.overrides import with_overrides
from dltui.engine.train.comparison import run_alone, shared_starts
from dltui.engine.train.snapshot import Phase
from dltui.engine.train.trainer import Trainer
from dltui.words.code import CODE_MESSAGES
from dltui.words.notebook import NOTEBOOK_MESSAGES

STEPS = 12


def write(tmp_path, name: str, *extra: str, lang: str = "ko", steps: int = STEPS):
    path = tmp_path / "nb" / "lesson.ipynb"
    assert main(["run", name, "--notebook", str(path), "--steps", str(steps), "--lang", lang, *extra]) == 0
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return path, notebook


def run_cells(notebook, folder) -> list[str]:
    """Every code cell executed in order in one namespace, in `folder`; the printed lines."""
    out = io.StringIO()
    namespace = {"__name__": "__notebook__"}
    before = torch.get_default_dtype()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out):
        try:
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, "<cell>", "exec"), namespace)
        finally:
            torch.set_default_dtype(before)
    return out.getvalue().splitlines()


def kernel_lines(path) -> list[str]:
    """The notebook executed by nbclient in a python3 kernel, in its own folder; its printed lines."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    lines = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type == "stream" and output.name == "stdout", output
            lines += output.text.splitlines()
    return lines


def printed(lines: list[str], label: str) -> list:
    return [ast.literal_eval(line.split(": ", 1)[1]) for line in lines if line.startswith(label + ": ")]


def loss_lines(lines: list[str]) -> dict[int, float]:
    found = [re.fullmatch(r"step (\d+): loss (\S+)", line) for line in lines]
    return {int(m[1]): float(m[2]) for m in found if m}


def first_step(scenario) -> dict:
    """The engine's numbers of step 0, phase by phase, as the screen's arithmetic shows them."""
    trainer = Trainer(scenario)
    seen = {}
    while True:
        snapshot = trainer.advance()
        seen[snapshot.phase] = snapshot
        if snapshot.phase is Phase.UPDATE:
            break
    forward = seen[Phase.FORWARD]
    predictions = np.asarray(forward.predictions)[np.asarray(forward.batch)]
    layers = seen[Phase.BACKWARD].layers if Phase.BACKWARD in seen else None
    return {"predict": predictions, "loss": seen[Phase.LOSS].batch_loss, "gradients": layers,
            "weights": seen[Phase.UPDATE].layers, "batch": np.asarray(forward.batch)}


def engine_losses(scenario, steps: int) -> np.ndarray:
    trainer = Trainer(scenario)
    trainer.run(steps)   # a saved file starts at its step: the notebook counts from there
    return np.frombuffer(trainer.history.losses, dtype=float)[trainer.first_step:].copy()


def check_section(lines: list[str], scenario, steps: int = STEPS) -> None:
    """One scenario's printed first step and losses against the engine's."""
    want = first_step(scenario)
    predict = np.asarray(printed(lines, "predict")[0], dtype=float)
    np.testing.assert_allclose(predict.reshape(want["predict"].shape), want["predict"], atol=1e-6)
    assert printed(lines, "loss")[0] == pytest.approx(want["loss"], abs=1e-6)
    if printed(lines, "rows"):
        assert printed(lines, "rows")[0] == list(want["batch"] + 1)
    if ops.optimizer(scenario.train.optimizer).code_update is None:   # backward() and its gradients
        expected = []
        for layer in want["gradients"]:
            expected.append(layer.weight_grad)
            if layer.bias_grad is not None:
                expected.append(layer.bias_grad)
        got_flat = np.concatenate([np.ravel(g) for g in _in_model_order(lines, ".grad")])
        want_flat = np.concatenate([np.ravel(g) for g in expected])
        np.testing.assert_allclose(got_flat, want_flat, atol=1e-6)
    got_weights = np.concatenate([np.ravel(g) for g in _in_model_order(lines, "")])
    want_weights = np.concatenate([np.ravel(v) for layer in want["weights"]
                                   for v in (layer.weight, layer.bias) if v is not None])
    np.testing.assert_allclose(got_weights, want_weights, atol=1e-6)
    losses = loss_lines(lines)
    expected = engine_losses(scenario, steps)
    first = scenario.resume.step if scenario.resume else 0   # a saved run counts on from its step
    assert first in losses and first + steps in losses and len(losses) >= min(steps + 1, 10)
    for step, value in losses.items():
        assert value == pytest.approx(expected[step - first], abs=1e-6), step


def _in_model_order(lines: list[str], suffix: str) -> list:
    """The printed `model[i].weight{suffix}` / `.bias{suffix}` values, first step only, in model order."""
    found = []
    for line in lines:
        m = re.fullmatch(r"model\[(\d+)\]\.(weight|bias)" + re.escape(suffix) + r": (.*)", line)
        if m and (m[1], m[2]) not in [(i, k) for i, k, _ in found]:
            found.append((m[1], m[2], ast.literal_eval(m[3])))
    return [value for _, _, value in found]


def test_house_prices_prints_the_lectures_numbers(tmp_path):
    path, notebook = write(tmp_path, "house_prices")
    title = notebook.cells[0].source
    assert title.startswith("# 집값 예측") and "*단원: 4 학습: Target / Predict ⋅ 5 손실과 손실 함수*" in title
    assert "강의 슬라이드:** 5-1 학습: Loss" in title                # the slide the lesson follows
    headings = [c.source.splitlines()[0] for c in notebook.cells if c.source.startswith("### ")]
    assert headings[:5] == ["### 준비", "### 데이터", "### 모델", "### 손실 함수", "### 최적화 함수"]   # the lecture's order
    lines = run_cells(notebook, path.parent)
    assert printed(lines, "predict") == [[5.8, 6.7, 7.3]]
    assert printed(lines, "loss") == [0.566667]                        # 1.7 / 3, the lecture's 0.567
    assert printed(lines, "model[0].weight.grad") == [[[-33.666667, -3.333333, -0.433333]]]   # −(32+33+36)/3, −(3+3+4)/3, −(0.3+0.5+0.5)/3
    assert printed(lines, "model[0].weight")[0][0][0] == 0.103367      # 0.1 − 0.0001 ⋅ −33.666667
    check_section(lines, open_scenario("house_prices"))


@pytest.mark.parametrize("name", ["xor", "iris", "abalone", "lecture_code", "perceptron_and", "feature_scaling:standard",
                                  "house_test", "xor_deep"])
def test_bundled_notebooks_print_the_engines_numbers(tmp_path, name):
    path, notebook = write(tmp_path, name)
    check_section(run_cells(notebook, path.parent), open_scenario(name))


def test_a_csv_scenario_reads_its_csv_copied_beside_the_notebook(tmp_path):
    path, notebook = write(tmp_path, "iris")
    source = open_scenario("iris").path.with_suffix(".csv")
    assert (path.parent / "iris.csv").read_bytes() == source.read_bytes()
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "DATA_FILE = 'iris.csv'" in code and "dltui" not in code


def test_a_comparison_is_one_section_per_run_from_the_shared_start(tmp_path):
    path, notebook = write(tmp_path, "adam_vs_sgd")
    lines = run_cells(notebook, path.parent)
    base = open_scenario("adam_vs_sgd")
    runs = comparison_runs(base)
    starts = [i for i, line in enumerate(lines) if line.startswith("predict: ")]
    assert len(starts) == len(runs) >= 2
    headings = [c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("## 실행")]
    assert headings == [f"## 실행: {run.label('ko')}" for run in runs]
    for run, start, end, scenario in zip(runs, starts, starts[1:] + [len(lines)], shared_starts(base, runs)):
        check_section(lines[start:end], scenario)


def test_a_saved_file_resumes_from_its_weights(tmp_path):
    out = tmp_path / "saved"
    out.mkdir()
    fifth = Trainer(open_scenario("house_prices"))
    fifth.run(5)
    write_scenario_file(fifth, out)   # what --out and `s` write
    saved = load_scenario(out / "scenario.toml")
    path, notebook = write(tmp_path, str(out / "scenario.toml"))
    lines = run_cells(notebook, path.parent)
    check_section(lines, saved)
    assert loss_lines(lines)[5] == pytest.approx(fifth.history.losses[5], abs=1e-6)


def test_set_and_run_reach_the_notebook(tmp_path):
    path, notebook = write(tmp_path, "house_prices", "--set", "train.learning_rate=0.001")
    changed = with_overrides(open_scenario("house_prices"), {"train.learning_rate": 0.001})
    check_section(run_cells(notebook, path.parent), changed)
    path, notebook = write(tmp_path, "adam_vs_sgd", "--run", "adam")
    check_section(run_cells(notebook, path.parent), run_alone(open_scenario("adam_vs_sgd"), "adam"))


ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: +[A-Za-z]{2,}){2,}\b")   # three English words in a row


def _korean_prose(text: str) -> str:
    """The text without code spans and without the title line (a scenario's own, often bilingual)."""
    return re.sub(r"`[^`]*`", "", re.sub(r"\A# .*", "", text))


@pytest.mark.parametrize("name", ["house_prices", "iris", "adam_vs_sgd", "perceptron_and"])
def test_a_korean_notebook_has_no_english_prose(tmp_path, name):
    _, notebook = write(tmp_path, name)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not ENGLISH_RUN.search(_korean_prose(cell.source)), cell.source
    _, english = write(tmp_path, name, lang="en")
    assert [c.cell_type for c in english.cells] == [c.cell_type for c in notebook.cells]
    assert [c.source for c in english.cells] != [c.source for c in notebook.cells]


def test_every_korean_word_of_the_code_and_notebook_is_korean():
    for key, text in {**CODE_MESSAGES, **NOTEBOOK_MESSAGES}.items():
        assert set(text) == {"ko", "en"}, key
        assert not ENGLISH_RUN.search(_korean_prose(text["ko"])), key


def test_a_notebook_that_cannot_be_written_says_so(tmp_path, capsys):
    (tmp_path / "iris.csv").write_text("not the scenario's CSV\n")
    assert main(["run", "iris", "--notebook", str(tmp_path / "n.ipynb")]) == 2   # an output error
    assert "iris.csv" in capsys.readouterr().err
    assert not (tmp_path / "n.ipynb").exists()
    assert (tmp_path / "iris.csv").read_text() == "not the scenario's CSV\n"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["house_prices", "iris", "xor", "abalone", "lecture_code", "perceptron_and"])
def test_the_notebook_runs_in_a_jupyter_kernel(tmp_path, name):
    path, _ = write(tmp_path, name)
    lines = kernel_lines(path)
    check_section(lines, open_scenario(name))
    if name == "house_prices":
        assert printed(lines, "predict") == [[5.8, 6.7, 7.3]] and printed(lines, "loss") == [0.566667]


@pytest.mark.slow
def test_a_comparison_and_a_saved_file_run_in_a_jupyter_kernel(tmp_path):
    path, _ = write(tmp_path, "adam_vs_sgd")
    lines = kernel_lines(path)
    base = open_scenario("adam_vs_sgd")
    runs = comparison_runs(base)
    starts = [i for i, line in enumerate(lines) if line.startswith("predict: ")]
    for start, end, scenario in zip(starts, starts[1:] + [len(lines)], shared_starts(base, runs)):
        check_section(lines[start:end], scenario)
    out = tmp_path / "saved"
    assert main(["run", "xor", "--steps", "7", "--out", str(out), "--format", "csv"]) == 0
    path, _ = write(tmp_path, str(out / "scenario.toml"))
    check_section(kernel_lines(path), load_scenario(out / "scenario.toml"))


@pytest.mark.slow
async def test_the_export_key_writes_the_notebook_beside_the_history(tmp_path, monkeypatch):
    """`e` in the TUI: notebook.ipynb in the export folder, in the screen's language, for the
    steps taken; it prints the same losses as the exported history.json."""
    import json

    from tui_helpers import make_app, wait_ready, wait_until

    monkeypatch.chdir(tmp_path)
    app = make_app("iris", lang="ko")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", "space", "space", "e")
        exports = tmp_path / "dltui-exports"
        await wait_until(pilot, lambda: any(exports.glob("*/notebook.ipynb")), timeout=60)
    folder = next(exports.iterdir())
    notebook = nbformat.read(folder / "notebook.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert (folder / "iris.csv").read_bytes() == open_scenario("iris").path.with_suffix(".csv").read_bytes()
    assert any(c.source.startswith("### 데이터") for c in notebook.cells if c.cell_type == "markdown")
    lines = run_cells(notebook, folder)
    history = json.loads((folder / "history.json").read_text(encoding="utf-8"))["steps"]
    assert sorted(loss_lines(lines)) == [0, 1, 2, 3]
    for step, value in loss_lines(lines).items():
        assert value == pytest.approx(history[step]["loss"], abs=1e-6)
    check_section(lines, open_scenario("iris"), steps=3)
