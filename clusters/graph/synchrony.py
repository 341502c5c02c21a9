"""SynchroTrap-style synchrony within candidate groups, for every group at once.

Each account's activity is a set of action columns (hour, template or category, model);
sharing a network or a week's template is being together, not acting in step, and does
not count (a team on one office address is not synchronised). Two accounts are in step when the
Jaccard similarity of their sets is high. Pairs are compared only within a group (Cao
et al., SynchroTrap, CCS 2014), never across the population. A column far bigger than
the group holds less than half of (a template everyone uses, a busy hour) is ignored:
being in step with everyone is not synchrony; nor is a column no one else in the group
is in (a one-off address dilutes the similarity without saying anything). Groups above
MAX_COMPARED members are compared on a deterministic sample of that many.
"""

from __future__ import annotations

import numpy as np

MAX_COMPARED = 400
IN_STEP_JACCARD = 0.3
IN_GROUP_SHARE = 0.5


def groups_synchrony(
    labels: np.ndarray, rows: np.ndarray, cols: np.ndarray, column_size: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the share of its active members whose closest peer is in step, and how many were active.

    `rows`/`cols` are the synchrony incidences of the whole graph; `labels` each account's group (-1: none).
    """
    group = labels[rows]
    size = np.bincount(labels[labels >= 0], minlength=n_groups)
    keep = group >= 0
    rows, cols, group = rows[keep], cols[keep], group[keep]
    if not len(rows):
        return np.zeros(n_groups), np.zeros(n_groups, np.int64)

    # A column counts for a group only if the group holds at least half of it: a busy hour or a
    # popular template shared with the whole population says nothing about this group.
    order = np.lexsort((rows, cols, group))
    rows, cols, group = rows[order], cols[order], group[order]
    key = group.astype(np.int64) * (int(cols.max()) + 1) + cols
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    run_length = np.diff(np.r_[starts, len(key)])
    in_group = np.repeat(run_length, run_length)
    keep = (in_group >= 2) & (in_group >= IN_GROUP_SHARE * column_size[cols])
    keep &= _sampled(labels, size)[rows]
    rows, cols, group, key = rows[keep], cols[keep], group[keep], key[keep]

    active_rows = np.unique(rows)
    active = np.bincount(labels[active_rows], minlength=n_groups)
    if not len(rows):
        return np.zeros(n_groups), active
    per_account = np.bincount(rows, minlength=len(labels))

    # Members of the same group in the same column, as pairs (a < b by position), counted per pair.
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    run_end = np.repeat(np.r_[starts[1:], len(key)], np.diff(np.r_[starts, len(key)]))
    partners = run_end - np.arange(len(key)) - 1
    first = np.repeat(np.arange(len(key)), partners)
    offsets = np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    second = first + 1 + offsets
    a, b = rows[first].astype(np.int64), rows[second].astype(np.int64)
    pair, shared = np.unique(a * len(labels) + b, return_counts=True)
    a, b = pair // len(labels), pair % len(labels)
    jaccard = shared / (per_account[a] + per_account[b] - shared)

    best = np.zeros(len(labels))
    np.maximum.at(best, a, jaccard)
    np.maximum.at(best, b, jaccard)
    in_step = np.bincount(labels[active_rows], weights=best[active_rows] >= IN_STEP_JACCARD, minlength=n_groups)
    share = np.divide(in_step, active, out=np.zeros(n_groups), where=active >= 2)
    return share, active


def _sampled(labels: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Which accounts are compared: all of a small group, MAX_COMPARED evenly spaced members of a big one."""
    chosen = np.ones(len(labels), bool)
    for g in np.flatnonzero(size > MAX_COMPARED):
        members = np.flatnonzero(labels == g)
        chosen[members] = False
        chosen[members[np.linspace(0, len(members) - 1, MAX_COMPARED).astype(np.int64)]] = True
    return chosen
