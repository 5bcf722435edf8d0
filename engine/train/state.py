"""One codec for everything a training step depends on, for time travel and for saved files.

A run's state at a step is its parameters, their gradients and last change, the optimizer's
state (momentum's velocity; Adam's moments and step count) and the phase machine's flags. The
minibatch position is the step itself: `Trainer.batch_rows` draws each epoch's order from
`train.seed` and the epoch, with no generator state carried along, so the step number and this
state are all a run needs to go on bit for bit.

The same capture has two encodings: one flat float64 vector (history keeps one per step: cheap
to make, to thin and to put back) and the `[resume]` table of a saved scenario file (plain TOML
values, README "Resuming a saved run").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

DTYPE = torch.float64


@dataclass(frozen=True)
class Flags:
    """What a restored vector says beside the numbers it puts back."""

    change: torch.Tensor | None   # the last update's change of every parameter (None: none yet)
    diverged_at: int | None
    grads_fresh: bool


class StateCodec:
    """Captures and restores the state of one model (its `linears`) and its optimizer."""

    def __init__(self, linears: list, optimizer: torch.optim.Optimizer | None, layouts: list | None = None):
        """`layouts`: those of the states a history already holds (a setup rebuilt to go back)."""
        self.linears = linears
        self.params = [p for linear in linears for p in (linear.weight, linear.bias) if p is not None]
        self.optimizer = optimizer
        self.sizes = [p.numel() for p in self.params]
        self.total = sum(self.sizes)
        # optimizer-state layouts seen (constant after the first update); history's vectors index it
        self.layouts: list[tuple] = [] if layouts is None else layouts

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for views in ("_views", "_state_views"):   # a pickle (play's give back) would copy them apart
            state.pop(views, None)                 # from the tensors they view
        return state

    @property
    def views(self) -> list[np.ndarray]:
        """Each parameter as a flat numpy view of its own storage, made once: every write to a
        parameter (the optimizer's, a restore's, an edit's) is in place, and `.detach().numpy()`
        per parameter per step cost more than the copies themselves."""
        views = self.__dict__.get("_views")
        if views is None:
            views = self._views = [p.detach().numpy().reshape(-1) for p in self.params]
        return views

    # ------------------------------------------------------------- the flat vector (history)

    def capture(self, change: torch.Tensor | None, diverged_at: int | None, grads_fresh: bool) -> np.ndarray:
        """Everything needed to come back here, as one flat float64 vector (a copy).

        Layout: params | grads (NaN when none) | last change | diverged_at | grads fresh |
        optimizer-state layout (index into the layouts seen, NaN: no state) | every value of
        `optimizer.state`, parameter by parameter, key by key (whatever the optimizer keeps).
        """
        # numpy views joined by one np.concatenate (its own buffer): cheaper than torch.cat per step
        grads = [p.grad.detach().numpy().reshape(-1) if p.grad is not None else np.full(p.numel(), math.nan)
                 for p in self.params]
        layout, values = self._optimizer_state()
        flags = [math.nan if diverged_at is None else diverged_at, float(grads_fresh),
                 math.nan if layout is None else layout]
        return np.concatenate([*self.views, *grads, np.full(self.total, math.nan) if change is None
                               else change.numpy(), np.array(flags), *values])

    def restore(self, flat: np.ndarray) -> Flags:
        """Put a captured vector back into the parameters and the optimizer."""
        vector = torch.from_numpy(flat.copy())
        n = self.total
        params, grads, change = vector[:n], vector[n:2 * n], vector[2 * n:3 * n]
        diverged_at, grads_fresh, has_state = vector[3 * n:3 * n + 3].tolist()
        offset = 0
        with torch.no_grad():
            for p, size in zip(self.params, self.sizes):
                p.copy_(params[offset:offset + size].view_as(p))
                g = grads[offset:offset + size]
                p.grad = None if torch.isnan(g).all() else g.view_as(p).clone()
                offset += size
        if self.optimizer is not None:
            self.optimizer.state.clear()
            if not math.isnan(has_state):
                self._load_optimizer_state(self.layouts[int(has_state)], vector[3 * n + 3:])
        return Flags(None if torch.isnan(change).all() else change.clone(),
                     None if math.isnan(diverged_at) else int(diverged_at), bool(grads_fresh))

    def _optimizer_state(self) -> tuple[int | None, list[np.ndarray]]:
        """`optimizer.state` as (the index of its layout in `layouts`, flat numpy pieces: float64
        once joined), generically: every key of every parameter's state, tensors flattened, numbers
        as one value, None kept as a shape."""
        state = self.optimizer.state if self.optimizer is not None else {}
        entries = [state.get(p) for p in self.params]
        if not any(entries):
            return None, []
        # torch updates its buffers in place: while every parameter's state holds the same objects
        # as last time, the layout and the views are last time's (a restore puts new ones there)
        objects = tuple((id(entry), *map(id, entry.values())) if entry else () for entry in entries)
        cached = self.__dict__.get("_state_views")
        if cached is not None and cached[0] == objects:
            return cached[1], cached[2]
        layout, values = [], []
        for entry in entries:
            kinds = []
            for key, value in sorted((entry or {}).items()):
                if isinstance(value, torch.Tensor):
                    kinds.append((key, "tensor", tuple(value.shape), value.dtype))
                    values.append(value.detach().numpy().reshape(-1))
                elif value is None:
                    kinds.append((key, "none", (), None))
                else:
                    kinds.append((key, "number", (), type(value)))
                    values.append(np.array([float(value)]))
            layout.append(tuple(kinds))
        layout = tuple(layout)
        if layout not in self.layouts:
            self.layouts.append(layout)
        index = self.layouts.index(layout)
        if all(v is None or isinstance(v, torch.Tensor) for entry in entries if entry for v in entry.values()):
            self._state_views = (objects, index, values)   # (a number is a new object every step)
        return index, values

    def _load_optimizer_state(self, layout: tuple, vector: torch.Tensor) -> None:
        cursor = 0
        for p, entry in zip(self.params, layout):
            restored = {}
            for key, kind, shape, dtype in entry:
                if kind == "none":
                    restored[key] = None
                    continue
                size = math.prod(shape) if kind == "tensor" else 1
                piece = vector[cursor:cursor + size]
                cursor += size
                restored[key] = piece.reshape(shape).to(dtype).clone() if kind == "tensor" else dtype(piece.item())
            if entry:
                self.optimizer.state[p] = restored

    # ------------------------------------------------------------- the [resume] table (files)

    def resume_table(self, step: int) -> dict | None:
        """The `[resume]` table of a file saved at `step`: the step, and per layer the optimizer's
        state of its weight and bias by torch's keys (per-element values as nested lists, counts
        as integers). None at step 0 with no optimizer state: a plain file starts there anyway."""
        state = self.optimizer.state if self.optimizer is not None else {}
        layers = []
        for linear in self.linears:
            tables = {}
            for name in ("weight", "bias"):
                p = getattr(linear, name)
                values = {key: _plain(value) for key, value in sorted(state.get(p, {}).items())
                          if value is not None} if p is not None else {}
                if values:
                    tables[name] = values
            layers.append(tables)
        if not any(layers):
            return {"step": step} if step else None
        return {"step": step, "layers": layers}

    def load_resume(self, layers: tuple[dict, ...]) -> None:
        """The optimizer's state from a file's `[resume].layers` (validated by the loader): lists
        become tensors shaped like their parameter, counts 0-d tensors of torch's default scalar
        type, as torch's own optimizers keep their step counts."""
        if self.optimizer is None:
            return
        self.optimizer.state.clear()
        for linear, tables in zip(self.linears, layers):
            for name, values in tables.items():
                p = getattr(linear, name)
                self.optimizer.state[p] = {
                    key: (torch.tensor(value, dtype=DTYPE).reshape(p.shape) if isinstance(value, (list, tuple))
                          else torch.tensor(float(value)))
                    for key, value in values.items()}


def _plain(value):
    """A state value as TOML holds it: a number for a count (a 0-d tensor), else nested lists."""
    if isinstance(value, torch.Tensor):
        if value.dim() == 0:
            number = value.item()
            return int(number) if float(number).is_integer() else number
        return value.detach().tolist()
    return int(value) if float(value).is_integer() else float(value)
