"""Decisions that used to compare registry names outside the registry (`"identity"`, `"tanh"`,
`("sgd", "adam")`) are properties of the entries in engine/ops.py: each checked against torch."""

from __future__ import annotations

import pytest
import torch

from dltui.engine import Phase, ops
from dltui.engine.explain.quiz import Question
from dltui.words.quiz import question_text


@pytest.mark.parametrize("name", ops.OPTIMIZER_NAMES)
def test_each_torch_optimizer_names_the_module_whose_step_eager_optim_primes(name):
    entry = ops.optimizer(name)
    if entry.build is None:                                   # the perceptron rule: no torch optimizer
        assert entry.torch_module is None
        return
    from dltui.engine.load.scenario import TrainSpec

    train = TrainSpec("mse", name, 0.1, 0, 0, entry.default_momentum or 0.9, (0.9, 0.999))
    built = entry.build([torch.zeros(2, requires_grad=True)], train)
    assert type(built).__module__ == f"torch.optim.{entry.torch_module}"
    assert entry.torch_module in ops.TORCH_OPTIM_MODULES


def test_a_new_hidden_layer_starts_with_an_activation_a_hidden_layer_may_have():
    entry = ops.activation(ops.NEW_HIDDEN_ACTIVATION)
    assert entry.new_hidden and entry.elementwise and not entry.output_only and entry.min_units == 1
    assert entry.bounded is not None            # squashes: a new hidden layer adds more than a linear map


@pytest.mark.parametrize("name", ops.ACTIVATION_NAMES)
def test_the_quiz_writes_f_around_the_sum_exactly_when_f_changes_it(name):
    """The reference is torch: the module's output differs from its input somewhere."""
    z = torch.linspace(-3, 3, 13, dtype=torch.float64).reshape(-1, 1).repeat(1, 2)
    changes = not torch.equal(ops.activation(name).module()(z), z)
    question = Question("prediction", Phase.FORWARD, 0, 0.0, "0", row=0, parameter=name)
    for lang in ("ko", "en"):
        assert (f"{name}(" in question_text(question, lang)) == changes, (name, lang)
