"""The registry of operations: every activation, loss and optimizer, each one entry holding
everything about it ‒ how torch builds it, its derivative for the explanations, its formula
pieces, its line in the generated PyTorch code and its properties.

Everything else looks names up here (`activation(name)`, `loss(name)`, `optimizer(name)`) and
reads properties; nothing outside this module branches on an operation's name. An unknown name
is a `KeyError` naming the known ones, never a fallback.

Adding an activation = one `Activation(...)` below, its numpy reference in the tests, a README
line. torch is imported lazily (inside the builders), so validation needs no torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dltui.engine.numbers import fmt

LEAKY_SLOPE = 0.01
ADAM_EPS = 1e-8          # torch.optim.Adam's default, which the engine uses


def _n(value: float) -> str:
    """A number inside an expression: negative ones in parentheses."""
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


# =========================================================================== activations


@dataclass(frozen=True)
class Decision:
    """How an output layer's values become classes: the decision grid, the hidden space's class
    line and the perceptron's rule read it, none of them a name."""
    name: str
    argmax: bool = False     # the class is the largest of several outputs; else one output, class 1 where ≥ ½
    exact: bool = False      # the output is already 0 or 1 (step), as the perceptron's rule needs

    def classes(self, out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, float | None]:
        """(values, classes, probabilities, threshold) of outputs [rows, outputs]: values are the
        winning class's probability (argmax, probabilities [rows, classes]) or the one output."""
        if self.argmax:
            return out.max(axis=1), out.argmax(axis=1), out.copy(), None
        values = out[:, 0].copy()
        return values, (values >= 0.5).astype(int), None, 0.5

    def strength(self, value: float, threshold: float | None) -> float:
        """How sure a grid point's decision is, in [0, 1] (NaN: not at all)."""
        if self.argmax:
            return value
        return min(1.0, abs(value - threshold) * 2) if math.isfinite(value) else 0.0

    def level(self, activation: "Activation") -> float | None:
        """The pre-activation where the class changes: 0 between two argmax logits, else where the
        activation crosses ½ (None: it has no such point)."""
        return 0.0 if self.argmax else activation.half_at


PROBABILITY = Decision("probability")          # a sigmoid's p ≥ ½
STEP = Decision("step", exact=True)            # the step function's 0 / 1
OUTPUT = Decision("output")                    # any other single output, ≥ ½
ARGMAX = Decision("argmax", argmax=True)       # softmax: the largest class probability


@dataclass(frozen=True)
class Activation:
    name: str
    module: Callable[[], Any]                 # a fresh torch nn.Module (torch imported lazily)
    code: str | None                          # its nn.Sequential line; None: no module (identity)
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray] | None   # f'(z) from (z, a) as torch's
    #                                           backward computes it; None: not elementwise
    half_at: float | None = None              # z where f(z) = 0.5 (a single output's class line)
    bounded: tuple[float, float] | None = None  # output range, for fixed plot axes
    code_prelude: str | None = None           # a class the generated script must define first
    shows_value: bool = True                  # False: a = z, nothing to show (identity)
    output_only: bool = False                 # allowed on the output layer only (softmax)
    min_units: int = 1
    decision: Decision = OUTPUT               # how it decides a class as the output layer
    backward: Callable[[Any, Any, Any], Any] | None = None   # torch (z, a, ∂L/∂a) → ∂L/∂z with
    #                                           autograd's own arithmetic; None: the lean path uses autograd
    new_hidden: bool = False                  # the one a hidden layer added in the settings starts with

    @property
    def elementwise(self) -> bool:
        return self.slope is not None

    def chain(self, z: np.ndarray, a: np.ndarray, dl_da: np.ndarray):
        """𝜕L/𝜕z from 𝜕L/𝜕a: (𝜕L/𝜕z, f'(z) or None, sumₖ aₖ⋅𝜕L/𝜕aₖ per row or None)."""
        if self.slope is not None:
            slope = self.slope(z, a)
            return dl_da * slope, slope, None
        sums = (a * dl_da).sum(axis=1)            # softmax's Jacobian: a ⊙ (g − Σ a·g)
        return a * (dl_da - sums[:, None]), None, sums


