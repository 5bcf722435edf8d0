"""The torch side of a scenario: the `nn.Sequential` model, its loss and its optimizer.

float64 throughout, so that the lecture's 5.3 is 5.3 and not 5.300000083.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from dltui.engine import ops
from dltui.engine.load.scenario import LayerSpec, Scenario, TrainSpec

DTYPE = torch.float64

# The models are tiny: one intra-op thread avoids thread hand-offs that cost far more than the
# maths (seen: 12 ms instead of 60 µs for a 4-row op on a busy 2-core machine).
torch.set_num_threads(1)


Step = ops.step_class()   # the lecture's step function (gradient 0), defined with the registry


def activation_module(name: str) -> nn.Module:
    return ops.activation(name).module()


def build_model(scenario: Scenario) -> nn.Sequential:
    """Linear → activation pairs, initialised from the file or from `train.seed`.

    Seeded init draws U(-1/sqrt(fan_in), 1/sqrt(fan_in)) ‒ PyTorch's default range ‒ from a private
    generator, so the numbers are the same on every machine and untouched by global RNG use.
    """
    generator = torch.Generator().manual_seed(scenario.train.seed)
    modules: list[nn.Module] = []
    fan_in = scenario.data.n_features
    for spec in scenario.layers:
        linear = nn.Linear(fan_in, spec.units, bias=spec.has_bias, dtype=DTYPE)
        _initialise(linear, spec, fan_in, generator)
        modules += [linear, activation_module(spec.activation)]
        fan_in = spec.units
    return nn.Sequential(*modules)


def _initialise(linear: nn.Linear, spec: LayerSpec, fan_in: int, generator: torch.Generator) -> None:
    bound = 1.0 / fan_in ** 0.5
    with torch.no_grad():
        if spec.weight is not None:
            linear.weight.copy_(torch.tensor(spec.weight, dtype=DTYPE))
        else:
            linear.weight.copy_(_uniform(linear.weight.shape, bound, generator))
        if linear.bias is not None:
            if spec.bias is not None:
                linear.bias.copy_(torch.tensor(spec.bias, dtype=DTYPE))
            else:
                linear.bias.copy_(_uniform(linear.bias.shape, bound, generator))


def _uniform(shape: torch.Size, bound: float, generator: torch.Generator) -> torch.Tensor:
    return (torch.rand(shape, generator=generator, dtype=DTYPE) * 2 - 1) * bound


@dataclass
class Forward:
    """One forward pass with every layer's weighted sums (z) and outputs (a) kept."""

    pre_activations: list[torch.Tensor]
    outputs: list[torch.Tensor]

    @property
    def logits(self) -> torch.Tensor:
        return self.pre_activations[-1]

    @property
    def predictions(self) -> torch.Tensor:
        return self.outputs[-1]


def forward(model: nn.Sequential, x: torch.Tensor) -> Forward:
    """Each module's own `forward`: dltui registers no module hooks, and `Module.__call__`'s look
    for them (with `Sequential`'s indexing) cost more than a tiny layer's arithmetic."""
    zs, outs = [], []
    a = x
    modules = list(model)
    for linear, activation in zip(modules[0::2], modules[1::2]):
        z = linear.forward(a)
        a = activation.forward(z)
        zs.append(z)
        outs.append(a)
    return Forward(zs, outs)


def loss_value(loss: str, fwd: Forward, target: torch.Tensor) -> torch.Tensor:
    """The mean loss, as the standard torch criterion computes it (logits for bce / ce)."""
    return ops.loss(loss).torch_value(fwd.predictions, fwd.logits, target)


def row_losses(loss: str, fwd: Forward, target: torch.Tensor) -> torch.Tensor:
    """Each row's own term of the loss; their mean is `loss_value`."""
    return ops.loss(loss).torch_value(fwd.predictions, fwd.logits, target, reduction="row")


def build_optimizer(model: nn.Module, train: TrainSpec) -> torch.optim.Optimizer | None:
    """torch's own optimizers; None where the trainer applies the update itself (perceptron)."""
    build = ops.optimizer(train.optimizer).build
    return None if build is None else build(model.parameters(), train)
