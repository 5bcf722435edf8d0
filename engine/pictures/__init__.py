"""What the picture views draw: loss landscapes, decision boundaries, the network layout."""
