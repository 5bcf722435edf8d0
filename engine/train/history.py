"""Step history: the loss curve for every step, and saved states to step back to.

Every step's losses and learning rate are kept (24 bytes a step). Full states (parameters,
gradients, last change, optimizer state) are kept for every step until they pass a byte budget;
then older ones are thinned to every 2nd, 4th, ⋯ step, and the trainer replays the few steps
from the nearest saved state. So 100,000 steps stay within a few tens of MB.

Hand edits of a parameter are history too: each step keeps the list of edits made at it, in
order. A saved state is the step as training reached it (before its edits); going to a step
replays its edits on top, so undoing an edit is going back to the same step with one edit fewer.
"""

from __future__ import annotations

import bisect
from array import array

import numpy as np


STATE_OVERHEAD = 112  # bytes of a numpy array object beyond its data, counted in the budget


class History:
    def __init__(self, budget_bytes: int = 32 << 20, keep_recent: int = 256):
        self.budget_bytes = budget_bytes
        self.keep_recent = keep_recent
        self.losses = array("d")
        self.test_losses = array("d")
        self.learning_rates = array("d")
        self._steps: list[int] = []          # sorted steps with a saved state
        self._states: dict[int, np.ndarray] = {}
        self._bytes = 0
        self._stride = 1
        self.first_state = 0                  # steps before it have losses but no states
        self.edits: dict[int, list[tuple[int, float]]] = {}   # step → [(flat parameter index, value)]

    def __len__(self) -> int:
        return len(self.losses)

    def record(self, step: int, loss: float, test_loss: float | None, lr: float,
               state: np.ndarray) -> None:
        """Append step `step` (which must be the next one) with its state."""
        if step != len(self.losses):
            raise ValueError(f"history expects step {len(self.losses)}, got {step}")
        self.losses.append(loss)
        self.test_losses.append(float("nan") if test_loss is None else test_loss)
        self.learning_rates.append(lr)
        self._steps.append(step)
        self._states[step] = state
        self._bytes += state.nbytes + STATE_OVERHEAD
        while self._bytes > self.budget_bytes and self._thin(step):
            pass

    def prefill(self, losses, test_losses, learning_rates) -> None:
        """Steps before this history's first state (a run that continues another one)."""
        self.losses.extend(losses)
        self.test_losses.extend(test_losses)
        self.learning_rates.extend(learning_rates)
        self.first_state = len(self.losses)

    def add_edit(self, step: int, index: int, value: float) -> None:
        self.edits.setdefault(step, []).append((index, value))

    def edits_at(self, step: int) -> list[tuple[int, float]]:
        return self.edits.get(step, [])

    def set_losses(self, step: int, loss: float, test_loss: float | None) -> None:
        """The losses now shown at `step` (after an edit there)."""
        self.losses[step] = loss
        self.test_losses[step] = float("nan") if test_loss is None else test_loss

    def set_learning_rate(self, step: int, lr: float) -> None:
        """The learning rate now in force at `step` (a live change between steps)."""
        self.learning_rates[step] = lr

    def nearest_state(self, step: int) -> tuple[int, np.ndarray]:
        """The latest saved state at or before `step`."""
        if step < self.first_state:
            raise ValueError(f"step {step} is before this history's first state ({self.first_state})")
        at = self._steps[bisect.bisect_right(self._steps, step) - 1]
        return at, self._states[at]

    def truncate(self, step: int) -> None:
        """Forget everything after `step` (going back, then on, writes a new future)."""
        del self.losses[step + 1:]
        del self.test_losses[step + 1:]
        del self.learning_rates[step + 1:]
        for s in [s for s in self.edits if s > step]:
            del self.edits[s]
        cut = bisect.bisect_right(self._steps, step)
        for s in self._steps[cut:]:
            self._bytes -= self._states.pop(s).nbytes + STATE_OVERHEAD
        del self._steps[cut:]

    def _thin(self, newest: int) -> bool:
        """Double the stride of old states; False when nothing more can go."""
        self._stride *= 2
        keep = []
        for s in self._steps:
            if s % self._stride == 0 or s > newest - self.keep_recent:
                keep.append(s)
            else:
                self._bytes -= self._states.pop(s).nbytes + STATE_OVERHEAD
        removed = len(keep) != len(self._steps)
        self._steps = keep
        return removed

    def series(self, max_points: int, test: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(steps, losses) downsampled to at most `max_points`, keeping the last step.

        Charts redraw everything on every frame: a long run is drawn from a strided sample.
        """
        values = np.frombuffer(self.test_losses if test else self.losses, dtype=float)
        n = len(values)
        if n == 0 or max_points <= 0:
            return np.empty(0), np.empty(0)
        stride = max(1, -(-n // max_points))
        steps = np.arange(0, n, stride)
        if steps[-1] != n - 1:
            steps = np.append(steps, n - 1)
        return steps.astype(float), values[steps].copy()
