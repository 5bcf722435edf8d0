"""What the picture views draw: loss landscapes, decision boundaries, the network layout, and
the registry of what each view fits and computes (registry.py)."""
