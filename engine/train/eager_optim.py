"""torch's optimizers, stepped without importing the compiler.

`torch.optim` imports `torch._dynamo` (about 1 s, the second half of dltui's start-up) the first
time an optimizer steps or zeroes its gradients ‒ only to mark graph breaks and "do not compile"
regions for `torch.compile`. dltui runs eagerly and never compiles, so:

- `prepare()` answers the lazy "disable the compiler here" wrappers (`torch._disable_dynamo`) in
  advance with the plain function, which is what they call once the compiler has said "disabled";
- `eager_step(optimizer)` calls the optimizer's own `step` body under `torch.no_grad()`, which is
  what its decorator does around it (grad mode = the `differentiable` default, False) minus the
  compiler's graph breaks and the step hooks dltui never registers.

The arithmetic is torch's own, unchanged (tests compare the trainer with hand-written numpy and
with the generated plain-PyTorch script). Anything unexpected falls back to `optimizer.step()`.
"""

from __future__ import annotations

import torch
import torch.optim
import torch.optim.optimizer as _optimizer_module

from dltui.engine.ops import TORCH_OPTIM_MODULES

_STEPS: dict[type, object] = {}


def _prime(fn) -> None:
    inner = getattr(fn, "__wrapped__", None)
    if inner is not None and callable(inner) and not hasattr(inner, "__dynamo_disable"):
        inner.__dynamo_disable = inner


def prepare() -> None:
    """Pre-answer `torch._disable_dynamo`'s lazy import for the optimizer code dltui calls."""
    for name in ("add_param_group", "zero_grad", "state_dict", "load_state_dict"):
        _prime(getattr(_optimizer_module.Optimizer, name, None))
    for module_name in TORCH_OPTIM_MODULES:   # the registry's (engine/ops.py)
        module = getattr(torch.optim, module_name, None)
        functional = getattr(module, module_name, None) if module is not None else None
        if functional is not None:
            _prime(functional)


def _body(kind: type):
    if kind not in _STEPS:
        fn = kind.step
        while hasattr(fn, "__wrapped__"):
            fn = fn.__wrapped__
        _STEPS[kind] = fn
    return _STEPS[kind]


def eager_step(optimizer: torch.optim.Optimizer) -> None:
    """`optimizer.step()` without the compiler's import and graph breaks."""
    if optimizer.defaults.get("differentiable") or optimizer._optimizer_step_pre_hooks \
            or optimizer._optimizer_step_post_hooks:
        optimizer.step()
        return
    with torch.no_grad():
        _body(type(optimizer))(optimizer)


prepare()
