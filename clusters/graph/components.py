"""Connected components over strong links (`scipy.sparse.csgraph`).

Accounts and strong columns form one bipartite graph, so a column shared by k
accounts costs k edges (a star), not k(k-1)/2 pairs.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from clusters.graph.model import EvidenceGraph


def strong_components(graph: EvidenceGraph, strong: np.ndarray) -> np.ndarray:
    """Component label of each account (0..k-1), or -1 for an account with no strong link."""
    n, m = graph.n_accounts, graph.n_columns
    keep = strong[graph.cols]
    rows, cols = graph.rows[keep], graph.cols[keep].astype(np.int64) + n
    adjacency = coo_matrix((np.ones(len(rows), np.int8), (rows, cols)), shape=(n + m, n + m)).tocsr()
    _, labels = connected_components(adjacency, directed=False)
    accounts = labels[:n]
    sizes = np.bincount(accounts)
    accounts = np.where(sizes[accounts] >= 2, accounts, -1)
    # Renumber 0..k-1 in order of first member, so labels are deterministic and dense.
    linked = accounts >= 0
    _, dense = np.unique(accounts[linked], return_inverse=True)
    out = np.full(n, -1, np.int64)
    out[linked] = dense
    return out
