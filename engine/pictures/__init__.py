"""What the picture views draw: loss landscapes, decision boundaries, the network layout."""

from dltui.engine.load.scenario import VIEW_NAMES  # noqa: F401  (the views, in `v` order)
