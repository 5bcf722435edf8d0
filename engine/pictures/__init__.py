"""What the picture views draw: loss landscapes, decision boundaries, the network layout."""

# The picture views a screen can show, in the order `v` steps through them. A scenario may name
# the one it opens on: `[display] view = "boundary"` (engine.load.scenario checks the name).
VIEW_NAMES = ("loss", "landscape1d", "landscape2d", "boundary", "activation", "hidden", "network", "paint")
