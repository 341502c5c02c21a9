"""How telling each evidence column is: kind, inverse frequency, and the context of who shares it.

A card shared by two strangers is telling; the same card shared by forty people with
the same company email, or an address block where most signups use the university's
email, is what an organisation looks like, and weighs little (pathway context).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clusters.graph.kinds import RULES, STRONG_WEIGHT, LinkKind
from clusters.graph.model import EvidenceGraph

_MAX_KIND = max(RULES) + 1
BASE_WEIGHT = np.zeros(_MAX_KIND, np.float32)
MAX_ACCOUNTS = np.zeros(_MAX_KIND, np.int64)
STRONG_KIND = np.zeros(_MAX_KIND, bool)
SYNCHRONY_KIND = np.zeros(_MAX_KIND, bool)
USAGE_KIND = np.zeros(_MAX_KIND, bool)
for _kind, _rule in RULES.items():
    BASE_WEIGHT[_kind] = _rule.base_weight
    MAX_ACCOUNTS[_kind] = _rule.max_accounts
    STRONG_KIND[_kind] = _rule.strong
    SYNCHRONY_KIND[_kind] = _rule.synchrony
    USAGE_KIND[_kind] = _rule.usage

# Columns that tell who an account belongs to (its institution or company).
INSTITUTION_KINDS = (LinkKind.EMAIL_DOMAIN, LinkKind.ACADEMIC_DOMAIN)
# Kinds members of one organisation share as a matter of course: discounted by how alike the sharers are.
ORGANISATION_SHARED = np.zeros(_MAX_KIND, bool)
for _kind in (
    LinkKind.PAYMENT_FINGERPRINT,
    LinkKind.SIGNUP_IP,
    LinkKind.SIGNUP_IP_PREFIX,
    LinkKind.USAGE_IP,
    LinkKind.USAGE_IP_PREFIX,
    LinkKind.ORGANIZATION,
    LinkKind.TEMPLATE,
    LinkKind.SYNCHRONY,
    LinkKind.PHONE,
):
    ORGANISATION_SHARED[_kind] = True
# How much of a column's weight an organisation's look takes away (1.0 would make a team invisible).
CONTEXT_DISCOUNT = 0.75


@dataclass(slots=True)
class ColumnWeights:
    size: np.ndarray  # int64[m]: accounts in each column
    weight: np.ndarray  # float32[m]: 0 for columns that link nothing (one account, or infrastructure)
    strong: np.ndarray  # bool[m]: joins a component by itself (a telling kind, not too popular)
    institution: np.ndarray  # int64[n]: each account's institution column, -1 if none (webmail)


def inverse_frequency(size: np.ndarray) -> np.ndarray:
    """1 for a column shared by two accounts, falling like FRAUDAR's 1/log(size + c) as it grows."""
    return (np.log(5.0) / np.log(np.maximum(size, 2) + 3.0)).astype(np.float32)


def column_weights(graph: EvidenceGraph, *, size: np.ndarray | None = None) -> ColumnWeights:
    """`size` overrides the column sizes when `graph` is a region of a bigger graph (incremental runs)."""
    m, n = graph.n_columns, graph.n_accounts
    kind = graph.column_kind.astype(np.int64)
    if size is None:
        size = np.bincount(graph.cols, minlength=m)
    institution = account_institutions(graph)

    academic_share = np.bincount(graph.cols, weights=graph.academic[graph.rows], minlength=m) / np.maximum(size, 1)
    context = np.maximum(academic_share, _institution_homogeneity(graph, institution, size))
    in_range = (size >= 2) & (size <= MAX_ACCOUNTS[kind])
    raw = np.where(in_range, BASE_WEIGHT[kind] * inverse_frequency(size), 0.0)
    # Context lowers what a column says about abuse, not whether it ties a group: a team sharing its
    # company card is a real cluster, scored low because it looks like a team.
    strong = STRONG_KIND[kind] & (raw >= STRONG_WEIGHT)
    weight = np.where(ORGANISATION_SHARED[kind], raw * (1.0 - CONTEXT_DISCOUNT * context), raw).astype(np.float32)
    assert len(institution) == n
    return ColumnWeights(size=size, weight=weight, strong=strong, institution=institution)


def account_institutions(graph: EvidenceGraph) -> np.ndarray:
    institution = np.full(graph.n_accounts, -1, np.int64)
    is_institution = np.isin(graph.column_kind[graph.cols], np.array(INSTITUTION_KINDS, np.int16))
    institution[graph.rows[is_institution]] = graph.cols[is_institution]
    return institution


def _institution_homogeneity(graph: EvidenceGraph, institution: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Share of each column's accounts that belong to its most common institution (0 if none does)."""
    m = graph.n_columns
    owner = institution[graph.rows]
    # Only shared columns of the kinds the context discounts need it.
    has = (owner >= 0) & (size[graph.cols] >= 2) & ORGANISATION_SHARED[graph.column_kind[graph.cols].astype(np.int64)]
    pair = graph.cols[has].astype(np.int64) * m + owner[has]
    keys, counts = np.unique(pair, return_counts=True)
    most = np.zeros(m, np.int64)
    np.maximum.at(most, keys // m, counts)
    return most / np.maximum(size, 1)