def _aten():
    """torch's own backward kernels (the arithmetic autograd runs), for the hand-written gradients."""
    import torch

    return torch.ops.aten


def _torch_module(build: Callable[[Any], Any]) -> Callable[[], Any]:
    def make():
        from torch import nn

        return build(nn)
    return make


_STEP_CLASS: list = []


def step_class():
    """The lecture's step function as an nn.Module class (built once, when torch is wanted).

    forward: 1 where the weighted sum is above 0, else 0. Its gradient is 0 everywhere (it stays
    in the graph so backward runs and gives zeros).
    """
    if not _STEP_CLASS:
        from torch import nn

        class Step(nn.Module):
            def forward(self, z):
                return (z > 0).to(z.dtype) + 0.0 * z

        _STEP_CLASS.append(Step)
    return _STEP_CLASS[0]


def _step_module():
    return step_class()()


_erf = np.vectorize(math.erf, otypes=[float])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _gelu_slope(z, a):
    z = np.asarray(z, dtype=float)
    cdf = 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))
    return cdf + z * np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)


def _softplus_slope(z, a):
    return np.where(z > 20.0, 1.0, _sigmoid(np.minimum(z, 20.0)))   # torch: linear above threshold 20


def _solve_half(f: Callable[[float], float], lo: float, hi: float) -> float:
    """z with f(z) = 0.5 on [lo, hi] where f is increasing (bisection to float precision)."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) < 0.5 else (lo, mid)
    return 0.5 * (lo + hi)


STEP_CODE = '''\
class Step(nn.Module):
    """계단 함수 (step): z > 0 이면 1, 아니면 0. 기울기는 0 (its gradient is 0)."""

    def forward(self, z):
        return (z > 0).to(z.dtype) + 0.0 * z
'''

_ACTIVATIONS = (
    Activation("identity", _torch_module(lambda nn: nn.Identity()), None,
               lambda z, a: np.ones_like(z), half_at=0.5, shows_value=False, backward=lambda z, a, g: g),
    Activation("step", _step_module, "Step()", lambda z, a: np.zeros_like(z),   # no gradient passes
               half_at=0.0, bounded=(0.0, 1.0), code_prelude=STEP_CODE, decision=STEP,
               backward=lambda z, a, g: g * 0.0),
    Activation("sigmoid", _torch_module(lambda nn: nn.Sigmoid()), "nn.Sigmoid()",
               lambda z, a: a * (1.0 - a), half_at=0.0, bounded=(0.0, 1.0), decision=PROBABILITY,
               backward=lambda z, a, g: _aten().sigmoid_backward(g, a)),
    Activation("tanh", _torch_module(lambda nn: nn.Tanh()), "nn.Tanh()",
               lambda z, a: 1.0 - a * a, half_at=math.atanh(0.5), bounded=(-1.0, 1.0),
               backward=lambda z, a, g: _aten().tanh_backward(g, a), new_hidden=True),
    Activation("relu", _torch_module(lambda nn: nn.ReLU()), "nn.ReLU()",
               lambda z, a: (z > 0).astype(float), half_at=0.5, backward=lambda z, a, g: _aten().threshold_backward(g, a, 0)),
    Activation("leaky_relu", _torch_module(lambda nn: nn.LeakyReLU(LEAKY_SLOPE)),
               f"nn.LeakyReLU({LEAKY_SLOPE})", lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE), half_at=0.5,
               backward=lambda z, a, g: _aten().leaky_relu_backward(g, z, LEAKY_SLOPE, False)),
    Activation("softmax", _torch_module(lambda nn: nn.Softmax(dim=1)), "nn.Softmax(dim=1)", None,
               bounded=(0.0, 1.0), output_only=True, min_units=2, decision=ARGMAX),
    Activation("gelu", _torch_module(lambda nn: nn.GELU()), "nn.GELU()", _gelu_slope,
               half_at=_solve_half(lambda z: z * 0.5 * (1.0 + math.erf(z / math.sqrt(2.0))), 0.0, 2.0)),
    Activation("softplus", _torch_module(lambda nn: nn.Softplus()), "nn.Softplus()", _softplus_slope,
               half_at=math.log(math.expm1(0.5))),
)


# =========================================================================== gradient rules


@dataclass(frozen=True)
class GradientRule:
    """How one row's output error becomes a parameter's gradient in the lecture's one-layer form.

    `factor(d)` with d = predict − target is 𝜕(row term)/𝜕(output); `head(p, t)` writes it.
    `folds_activation`: the factor is already 𝜕L/𝜕z (the loss applies sigmoid/softmax itself, or the
    perceptron rule ignores the activation). `mean`: the gradient is the mean over the batch
    (False: −sum, the perceptron rule). `symbol`: what the gradient is called (𝜕L/𝜕 or g_).
    """

    name: str
    factor: Callable[[np.ndarray], np.ndarray]
    head: Callable[[str, str], str]
    factor_name: str
    folds_activation: bool = False
    mean: bool = True

    def text(self, symbol: str, joined: str, divisor: int, value: float) -> str:
        if not self.mean:
            return f"g_{symbol} = −({joined}) = {fmt(value)}"
        return f"𝜕L/𝜕{symbol} = ({joined}) / {divisor} = {fmt(value)}"


def _difference_head(p: str, t: str) -> str:
    return f"({p} − {t})"


# =========================================================================== losses


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str                               # one row's term
    rule: GradientRule
    value: Callable[..., Any]                  # (F, predictions, logits, target, reduction) → tensor
    code: str                                  # the criterion in the generated script
    code_meaning: str
    output_activation: str | None = None       # the output layer it needs (bce: sigmoid)
    from_logits: bool = False                  # torch's criterion takes z and applies it itself
    class_targets: bool = False                # targets are class indices (one-hot in the maths)
    binary_targets: bool = False               # targets must be 0 or 1
    regression: bool = False                   # real-valued targets (least squares applies)
    least_squares_optimal: bool = False        # the least-squares solution minimises this loss
    squares_error: bool = False                # a row's term is (target − predict)², not ±error
    graph_nodes: dict[str, tuple[str, Callable[[Any, Any], Any]]] = field(default_factory=dict)
    #        autograd node name → (formula with {predict} and {target}: words/graph.py, value from (predict, y))
    gradient: Callable[[Any, Any, Any], Any] | None = None   # torch (predictions, logits, target) →
    #   ∂(mean loss)/∂predictions (∂/∂logits when from_logits) with autograd's own arithmetic; None: autograd

    @property
    def classification(self) -> bool:
        return self.class_targets or self.binary_targets

    def divisor(self, rows: int, outputs: int) -> int:
        """What the mean divides by: every (row, output) term, or rows for per-row losses."""
        return rows if self.class_targets else rows * outputs

    def torch_value(self, predictions, logits, target, reduction: str = "mean"):
        """The loss as torch's standard criterion computes it; reduction "row": each row's term."""
        import torch.nn.functional as F

        if reduction == "row":
            terms = self.value(F, predictions, logits, target, "none")
            return terms if self.class_targets else terms.mean(dim=1)
        return self.value(F, predictions, logits, target, reduction)


def _cross_entropy_gradient(p, z, y):
    """cross_entropy = nll_loss(log_softmax(z)): their backward kernels in turn (mean over rows)."""
    aten, log_p = _aten(), z.log_softmax(1)
    g = aten.nll_loss_backward(z.new_ones(()), log_p, y, None, 1, -100, z.new_tensor(float(len(z))))
    return aten._log_softmax_backward_data(g, log_p, 1, z.dtype)


_LOSSES = (
    Loss("mae", "|target − predict|",
         GradientRule("mae", np.sign, lambda p, t: f"sign({p} − {t})", "sign(predict − target)"),
         lambda F, p, z, y, r: F.l1_loss(p, y, reduction=r),
         "nn.L1Loss()", "mean|target − predict| (MAE)", regression=True,
         graph_nodes={"SubBackward0": ("{predict} − {target}", lambda p, y: p - y),
                      "AbsBackward0": ("|{predict} − {target}|", lambda p, y: (p - y).abs())},
         gradient=lambda p, z, y: (p - y).sgn() * (1.0 / p.numel())),
    Loss("mse", "(target − predict)^2",
         GradientRule("mse", lambda d: 2.0 * d, lambda p, t: f"2⋅({p} − {t})", "2⋅(predict − target)"),
         lambda F, p, z, y, r: F.mse_loss(p, y, reduction=r),
         "nn.MSELoss()", "mean (target − predict)^2 (MSE)", regression=True, least_squares_optimal=True,
         squares_error=True, gradient=lambda p, z, y: _aten().mse_loss_backward(p.new_ones(()), p, y, 1)),
    Loss("bce", "−[y⋅log p + (1 − y)⋅log(1 − p)]",
         GradientRule("bce", lambda d: d, _difference_head, "(p − y)", folds_activation=True),
         lambda F, p, z, y, r: F.binary_cross_entropy_with_logits(z, y, reduction=r),
         "nn.BCEWithLogitsLoss()", "binary cross-entropy, sigmoid 포함 (sigmoid included)",
         output_activation="sigmoid", from_logits=True, binary_targets=True,
         gradient=lambda p, z, y: (z.sigmoid() - y) / z.numel()),
    Loss("cross_entropy", "−log p(target class)",
         GradientRule("cross_entropy", lambda d: d, _difference_head, "(p − [y = class])",
                      folds_activation=True),
         lambda F, p, z, y, r: F.cross_entropy(z, y, reduction=r),
         "nn.CrossEntropyLoss()", "cross-entropy, softmax 포함 (softmax included)",
         output_activation="softmax", from_logits=True, class_targets=True, gradient=_cross_entropy_gradient),
)


# =========================================================================== optimizers


@dataclass(frozen=True)
class UpdateMaths:
    """One parameter's update: the value after it, and the optimizer state before / after."""

    after: float
    state_before: dict[str, float] = field(default_factory=dict)
    state: dict[str, float] = field(default_factory=dict)
    hyper: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Optimizer:
    name: str
    build: Callable[[Any, Any], Any] | None    # (parameters, TrainSpec) → torch.optim optimizer;
    #                                            None: the trainer applies w ← w − lr·g itself
    code: Callable[[Any, str], tuple[str, str]]  # (TrainSpec, lr text) → (script line, its note: words/code.py)
    update: Callable[[Any, float, float, float, dict, int], UpdateMaths]  # (train, w, g, lr, state0, t)
    lines: Callable[[Any], list[str]] | None = None   # an UpdateTerm's worked lines; None: plain
    recover: Callable[[Any, dict, Any, float, int], dict] | None = None   # state before from after
    state_names: dict[str, str] = field(default_factory=dict)   # torch state key → symbol
    counts: tuple[str, ...] = ()               # torch state keys that count updates (Adam's step)
    default_momentum: float = 0.0
    rule: GradientRule | None = None           # its own gradient (perceptron), replacing the loss's
    gradient: Callable[..., list] | None = None   # (x, targets, predictions, has_bias) → grads
    code_update: Callable[[str, str, bool], list[tuple[str, str, str | None]]] | None = None  # (line, note, tag)
    requires: Callable[[tuple], str | None] | None = None   # (layer specs) → problem code or None
    torch_module: str | None = None            # the torch.optim submodule whose step it runs
    #                                            (eager_optim primes its functional form); None: no torch optimizer

    @property
    def plain(self) -> bool:
        """w ← w − lr⋅g with no state to explain."""
        return self.lines is None


