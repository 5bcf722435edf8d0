"""engine/train/eager_optim.py: torch's optimizer arithmetic, bit for bit, without torch._dynamo.

The reference is `optimizer.step()` itself (torch's public API) on an identical copy of the model.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from dltui.engine.train.eager_optim import eager_step

OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.05),
    "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "adam": lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.9, 0.999)),
}


def _model(seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Sigmoid(), torch.nn.Linear(4, 1)).double()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_eager_step_equals_optimizer_step(name):
    x = torch.linspace(-1, 1, 15, dtype=torch.float64).reshape(5, 3)
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0], [0.5]], dtype=torch.float64)
    ours, theirs = _model(3), _model(3)
    ours_opt, theirs_opt = OPTIMIZERS[name](ours.parameters()), OPTIMIZERS[name](theirs.parameters())
    for _ in range(6):
        for model, opt, step in ((ours, ours_opt, eager_step), (theirs, theirs_opt, lambda o: o.step())):
            opt.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            step(opt)
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert torch.equal(a, b), name                     # bit for bit
    assert str(ours_opt.state_dict()) == str(theirs_opt.state_dict())
    assert any(not torch.equal(a, b) for a, b in zip(ours.parameters(), _model(3).parameters()))


def test_a_hooked_optimizer_still_runs_its_hooks():
    model = _model(1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    calls = []
    opt.register_step_post_hook(lambda *args: calls.append("post"))
    model(torch.ones(1, 3, dtype=torch.float64)).sum().backward()
    eager_step(opt)
    assert calls == ["post"]


@pytest.mark.slow
def test_training_every_optimizer_never_imports_the_compiler(tmp_path):
    """The second of dltui's start-up: a fresh interpreter builds and steps sgd, momentum and adam
    trainers, goes back and forth, and torch._dynamo is never imported."""
    from house_file import house_file

    paths = [house_file(tmp_path, optimizer=kind, name=f"{kind}.toml") for kind in ("sgd", "momentum", "adam")]
    code = """
import sys
from dltui.engine import load_scenario
from dltui.engine.train.trainer import Trainer
kinds = []
for path in sys.argv[1:]:
    scenario = load_scenario(path)
    trainer = Trainer(scenario)
    kinds.append(scenario.train.optimizer)
    trainer.run(3)
    trainer.back()
    trainer.run(2)
print(kinds)
print("torch._dynamo" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code, *map(str, paths)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    kinds, loaded = result.stdout.strip().splitlines()[-2:]
    assert kinds == "['sgd', 'momentum', 'adam']"
    assert loaded == "False"


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_the_registrys_optimizers_step_as_torchs_defaults_do(name):
    """The registry builds torch's optimizers with foreach=False (the per-tensor loop, chosen once):
    bit for bit what the same optimizer built with torch's defaults does on the CPU."""
    from dltui.engine import ops
    from dltui.engine.load.scenario import TrainSpec

    train = TrainSpec("mse", name, 0.05, 0, 0, 0.9 if name == "momentum" else 0.0, (0.9, 0.999))
    x = torch.linspace(-1, 1, 15, dtype=torch.float64).reshape(5, 3)
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0], [0.5]], dtype=torch.float64)
    ours, theirs = _model(4), _model(4)
    ours_opt, theirs_opt = ops.optimizer(name).build(ours.parameters(), train), OPTIMIZERS[name](theirs.parameters())
    assert all(group["foreach"] is False for group in ours_opt.param_groups)
    for _ in range(6):
        for model, opt in ((ours, ours_opt), (theirs, theirs_opt)):
            opt.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            eager_step(opt)
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert torch.equal(a, b), name
