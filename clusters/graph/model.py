"""What a detector takes and gives: the evidence graph as arrays, and the groups it finds.

`GraphDetector` is the interface a detection engine implements: the in-process one
(`clusters.graph.detector.InProcessDetector`, numpy/scipy) or a distributed one
(Spark GraphFrames, Dask) reading the same columns from shared storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


@dataclass(slots=True)
class EvidenceGraph:
    """Accounts × evidence columns, as a bipartite incidence list; accounts are 0..n-1, columns 0..m-1."""

    rows: np.ndarray  # int32[nnz]: account index of each incidence
    cols: np.ndarray  # int32[nnz]: column index of each incidence
    seen: np.ndarray  # float64[nnz]: event time (epoch seconds) the account was first seen in the column
    column_kind: np.ndarray  # int16[m]: LinkKind of each column
    member_score: np.ndarray  # float32[n]: each account's own current score
    label: np.ndarray  # int8[n]: 1 labelled abusive, -1 labelled legitimate, 0 unlabelled
    academic: np.ndarray  # bool[n]: signed up with a real institution's email
    account_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # int64[n]: caller's keys (pks)

    @property
    def n_accounts(self) -> int:
        return len(self.member_score)

    @property
    def n_columns(self) -> int:
        return len(self.column_kind)


@dataclass(slots=True)
class DetectedGroup:
    """A group of accounts (indices into the graph) and the features the cluster score is computed from."""

    members: np.ndarray  # int64[k], sorted
    features: dict[str, float]
    links: list[dict]  # [{"kind": name, "accounts": k}], most accounts first
    joined: np.ndarray  # float64[k]: event time each member was first linked to another member
    last_seen: float
    found_by: str  # the searches that made it: "components", "risk_seeded", "dense_block", joined by "+"


class GraphDetector(Protocol):
    """Finds groups of linked accounts in an evidence graph. Implementations must be deterministic."""

    def detect(self, graph: EvidenceGraph) -> list[DetectedGroup]: ...