def _plain_update(train, w, g, lr, state0, t) -> UpdateMaths:
    return UpdateMaths(w - lr * g)


def _momentum_update(train, w, g, lr, state0, t) -> UpdateMaths:
    mu = train.momentum
    v0 = state0.get("v", 0.0)
    v = mu * v0 + g if "v" in state0 else g          # torch starts the buffer at g itself
    return UpdateMaths(w - lr * v, {"v": v0}, {"v": v}, {"μ": mu})


def _momentum_lines(term) -> list[str]:
    w, g, lr = fmt(term.before), _n(term.grad), fmt(term.learning_rate)
    name, p = term.name, term.kind
    mu, v0, v = term.hyper["μ"], term.state_before["v"], term.state["v"]
    return [f"{name}: v ← mu⋅v + g = {fmt(mu)} ⋅ {_n(v0)} + {g} = {fmt(v)}",
            f"{name}: {p} ← {p} − lr⋅v = {w} − {lr} ⋅ {_n(v)} = {fmt(term.after)}"]


def _momentum_recover(train, state_after, pos, g, t) -> dict:
    mu = train.momentum
    return {"v": (float(state_after["v"][pos]) - g) / mu if mu else 0.0}


def _adam_update(train, w, g, lr, state0, t) -> UpdateMaths:
    b1, b2 = train.betas
    m0, v0 = state0.get("m", 0.0), state0.get("v", 0.0)
    m = b1 * m0 + (1 - b1) * g
    v = b2 * v0 + (1 - b2) * g * g
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
    after = w - lr * m_hat / (math.sqrt(v_hat) + ADAM_EPS)
    return UpdateMaths(after, {"m": m0, "v": v0}, {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat},
                       {"beta1": b1, "beta2": b2, "ε": ADAM_EPS, "t": float(t)})


