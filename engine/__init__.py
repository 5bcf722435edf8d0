"""dltui's engine: scenarios, a real torch model stepped phase by phase, snapshots, history.

No Textual, no rich here. `Trainer` needs torch; everything else imports without it, so a
screen can show a scenario before torch has loaded.
"""

from dltui.engine.load.catalog import DEFAULT_SCENARIO, bundled_names, bundled_titles, open_scenario, resolve
from dltui.engine.load.overrides import with_overrides
from dltui.engine.load.scenario import Scenario, ScenarioError, load_scenario
from dltui.engine.train.snapshot import LayerSnapshot, Phase, Snapshot

__all__ = [
    "DEFAULT_SCENARIO", "LayerSnapshot", "Phase", "Scenario", "ScenarioError", "Snapshot",
    "bundled_names", "bundled_titles", "load_scenario", "open_scenario", "resolve", "with_overrides",
]
