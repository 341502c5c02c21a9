"""Builds small evidence graphs for detector tests from (account, kind, column name) triples."""

from __future__ import annotations

import numpy as np

from clusters.graph.kinds import LinkKind
from clusters.graph.model import EvidenceGraph


def graph_of(
    links: list[tuple[int, LinkKind, str]],
    *,
    accounts: int,
    scores: dict[int, float] | None = None,
    labels: dict[int, int] | None = None,
    academic: set[int] = frozenset(),
) -> EvidenceGraph:
    names: dict[tuple[LinkKind, str], int] = {}
    rows, cols = [], []
    for account, kind, name in links:
        rows.append(account)
        cols.append(names.setdefault((kind, name), len(names)))
    kinds = np.zeros(len(names), np.int16)
    for (kind, _), index in names.items():
        kinds[index] = kind
    score = np.full(accounts, 0.05, np.float32)
    label = np.zeros(accounts, np.int8)
    for account, value in (scores or {}).items():
        score[account] = value
    for account, value in (labels or {}).items():
        label[account] = value
    return EvidenceGraph(
        rows=np.array(rows, np.int32),
        cols=np.array(cols, np.int32),
        seen=np.arange(len(rows), dtype=np.float64) * 60.0 + 1.7e9,
        column_kind=kinds,
        member_score=score,
        label=label,
        academic=np.isin(np.arange(accounts), list(academic)),
        account_keys=np.arange(accounts, dtype=np.int64) + 1000,
    )


def own_devices(accounts: range) -> list[tuple[int, LinkKind, str]]:
    """Every account has a device of its own: a column that links nothing."""
    return [(a, LinkKind.DEVICE_ID, f"own-{a}") for a in accounts]
