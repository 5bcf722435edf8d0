"""A comparison reads its rows once: runs whose data keys agree share one dataset, so a frame says
"rows" changed only when the rows really did (another normalisation, another split)."""

from __future__ import annotations

from dltui.engine import intents as do
from dltui.engine import open_scenario
from dltui.engine.load import scenario as scenario_module
from dltui.engine.load.compare import comparison_runs
from dltui.engine.load.scenario import load_scenario
from dltui.engine.session import Session


def test_a_step_on_momentum_changes_no_rows_and_its_runs_share_one_dataset():
    session = Session(open_scenario("momentum"))
    first = session.handle(do.Show())
    assert "rows" in first.changed                               # the first frame brings the rows
    datasets = set()
    for intent in (do.Step(), do.Advance(), do.SelectRun(1), do.Step(), do.SetRate(2.0), do.SelectRun(2),
                   do.Back(), do.Reset(), do.Step()):
        frame = session.handle(intent)
        assert "rows" not in frame.changed, (intent, frame.changed)
        datasets |= {id(run.scenario.data) for run in frame.runs} | {id(frame.setup.data)}
    assert len(frame.runs) == 3 and len(datasets) == 1


def test_runs_of_another_normalisation_do_change_the_rows():
    """feature_scaling's runs standardise or not: choosing the other run brings other rows."""
    session = Session(open_scenario("feature_scaling"))
    session.handle(do.Show())
    assert "rows" not in session.handle(do.Step()).changed
    other = session.handle(do.SelectRun(1))
    assert "rows" in other.changed and other.runs[0].scenario.data is not other.runs[1].scenario.data
    assert other.setup.data.normalize == "standard"


def test_runs_that_agree_with_each_other_read_the_csv_once(tmp_path, monkeypatch):
    """Two runs standardise while the base does not: the second borrows the first one's rows."""
    (tmp_path / "d.csv").write_text("x,y\n1,2\n2,4\n3,5\n4,9\n", encoding="utf-8")
    runs = "".join(f'[[compare]]\nname = "{name}"\n"data.normalize" = "{how}"\n"train.learning_rate" = {lr}\n'
                   for name, how, lr in (("raw", "none", 0.01), ("a", "standard", 0.1), ("b", "standard", 0.2)))
    (tmp_path / "race.toml").write_text(
        'title = "race"\n[data]\ncsv = "d.csv"\nfeatures = ["x"]\ntarget = "y"\nnormalize = "none"\n'
        '[[model.layers]]\nunits = 1\nactivation = "identity"\n'
        '[train]\nloss = "mse"\noptimizer = "sgd"\nlearning_rate = 0.01\n' + runs, encoding="utf-8")
    base = load_scenario(tmp_path / "race.toml")
    reads = []
    build = scenario_module.build_dataset
    monkeypatch.setattr(scenario_module, "build_dataset", lambda *a, **k: (reads.append(1), build(*a, **k))[1])
    raw, a, b = comparison_runs(base)
    assert len(reads) == 1                                       # "a" read it; "b" and "raw" did not
    assert raw.scenario.data is base.data and a.scenario.data is b.scenario.data
    assert a.scenario.data is not base.data and a.scenario.data.normalize == "standard"
    assert b.scenario.train.learning_rate == 0.2                 # its own keys are still its own
