"""Several runs racing from the same start: one `Trainer` per `[[compare]]` run, stepped together.

All runs start from the same initial weights: a layer whose shape agrees with the base file's
layer at the same position starts from the base model's numbers (the file's, or drawn once from
its seed), so changing the seed or the optimizer of one run never changes where it starts.
Minibatches come from `train.seed` (see `Trainer.batch_rows`), so runs that keep the seed and
batch size see the same rows at every step. `shared_start` is also what `dltui run --run NAME`
trains, so a run alone gives exactly the numbers it gives beside the others.
"""

from __future__ import annotations

from dltui.engine.load.compare import Run, comparison_runs, find_run
from dltui.engine.load.overrides import with_overrides
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.model import build_model
from dltui.engine.train.snapshot import Snapshot
from dltui.engine.train.trainer import Trainer


def shared_start(base: Scenario, run: Run) -> Scenario:
    """The run's scenario with every shape-compatible layer starting from the base model's weights."""
    model = build_model(base)
    base_linears = list(model[0::2])
    overrides = {}
    fan_in_base, fan_in_run = base.data.n_features, run.scenario.data.n_features
    for index, (spec, base_spec) in enumerate(zip(run.scenario.layers, base.layers), start=1):
        linear = base_linears[index - 1]
        same_shape = (fan_in_run == fan_in_base and spec.units == base_spec.units)
        if same_shape and spec.weight is None:
            overrides[f"model.layers[{index}].weight"] = linear.weight.detach().tolist()
        if same_shape and spec.has_bias and base_spec.has_bias and spec.bias is None:
            overrides[f"model.layers[{index}].bias"] = linear.bias.detach().tolist()
        fan_in_base, fan_in_run = base_spec.units, spec.units
    if not overrides:
        return run.scenario
    return with_overrides(run.scenario, overrides)


def run_alone(base: Scenario, name: str) -> Scenario:
    """`dltui run --run NAME`: that run's scenario, starting exactly where it starts in the race."""
    return shared_start(base, find_run(base, name))


class Comparison:
    """The runs of a comparison, stepped together; `selected` is the run the tables follow."""

    def __init__(self, scenario: Scenario, history_budget_bytes: int = 32 << 20):
        self.scenario = scenario
        self.runs: tuple[Run, ...] = comparison_runs(scenario)
        budget = max(4 << 20, history_budget_bytes // max(1, len(self.runs)))
        self.trainers = [Trainer(shared_start(scenario, run), budget) for run in self.runs]
        self.selected = 0

    def __len__(self) -> int:
        return len(self.trainers)

    @property
    def trainer(self) -> Trainer:
        return self.trainers[self.selected]

    def select(self, index: int) -> None:
        if not 0 <= index < len(self.trainers):
            raise IndexError(f"run {index + 1} does not exist (1..{len(self.trainers)})")
        self.selected = index

    def snapshots(self) -> list[Snapshot]:
        return [t.snapshot() for t in self.trainers]

    def advance(self) -> list[Snapshot]:
        """One phase of every run that has not diverged."""
        return [t.advance() for t in self.trainers]

    def step(self) -> list[Snapshot]:
        return [t.step() for t in self.trainers]

    def run(self, steps: int) -> int:
        """`steps` whole steps of every run; returns the most any run did."""
        return max(t.run(steps) for t in self.trainers)

    def back(self) -> list[Snapshot]:
        return [t.back() for t in self.trainers]

    def reset(self) -> list[Snapshot]:
        return [t.reset() for t in self.trainers]

    @property
    def diverged(self) -> bool:
        """Every run has diverged: nothing is left to step."""
        return all(t.diverged for t in self.trainers)
