"""Reading scenarios: TOML and CSV in, a validated frozen `Scenario` out (no torch).

reader (typed TOML access, ScenarioError) ← dataset ← scenario ← overrides, catalog: no cycle.
"""
