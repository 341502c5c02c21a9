"""Why a group of accounts is (or is not) a cluster: the evidence its members share, column by column.

`shared_evidence` lists every column that at least two of the given accounts are in, with the
column's size, how many of the group are in it, and the weight detection gives it (after inverse
frequency and organisation context), so one can see which links tie a lab or a startup into a
flagged cluster, or why a small campaign ties into none. Read-only; for analysts and evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from clusters.graph.kinds import RULES, LinkKind
from clusters.graph.model import EvidenceGraph
from clusters.graph.weights import column_weights


@dataclass(frozen=True, slots=True)
class SharedColumn:
    kind: str
    column_accounts: int  # accounts in the column, the whole graph over
    group_accounts: int  # of them, accounts of the group
    weight: float  # what detection counts for it (0: ignored)
    strong: bool  # joins a component by itself


def shared_evidence(graph: EvidenceGraph, account_keys: list[int]) -> list[SharedColumn]:
    """Columns shared by at least two of these accounts (by primary key), heaviest first."""
    weights = column_weights(graph)
    member = np.isin(graph.account_keys[graph.rows], np.asarray(account_keys, np.int64))
    cols, counts = np.unique(graph.cols[member], return_counts=True)
    shared = [
        SharedColumn(
            kind=RULES[LinkKind(int(graph.column_kind[c]))].name,
            column_accounts=int(weights.size[c]),
            group_accounts=int(k),
            weight=round(float(weights.weight[c]), 4),
            strong=bool(weights.strong[c]),
        )
        for c, k in zip(cols.tolist(), counts.tolist(), strict=True)
        if k >= 2
    ]
    return sorted(shared, key=lambda s: (-s.weight * s.group_accounts, s.kind))


def weight_by_kind(columns: list[SharedColumn]) -> dict[str, float]:
    """Per link kind, the weighted incidences the group's shared columns give it (what dense search counts)."""
    totals: dict[str, float] = defaultdict(float)
    for column in columns:
        totals[column.kind] += column.weight * column.group_accounts
    return dict(sorted(((k, round(v, 3)) for k, v in totals.items()), key=lambda item: -item[1]))
