"""Where every number comes from: explanation terms, generated PyTorch code, the autograd graph."""