def _adam_lines(term) -> list[str]:
    w, g, lr = fmt(term.before), _n(term.grad), fmt(term.learning_rate)
    name, p = term.name, term.kind
    b1, b2, eps, t = (term.hyper[k] for k in ("beta1", "beta2", "ε", "t"))
    m0, v0 = term.state_before["m"], term.state_before["v"]
    m, v, mh, vh = (term.state[k] for k in ("m", "v", "m_hat", "v_hat"))
    return [
        f"{name}: m ← beta1⋅m + (1 − beta1)⋅g = {fmt(b1)} ⋅ {_n(m0)} + {fmt(1 - b1)} ⋅ {g} = {fmt(m)}",
        f"{name}: v ← beta2⋅v + (1 − beta2)⋅g^2 = {fmt(b2)} ⋅ {_n(v0)} + {fmt(1 - b2)} ⋅ {g}^2 = {fmt(v)}",
        f"{name}: m_hat = m / (1 − beta1^{int(t)}) = {_n(m)} / {fmt(1 - b1 ** t)} = {fmt(mh)}",
        f"{name}: v_hat = v / (1 − beta2^{int(t)}) = {_n(v)} / {fmt(1 - b2 ** t)} = {fmt(vh)}",
        f"{name}: {p} ← {p} − lr⋅m_hat / (sqrt(v_hat) + eps) = {w} − {lr} ⋅ {_n(mh)} / ({fmt(math.sqrt(vh))} + {eps:g})"
        f" = {fmt(term.after)}",
    ]


