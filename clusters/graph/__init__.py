"""The link graph and detection over it, in plain numpy/scipy: no Django below `clusters.graph.load`."""
