"""Whole training steps in bulk (play, `dltui run`): the phase machine's arithmetic without its
phases, its snapshots or, where the registry writes the gradients by hand, its autograd graph.

Every step records in history exactly what a step through the phases records (losses, learning
rate, the full state to come back to). Divergence is checked once per chunk: a chunk that went
non-finite is rolled back and run again through the phase machine, which stops at the step it
happened, as it always has. On a full batch one forward serves two steps: the evaluation after
update k (the loss history records) is step k + 1's forward, its outputs by hand, its graph
through autograd; a minibatch has a forward of its own.

Hand-written gradients (`Loss.gradient`, `Activation.backward` in engine/ops.py) use the same torch
operations autograd's backward uses, so the weights come out the same to the last bit
(tests/test_fast_path.py checks every registry combination against autograd).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import torch

from dltui.engine import ops
from dltui.engine.train.model import Forward, forward, loss_value
from dltui.engine.train.snapshot import Phase

CHUNK = 256   # steps between divergence checks (and the most a rollback re-runs)
RECORD_NUMBERS = 20_000   # the most numbers one chunk of `dltui run` records holds before they are written


def hand_written(scenario) -> bool:
    """Whether the registry writes this scenario's gradients by hand: the loss's gradient and the
    backward of every activation the chain passes through (a loss from logits skips the output's)."""
    loss = ops.loss(scenario.train.loss)
    if loss.gradient is None:
        return False
    through = scenario.layers[:-1] if loss.from_logits else scenario.layers
    return all(ops.activation(spec.activation).backward is not None for spec in through)


def hand_gradients(scenario, linears: list, x: torch.Tensor, fwd: Forward, target: torch.Tensor) -> list:
    """𝜕(mean loss)/𝜕 each parameter (model.parameters() order), as autograd's backward computes
    them: the loss's gradient, then per layer the activation's backward and Linear's (addmm's)."""
    loss = ops.loss(scenario.train.loss)
    d = loss.gradient(fwd.predictions, fwd.logits, target)
    grads: list = []
    last = len(linears) - 1
    for i in range(last, -1, -1):
        if i < last or not loss.from_logits:
            d = ops.activation(scenario.layers[i].activation).backward(fwd.pre_activations[i], fwd.outputs[i], d)
        a = x if i == 0 else fwd.outputs[i - 1]
        linear = linears[i]
        pieces = [d.t().mm(a)] + ([d.sum(0)] if linear.bias is not None else [])
        grads[:0] = pieces
        if i:
            d = d.mm(linear.weight)
    return grads


def run_steps(trainer, steps: int) -> int:
    """Run up to `steps` whole steps; returns how many were done (fewer once the run diverges)."""
    done = 0
    if trainer.diverged or steps <= 0:
        return 0
    if trainer.phase not in (Phase.START, Phase.UPDATE):   # finish the step in progress first
        done = trainer._run_phases(1)
    hand = hand_written(trainer.scenario) and ops.optimizer(trainer._train.optimizer).gradient is None
    while done < steps and not trainer.diverged:
        size = min(CHUNK, steps - done)
        done += size if _chunk(trainer, size, hand) is not None else trainer._run_phases(size)
    return done


def recorded_steps(trainer, steps: int) -> Iterator[dict]:
    """`trainer.record()` now and after each of up to `steps` steps, ending with the first diverged
    one (`dltui run`): the lean path's chunks, each step's record taken inside them."""
    record = trainer.record()
    yield record
    hand = hand_written(trainer.scenario) and ops.optimizer(trainer._train.optimizer).gradient is None
    # a chunk's records are held until it is known finite: bound them by their numbers, not their
    # count, so memory stays flat in the number of steps however wide a record is
    per_chunk = max(1, min(CHUNK, RECORD_NUMBERS // max(1, _numbers_in(record))))
    done = 0
    while done < steps and not record["diverged"]:
        size = min(per_chunk, steps - done)
        chunk = _chunk(trainer, size, hand, trainer.record) if trainer.phase in (Phase.START, Phase.UPDATE) \
            else None
        if chunk is not None:
            yield from chunk
            record = chunk[-1]
            done += size
            continue
        for _ in range(size):   # non-finite inside: through the phases, to the step it happened
            trainer._run_phases(1)
            record = trainer.record()
            yield record
            done += 1
            if record["diverged"]:
                return


def _numbers_in(record: dict) -> int:
    """How many numbers a record holds (its predictions and parameters), roughly its size."""
    predictions = np.asarray(record["predictions"], dtype=object).size
    parameters = sum(np.size(layer["weight"]) + np.size(layer["bias"] or 0) for layer in record["layers"])
    return predictions + parameters


def _chunk(trainer, size: int, hand: bool, each: Callable[[], dict] | None = None) -> list | None:
    """`size` steps, and `each()` after every one of them (their results, in order); None (and the
    trainer as it was) if anything went non-finite."""
    start = (trainer._step, trainer._phase, trainer._grads_fresh, trainer._change, trainer._capture())
    records, results = [], []
    step = trainer._step
    # a full batch through autograd: the evaluation after an update is the next step's forward, so
    # it keeps its graph (as the phase machine's does) and the gradient needs no forward of its own
    graph = not hand and trainer._full_batch
    with torch.no_grad():
        for _ in range(size):
            _gradients(trainer, step, hand)
            trainer._change = trainer._apply_update()
            step += 1
            trainer._step = step
            if graph:
                with torch.enable_grad():
                    trainer._evaluate()
            else:
                trainer._evaluate()
            if not math.isfinite(trainer._loss):
                break
            trainer._grads_fresh = True
            records.append((step, trainer._loss, trainer._test_loss, trainer._lr, trainer._capture()))
            if each is not None:
                results.append(each())
        finite = len(records) == size and bool(torch.isfinite(trainer._flat_params()).all())
    if not finite:
        at, phase, fresh, change, state = start
        trainer._restore(state)
        trainer._begin_at(at)
        trainer._phase, trainer._grads_fresh, trainer._change = phase, fresh, change
        return None
    for record in records:
        trainer.history.record(*record)
    trainer._begin_at(step)   # the report again with its graph: the phase machine's next forward
    trainer._phase, trainer._grads_fresh = Phase.UPDATE, True
    return results


def _gradients(trainer, step: int, hand: bool) -> None:
    """Set every parameter's .grad for step `step`'s batch (by hand, or autograd's backward).
    A full batch is the whole training set at these weights: the evaluation's forward is its own."""
    full = trainer._full_batch
    if full:   # the batch is every row at every step (`trainer._batch` already says so)
        x, target = trainer._x, trainer._y
    else:
        trainer._batch = trainer.batch_rows(step)
        rows = torch.as_tensor(trainer._batch)
        x, target = trainer._x[rows], trainer._y[rows]
    if hand:
        fwd = trainer._report if full else forward(trainer.model, x)
        for p, g in zip(trainer._params, hand_gradients(trainer.scenario, trainer._linears, x, fwd, target)):
            p.grad = g
        return
    with torch.enable_grad():
        fwd = trainer._report if full and trainer._report.logits.requires_grad else forward(trainer.model, x)
        trainer._batch_fwd = fwd
        trainer._batch_loss = loss_value(trainer._train.loss, fwd, target)
        trainer._backward()