def _adam_recover(train, state_after, pos, g, t) -> dict:
    b1, b2 = train.betas
    return {"m": (float(state_after["m"][pos]) - (1 - b1) * g) / b1 if b1 else 0.0,
            "v": (float(state_after["v"][pos]) - (1 - b2) * g * g) / b2 if b2 else 0.0}


def _perceptron_gradient(x, targets, predictions, has_bias: bool) -> list:
    """The rule w ← w + lr⋅(y − ŷ)⋅x, written as w ← w − lr⋅g with g = −Σ (y − ŷ)⋅x."""
    error = (targets - predictions).detach()
    return [-(error.T @ x)] + ([-error.sum(dim=0)] if has_bias else [])


def _perceptron_code_update(xb: str, yb: str, out: str, has_bias: bool) -> list[tuple[str, str, str | None]]:
    lines = [("    with torch.no_grad():", "", None),
             (f"        error = {yb} - {out}", "code.perceptron.error", "backward"),
             (f"        model[0].weight += lr * (error.T @ {xb})",
              "code.perceptron.rule", "update")]
    if has_bias:
        lines.append(("        model[0].bias += lr * error.sum(dim=0)", "code.perceptron.bias", None))
    return lines


def _perceptron_requires(layers) -> str | None:
    """A ScenarioError code (words/problems.py says it) when the layers are not one step layer."""
    if len(layers) != 1 or not activation(layers[-1].activation).decision.exact:
        return "optimizer.one_step_layer"
    return None


