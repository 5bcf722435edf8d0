"""Several runs racing from the same start: one `Trainer` per `[[compare]]` run, stepped together.

All runs start from the same initial weights: a layer whose shape agrees with the base file's
layer at the same position starts from the base model's numbers (the file's, or drawn once from
its seed), so changing the seed or the optimizer of one run never changes where it starts.
Minibatches come from `train.seed` (see `Trainer.batch_rows`), so runs that keep the seed and
batch size see the same rows at every step. `shared_starts` is also what `dltui run --run NAME`
trains, so a run alone gives exactly the numbers it gives beside the others.

`Run` is what a session drives: `Single` (one trainer) and `Comparison` (several) have the same
explicit methods, so nothing has to ask which one it holds and nothing is forwarded by name.
"""

from __future__ import annotations

from dltui.engine.load import compare
from dltui.engine.load.compare import comparison_runs, find_run, saved_comparison
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


def _shared_start(base: Scenario, base_linears: list, run: compare.Run) -> Scenario:
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


class Run:
    """One run as a session drives it: moves act on every trainer behind it, reads follow the
    selected one. `Single` has one trainer, always selected; `Comparison` has one per run."""

    trainers: list[Trainer]
    runs: tuple[compare.Run, ...] = ()    # a comparison's runs in file order; () for a single run
    selected = 0

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

    def set_learning_rate(self, lr: float) -> Snapshot:
        """The selected run's rate only (a comparison's screen says which run)."""
        return self.trainer.set_learning_rate(lr)

    @property
    def diverged(self) -> bool:
        """Every run has diverged: nothing is left to step."""
        return all(t.diverged for t in self.trainers)

    @property
    def at_beginning(self) -> bool:
        return all(t.at_beginning for t in self.trainers)

    def loss_curves(self, max_points: int) -> list[tuple[str, object, object]]:
        """(run name, steps, losses) of every run, for one chart."""
        return [(run.name, *t.loss_series(max_points)) for run, t in zip(self.runs, self.trainers)]

    def parameter_paths(self, max_points: int = 200) -> list[tuple[str, object]]:
        """(run name, flat parameter vectors) of every run whose parameters share the selected
        run's shapes ‒ the paths a landscape can draw together."""
        def shapes(t: Trainer) -> list:
            return [(layer.weight.shape, None if layer.bias is None else layer.bias.shape)
                    for layer in t.snapshot().layers]

        mine = shapes(self.trainer)
        return [(run.name, t.parameter_path(max_points)[1]) for run, t in zip(self.runs, self.trainers)
                if shapes(t) == mine]


class Single(Run):
    """One scenario's trainer, driven like a comparison of one."""

    def __init__(self, scenario: Scenario, history_budget_bytes: int = 32 << 20):
        self.trainers = [Trainer(scenario, history_budget_bytes)]

    def current_scenario(self) -> Scenario:
        """The setup in force with the run where it is now (what `s` and `e` save)."""
        return self.trainer.current_scenario()

    def journals(self) -> list[tuple[None, list]]:
        """[(None, `Trainer.journal()`)]: what an export replays."""
        return self.trainer.journals()


class Comparison(Run):
    """The runs of a comparison, stepped together.

    Whatever moves training (a phase, a step, play, back, reset) acts on every run; whatever
    reads state follows the `selected` run, the one the tables and the arithmetic show. A
    learning-rate change acts on the selected run only.
    """

    def __init__(self, scenario: Scenario, history_budget_bytes: int = 32 << 20):
        self.scenario = scenario
        self.runs: tuple[compare.Run, ...] = comparison_runs(scenario)
        budget = max(4 << 20, history_budget_bytes // max(1, len(self.runs)))
        self.trainers = [Trainer(start, budget) for start in shared_starts(scenario, self.runs)]
        self.selected = 0

    def __len__(self) -> int:
        return len(self.trainers)

    def current_scenario(self) -> Scenario:
        """Every run where it is now, as one comparison (what `s` and `e` save): loaded, each run
        goes on exactly as it would have here."""
        return saved_comparison(self.scenario, self.runs, [t.current_scenario() for t in self.trainers])

    def journals(self) -> list[tuple[str, list]]:
        """(run name, `Trainer.journal()`) of every run: what an export replays."""
        return [(run.name, t.journal()) for run, t in zip(self.runs, self.trainers)]


def open_run(scenario: Scenario, history_budget_bytes: int = 32 << 20) -> Run:
    """The run a scenario describes: a comparison for `[[compare]]` tables, else one trainer."""
    kind = Comparison if compare.is_comparison(scenario) else Single
    return kind(scenario, history_budget_bytes)
