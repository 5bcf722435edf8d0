"""Training: the torch model, the phase-by-phase trainer, its history and its snapshots."""
