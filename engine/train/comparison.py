"""Several runs racing from the same start: one `Trainer` per `[[compare]]` run, stepped together.

All runs start from the same initial weights: a layer whose shape agrees with the base file's
layer at the same position starts from the base model's numbers (the file's, or drawn once from
its seed), so changing the seed or the optimizer of one run never changes where it starts.
Minibatches come from `train.seed` (see `Trainer.batch_rows`), so runs that keep the seed and
batch size see the same rows at every step. `shared_starts` is also what `dltui run --run NAME`
trains, so a run alone gives exactly the numbers it gives beside the others.
"""

from __future__ import annotations

from dltui.engine.load.compare import Run, comparison_runs, find_run, saved_comparison
from dltui.engine.load.overrides import weight_overrides, with_overrides
from dltui.engine.load.scenario import Scenario
from dltui.engine.train.model import build_model
from dltui.engine.train.snapshot import Snapshot
from dltui.engine.train.trainer import Trainer, layer_values


def shared_starts(base: Scenario, runs) -> list[Scenario]:
    """Each run's scenario with every shape-compatible layer starting from the base model's
    weights (the base model is built once for all of them)."""
    base_linears = list(build_model(base)[0::2])
    return [_shared_start(base, base_linears, run) for run in runs]


def _shared_start(base: Scenario, base_linears: list, run: Run) -> Scenario:
    values = []   # (weight, bias) from the base model where the run's layer fits and sets none
    fan_in_base, fan_in_run = base.data.n_features, run.scenario.data.n_features
    for spec, base_spec, (weight, bias) in zip(run.scenario.layers, base.layers, layer_values(base_linears)):
        same_shape = (fan_in_run == fan_in_base and spec.units == base_spec.units)
        values.append((weight if same_shape and spec.weight is None else None,
                       bias if same_shape and spec.has_bias and spec.bias is None else None))
        fan_in_base, fan_in_run = base_spec.units, spec.units
    overrides = weight_overrides(values)
    if not overrides:
        return run.scenario
    return with_overrides(run.scenario, overrides)


def run_alone(base: Scenario, name: str) -> Scenario:
    """`dltui run --run NAME`: that run's scenario, starting exactly where it starts in the race."""
    return shared_starts(base, [find_run(base, name)])[0]


class Comparison:
    """The runs of a comparison, stepped together, shaped like one `Trainer` for a screen.

    Whatever moves training (a phase, a step, play, back, reset, going to a step) acts on every
    run; whatever reads state (snapshot, history, the path, the model) follows the `selected`
    run, the one the tables and the arithmetic show. A learning-rate change acts on the selected
    run only (the screen says which).
    """

    def __init__(self, scenario: Scenario, history_budget_bytes: int = 32 << 20):
        self.scenario = scenario
        self.runs: tuple[Run, ...] = comparison_runs(scenario)
        budget = max(4 << 20, history_budget_bytes // max(1, len(self.runs)))
        self.trainers = [Trainer(start, budget) for start in shared_starts(scenario, self.runs)]
        self.selected = 0

    def __len__(self) -> int:
        return len(self.trainers)

    def __getattr__(self, name: str):
        """Reads the screen makes of a trainer (history, loss_series, parameter_path, model, …)
        come from the selected run."""
        if name.startswith("__") or name in ("trainers", "selected"):
            raise AttributeError(name)
        return getattr(self.trainers[self.selected], name)

    @property
    def trainer(self) -> Trainer:
        return self.trainers[self.selected]

    def select(self, index: int) -> Snapshot:
        if not 0 <= index < len(self.trainers):
            raise IndexError(f"run {index + 1} does not exist (1..{len(self.trainers)})")
        self.selected = index
        return self.snapshot()

    def snapshot(self) -> Snapshot:
        return self.trainer.snapshot()

    def snapshots(self) -> list[Snapshot]:
        return [t.snapshot() for t in self.trainers]

    def advance(self) -> Snapshot:
        """One phase of every run that has not diverged."""
        for t in self.trainers:
            t.advance()
        return self.snapshot()

    def step(self) -> Snapshot:
        for t in self.trainers:
            t.step()
        return self.snapshot()

    def run(self, steps: int) -> int:
        """`steps` whole steps of every run; returns the most any run did."""
        return max(t.run(steps) for t in self.trainers)

    def back(self) -> Snapshot:
        for t in self.trainers:
            t.back()
        return self.snapshot()

    def reset(self) -> Snapshot:
        for t in self.trainers:
            t.reset()
        return self.snapshot()

    def go_to(self, step: int) -> Snapshot:
        for t in self.trainers:
            t.go_to(min(step, len(t.history) - 1))
        return self.snapshot()

    def set_learning_rate(self, lr: float) -> Snapshot:
        return self.trainer.set_learning_rate(lr)

    def current_scenario(self) -> Scenario:
        """Every run where it is now, as one comparison (what `s` and `e` save): loaded, each run
        goes on exactly as it would have here."""
        return saved_comparison(self.scenario, self.runs, [t.current_scenario() for t in self.trainers])

    def journals(self) -> list[tuple[str, list]]:
        """(run name, `Trainer.journal()`) of every run: what an export replays."""
        return [(run.name, t.journal()) for run, t in zip(self.runs, self.trainers)]

    @property
    def diverged(self) -> bool:
        """Every run has diverged: nothing is left to step."""
        return all(t.diverged for t in self.trainers)

    def loss_curves(self, max_points: int) -> list[tuple[str, object, object]]:
        """(run name, steps, losses) of every run, for one chart."""
        return [(run.name, *t.loss_series(max_points)) for run, t in zip(self.runs, self.trainers)]

    def parameter_paths(self, max_points: int = 200) -> list[tuple[str, object]]:
        """(run name, flat parameter vectors) of every run whose parameters share the selected
        run's shapes — the paths a landscape can draw together."""
        def shapes(t: Trainer) -> list:
            return [(layer.weight.shape, None if layer.bias is None else layer.bias.shape)
                    for layer in t.snapshot().layers]

        mine = shapes(self.trainer)
        return [(run.name, t.parameter_path(max_points)[1]) for run, t in zip(self.runs, self.trainers)
                if shapes(t) == mine]
