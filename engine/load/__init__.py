"""Reading scenarios: TOML and CSV in, a validated frozen `Scenario` out (no torch)."""
