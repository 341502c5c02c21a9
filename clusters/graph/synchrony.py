"""SynchroTrap-style synchrony within a candidate group.

Each account's activity is a set of (time bucket, template or category, model) and
(time bucket, network) columns; two accounts are in step when the Jaccard similarity of
their sets is high. Pairs are compared only within a candidate group (Cao et al.,
SynchroTrap, CCS 2014), on a deterministic sample of at most MAX_COMPARED members.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

MAX_COMPARED = 400
IN_STEP_JACCARD = 0.3
POPULAR_FACTOR = 2


def group_synchrony(
    members: np.ndarray, rows: np.ndarray, cols: np.ndarray, column_size: np.ndarray
) -> tuple[float, int]:
    """Share of the group's active members whose closest peer is in step, and how many members were active.

    `rows`/`cols` are the synchrony incidences of the whole graph, sorted by row. A column far
    bigger than the group (a template everyone uses, a busy hour) is ignored: being in step
    with the whole population is not synchrony.
    """
    start = np.searchsorted(rows, members, side="left")
    stop = np.searchsorted(rows, members, side="right")
    is_active = stop > start
    n_active = int(is_active.sum())
    if n_active < 2:
        return 0.0, n_active
    start, stop = start[is_active], stop[is_active]
    if n_active > MAX_COMPARED:
        sample = np.linspace(0, n_active - 1, MAX_COMPARED).astype(np.int64)
        start, stop = start[sample], stop[sample]
    pieces = [np.arange(a, b) for a, b in zip(start, stop, strict=True)]
    index = np.concatenate(pieces)
    local_rows = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    specific = column_size[cols[index]] <= POPULAR_FACTOR * len(members)
    index, local_rows = index[specific], local_rows[specific]
    if not len(index):
        return 0.0, n_active
    _, local_cols = np.unique(cols[index], return_inverse=True)
    activity = csr_matrix(
        (np.ones(len(index), np.float32), (local_rows, local_cols)), shape=(len(pieces), local_cols.max() + 1)
    )
    activity.data[:] = 1.0  # repeated incidences count once
    shared = (activity @ activity.T).toarray()
    counts = np.diag(shared).copy()
    union = counts[:, None] + counts[None, :] - shared
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    np.fill_diagonal(jaccard, 0.0)
    in_step = jaccard.max(axis=1) >= IN_STEP_JACCARD
    return float(in_step.mean()), n_active