def _torch_optim(build):
    def make(parameters, train):
        import torch

        optimizer = build(torch.optim, parameters, train)
        for group in optimizer.param_groups:   # the per-tensor loop torch picks for CPU tensors anyway,
            group["foreach"] = False           # without it choosing again at every step
        return optimizer
    return make


_OPTIMIZERS = (
    Optimizer("sgd", _torch_optim(lambda o, ps, tr: o.SGD(ps, lr=tr.learning_rate)),
              lambda tr, lr: (f"optimizer = optim.SGD(model.parameters(), lr={lr})",
                              "code.optimizer.sgd"),
              _plain_update, torch_module="sgd"),
    Optimizer("momentum", _torch_optim(lambda o, ps, tr: o.SGD(ps, lr=tr.learning_rate, momentum=tr.momentum)),
              lambda tr, lr: (f"optimizer = optim.SGD(model.parameters(), lr={lr}, "
                              f"momentum={float(tr.momentum)!r})", "code.optimizer.momentum"),
              _momentum_update, _momentum_lines, _momentum_recover, {"momentum_buffer": "v"},
              default_momentum=0.9, torch_module="sgd"),
    Optimizer("adam", _torch_optim(lambda o, ps, tr: o.Adam(ps, lr=tr.learning_rate, betas=tr.betas)),
              lambda tr, lr: ("optimizer = optim.Adam(params=model.parameters(), lr=" + lr + ", betas=("
                              + ", ".join(repr(float(b)) for b in tr.betas) + "))",
                              "code.optimizer.adam"),
              _adam_update, _adam_lines, _adam_recover, {"exp_avg": "m", "exp_avg_sq": "v"}, counts=("step",),
              torch_module="adam"),
    Optimizer("perceptron", None,
              lambda tr, lr: (f"lr = {lr}", "code.optimizer.perceptron"),
              _plain_update,
              rule=GradientRule("perceptron", lambda d: -d, lambda p, t: f"({t} − {p})",
                                "(target − predict)", folds_activation=True, mean=False),
              gradient=_perceptron_gradient, code_update=_perceptron_code_update,
              requires=_perceptron_requires),
)


# =========================================================================== lookup


class _Table(dict):
    """name → entry; an unknown name is a KeyError that lists the known ones."""

    def __init__(self, kind: str, entries):
        super().__init__((e.name, e) for e in entries)
        self.kind = kind

    def __missing__(self, name):
        raise KeyError(f"unknown {self.kind} {name!r}; known: {', '.join(self)}")


ACTIVATIONS = _Table("activation", _ACTIVATIONS)
LOSSES = _Table("loss", _LOSSES)
OPTIMIZERS = _Table("optimizer", _OPTIMIZERS)
ACTIVATION_NAMES = tuple(ACTIVATIONS)
LOSS_NAMES = tuple(LOSSES)
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
DEFAULT_ACTIVATION = "identity"
(NEW_HIDDEN_ACTIVATION,) = (a.name for a in _ACTIVATIONS if a.new_hidden)   # exactly one
TORCH_OPTIM_MODULES = tuple(dict.fromkeys(o.torch_module for o in _OPTIMIZERS if o.torch_module))
DEFAULT_OPTIMIZER = "sgd"


def activation(name: str) -> Activation:
    return ACTIVATIONS[name]


def loss(name: str) -> Loss:
    return LOSSES[name]


def optimizer(name: str) -> Optimizer:
    return OPTIMIZERS[name]


def gradient_rule(loss_name: str, optimizer_name: str) -> GradientRule:
    """The rule a step's gradient follows: the optimizer's own (perceptron) or the loss's."""
    return OPTIMIZERS[optimizer_name].rule or LOSSES[loss_name].rule


def rule(name: str) -> GradientRule:
    """A gradient rule by its name (a loss's, or an optimizer's own)."""
    for entry in (*_OPTIMIZERS, *_LOSSES):
        if entry.rule is not None and entry.rule.name == name:
            return entry.rule
    raise KeyError(f"unknown gradient rule {name!r}")
