"""Incremental detection: new evidence re-examines only the part of the graph it touches.

A full run keeps its state (the graph, column sizes and weights, each account's group,
and indexes from account and from column to incidences). New incidences then affect
only their columns' accounts and the groups those accounts were in; detection runs on
that region with the global column sizes, and every other group stays as it was. A
periodic full run re-derives everything (context shares of columns partly outside a
region are approximated from the region between full runs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from clusters.graph.detector import InProcessDetector
from clusters.graph.model import DetectedGroup, EvidenceGraph
from clusters.graph.weights import column_weights


@dataclass(slots=True)
class DetectionState:
    graph: EvidenceGraph
    size: np.ndarray  # int64[m]: accounts per column, over the whole graph
    labels: np.ndarray  # int64[n]: each account's group, -1 for none
    by_row: csr_matrix  # row i's incidence indices: indices[indptr[i]:indptr[i + 1]]
    by_col: csr_matrix  # the same from each column
    indexed: int  # incidences covered by by_row and by_col (those of the last full run)
    groups: dict[int, DetectedGroup]


def _labels_of(n: int, groups: list[DetectedGroup], first_label: int = 0) -> tuple[np.ndarray, dict]:
    labels = np.full(n, -1, np.int64)
    by_label = {}
    for offset, group in enumerate(groups):
        labels[group.members] = first_label + offset
        by_label[first_label + offset] = group
    return labels, by_label


def full_run(graph: EvidenceGraph, detector: InProcessDetector | None = None) -> DetectionState:
    groups = (detector or InProcessDetector()).detect(graph)
    labels, by_label = _labels_of(graph.n_accounts, groups)
    return DetectionState(
        graph=graph,
        size=np.bincount(graph.cols, minlength=graph.n_columns).astype(np.int64),
        labels=labels,
        by_row=_index(graph.rows, graph.n_accounts),
        by_col=_index(graph.cols, graph.n_columns),
        indexed=len(graph.rows),
        groups=by_label,
    )


def _index(values: np.ndarray, n: int) -> csr_matrix:
    """Incidences grouped by value in O(nnz) (scipy's counting sort), not an O(nnz log nnz) argsort."""
    nnz = len(values)
    return csr_matrix((np.ones(nnz, np.int8), (values, np.arange(nnz))), shape=(n, max(nnz, 1)))


def _incidences_of(keys: np.ndarray, index: csr_matrix) -> np.ndarray:
    """Incidence indices of the given rows or columns (`keys`), through their index."""
    start, stop = index.indptr[keys], index.indptr[keys + 1]
    lengths = stop - start
    if not lengths.sum():
        return np.zeros(0, np.int64)
    offsets = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    return index.indices[offsets].astype(np.int64)


def add_evidence(
    state: DetectionState,
    *,
    rows: np.ndarray,
    cols: np.ndarray,
    seen: np.ndarray,
    detector: InProcessDetector | None = None,
) -> list[DetectedGroup]:
    """Detect again where new incidences (existing accounts and columns) land; returns the region's groups.

    The state is updated in place.
    """
    graph = state.graph
    np.add.at(state.size, cols, 1)
    graph.rows = np.concatenate([graph.rows, rows.astype(np.int32)])
    graph.cols = np.concatenate([graph.cols, cols.astype(np.int32)])
    graph.seen = np.concatenate([graph.seen, seen])
    # Incidences since the last full run are not in the sorted indexes: they are few, and scanned.
    tail = np.arange(state.indexed, len(graph.rows))

    touched_cols = np.unique(cols)
    hits = np.concatenate(
        [
            _incidences_of(touched_cols[touched_cols < state.by_col.shape[0]], state.by_col),
            tail[np.isin(graph.cols[tail], touched_cols)],
        ]
    )
    touched_accounts = np.unique(graph.rows[hits])
    touched_groups = np.unique(state.labels[touched_accounts])
    touched_groups = touched_groups[touched_groups >= 0]
    in_groups = np.flatnonzero(np.isin(state.labels, touched_groups)) if len(touched_groups) else np.zeros(0, np.int64)
    region = np.unique(np.concatenate([touched_accounts, in_groups]))
    incidences = np.concatenate(
        [_incidences_of(region[region < state.by_row.shape[0]], state.by_row), tail[np.isin(graph.rows[tail], region)]]
    )

    local_rows = np.searchsorted(region, graph.rows[incidences])
    columns, local_cols = np.unique(graph.cols[incidences], return_inverse=True)
    sub = EvidenceGraph(
        rows=local_rows.astype(np.int32),
        cols=local_cols.astype(np.int32),
        seen=graph.seen[incidences],
        column_kind=graph.column_kind[columns],
        member_score=graph.member_score[region],
        label=graph.label[region],
        academic=graph.academic[region],
        account_keys=graph.account_keys[region],
    )
    detector = detector or InProcessDetector()
    weights = column_weights(sub, size=state.size[columns])
    found = detector.detect_with(sub, weights)
    for label in touched_groups:
        state.groups.pop(int(label), None)
    state.labels[region] = -1
    first = int(max(state.groups, default=-1)) + 1
    for group in found:
        group.members = region[group.members]
    labels, by_label = _labels_of(graph.n_accounts, found, first_label=first)
    assigned = labels >= 0
    state.labels[assigned] = labels[assigned]
    state.groups.update(by_label)
    return found
