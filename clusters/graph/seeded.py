"""Risk-seeded grouping: accounts the account model already suspects follow their closest suspect.

A quiet campaign shares nothing telling, and its weak evidence (in-step hours, proxy exits,
/24s) is what thousands of honest pairs share too, so no search over the whole population
can group it. Among the few accounts the account model scores high or analysts
labelled abusive, the same evidence is telling (guilt by association among suspects): each
suspect in no component joins the suspect it shares the most weighted weak evidence with, if
that reaches the attaching bar. Trees of such links join the component at their root, or
become a group of their own; links never start at a component member, so components never
merge. A week's template is not counted: campaigns' extraction wrappers land on the same
popular templates as each other and as researchers' benchmarks.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from clusters.graph.kinds import LinkKind
from clusters.graph.model import EvidenceGraph
from clusters.graph.peeling import MIN_BLOCK_ACCOUNTS
from clusters.graph.weights import ColumnWeights

# The default policy's high band: the account model's own flag. Analysts' labels override it either way.
SUSPECT_SCORE = 0.5


def suspects(graph: EvidenceGraph) -> np.ndarray:
    """bool[n]: scored high by the account model or labelled abusive, and not labelled legitimate."""
    return ((graph.member_score >= SUSPECT_SCORE) | (graph.label == 1)) & (graph.label != -1)


def follow_suspect_peers(
    graph: EvidenceGraph, weights: ColumnWeights, labels: np.ndarray, *, min_weight: float, min_columns: int
) -> set[int]:
    """Place suspects in no group (labels < 0) by their closest suspect, in place; returns the groups placed into."""
    suspect = suspects(graph)
    loose = suspect & (labels < 0)
    if not loose.any() or suspect.sum() < 2:
        return set()
    kind = graph.column_kind[graph.cols]
    usable = (weights.weight[graph.cols] > 0) & ~weights.strong[graph.cols] & (kind != LinkKind.TEMPLATE)
    accounts = np.flatnonzero(suspect)
    on = usable & suspect[graph.rows]
    local = np.searchsorted(accounts, graph.rows[on])
    cols = graph.cols[on]
    shape = (len(accounts), graph.n_columns)
    evidence = csr_matrix((weights.weight[cols].astype(np.float64), (local, cols)), shape=shape)
    presence = csr_matrix((np.ones(len(cols)), (local, cols)), shape=shape)
    sources = np.flatnonzero(loose[accounts])
    # Shared weight and shared columns of each loose suspect with every suspect (the same sparsity: weights > 0).
    shared_weight = (evidence[sources] @ presence.T).tocsr()
    shared_columns = (presence[sources] @ presence.T).tocsr()
    shared_weight.sort_indices()
    shared_columns.sort_indices()
    source = np.repeat(np.arange(len(sources)), np.diff(shared_weight.indptr))
    peer, weight, columns = shared_weight.indices, shared_weight.data, shared_columns.data
    ok = (sources[source] != peer) & (weight >= min_weight) & (columns >= min_columns)
    source, peer, weight = source[ok], peer[ok], weight[ok]
    if not len(source):
        return set()
    # Each loose suspect's closest peer (ties to the lowest index, so runs are deterministic).
    order = np.lexsort((peer, -weight, source))
    first = order[np.r_[True, source[order][1:] != source[order][:-1]]]
    links = coo_matrix(
        (np.ones(len(first), np.int8), (sources[source[first]], peer[first])), shape=(len(accounts), len(accounts))
    )
    n_trees, tree = connected_components(links, directed=False)
    account_label = labels[accounts]
    linked = np.zeros(n_trees, bool)
    linked[tree[sources[source[first]]]] = True
    # Only loose suspects have links, so a tree holds at most one placed account (its root): the tree joins its group.
    target = np.full(n_trees, -1, np.int64)
    placed_root = linked[tree] & (account_label >= 0)
    target[tree[placed_root]] = account_label[placed_root]
    # A tree of loose suspects alone is a group of its own if it is as big as a dense block must be.
    own = linked & (target < 0) & (np.bincount(tree, minlength=n_trees) >= MIN_BLOCK_ACCOUNTS)
    target[own] = int(labels.max()) + 1 + np.arange(int(own.sum()))
    joining = (account_label < 0) & (target[tree] >= 0)
    labels[accounts[joining]] = target[tree[joining]]
    return {int(t) for t in np.unique(target[tree[joining]])}
