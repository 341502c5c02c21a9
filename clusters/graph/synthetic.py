"""A synthetic evidence graph at scale, for the benchmark: no database, no API, only numpy.

Accounts draw columns of each kind from skewed popularity (a few big networks and
templates, many columns of one or two accounts), and each planted campaign's members share
one of four cards and twelve in-step synchrony buckets.
"""

from __future__ import annotations

import numpy as np

from clusters.graph.kinds import LinkKind
from clusters.graph.model import EvidenceGraph

# Per kind: share of the incidences, columns drawn per incidence (more columns: fewer accounts share
# one), and skew (popularity = u ** skew: 1 is uniform, 3 puts a few big columns at the front).
# Identifiers are mostly an account's own; networks, domains and templates are shared and skewed.
KIND_MIX: dict[LinkKind, tuple[float, float, float]] = {
    LinkKind.PAYMENT_FINGERPRINT: (0.02, 30.0, 1.0),
    LinkKind.DEVICE_ID: (0.045, 30.0, 1.0),
    LinkKind.PHONE: (0.02, 30.0, 1.0),
    LinkKind.MAILBOX: (0.05, 50.0, 1.0),
    LinkKind.SIGNUP_IP: (0.05, 2.0, 2.0),
    LinkKind.SIGNUP_IP_PREFIX: (0.05, 0.3, 3.0),
    LinkKind.EMAIL_DOMAIN: (0.015, 0.1, 3.0),
    LinkKind.ACADEMIC_DOMAIN: (0.01, 0.01, 3.0),
    LinkKind.EMAIL_PATTERN: (0.03, 0.1, 3.0),
    LinkKind.ORGANIZATION: (0.02, 0.1, 3.0),
    LinkKind.USAGE_IP: (0.15, 0.5, 2.0),
    LinkKind.USAGE_IP_PREFIX: (0.15, 0.1, 3.0),
    LinkKind.TEMPLATE: (0.1, 0.05, 3.0),
    LinkKind.SYNCHRONY: (0.29, 0.07, 3.0),
}
START = 1.77e9  # event time of the first evidence (Unix seconds)
SPAN = 60 * 86400.0


def synthetic_graph(
    *, accounts: int, links: int, campaigns: int = 400, campaign_accounts: int = 60, seed: int = 0
) -> tuple[EvidenceGraph, np.ndarray]:
    """The graph and each account's planted campaign (-1 for ordinary accounts)."""
    rng = np.random.default_rng(seed)
    planted_accounts = campaigns * campaign_accounts
    # Each campaign: every member shares one of 4 cards and 12 in-step synchrony buckets.
    planted_links = planted_accounts * (1 + 12)
    background = links - planted_links
    rows, cols, kinds = [], [], []
    next_column = 0
    for kind, (share, columns_per_link, skew) in KIND_MIX.items():
        count = int(background * share)
        n_columns = max(1, int(count * columns_per_link))
        chosen = (n_columns * rng.random(count) ** skew).astype(np.int64)
        rows.append(rng.integers(0, accounts, count, dtype=np.int64))
        cols.append(chosen + next_column)
        kinds.append(np.full(n_columns, kind, np.int16))
        next_column += n_columns
    campaign_of = np.full(accounts, -1, np.int64)
    members = rng.choice(accounts, planted_accounts, replace=False).reshape(campaigns, campaign_accounts)
    for c in range(campaigns):
        campaign_of[members[c]] = c
    flat = members.reshape(-1)
    owner = np.repeat(np.arange(campaigns), campaign_accounts)
    rows.append(flat)
    cols.append(next_column + owner * 4 + rng.integers(0, 4, len(flat)))
    kinds.append(np.full(campaigns * 4, LinkKind.PAYMENT_FINGERPRINT, np.int16))
    next_column += campaigns * 4
    rows.append(np.repeat(flat, 12))
    cols.append(next_column + np.repeat(owner, 12) * 12 + np.tile(np.arange(12), len(flat)))
    kinds.append(np.full(campaigns * 12, LinkKind.SYNCHRONY, np.int16))
    next_column += campaigns * 12

    all_rows = np.concatenate(rows).astype(np.int32)
    # Number only the columns someone is in.
    used, all_cols = np.unique(np.concatenate(cols), return_inverse=True)
    all_cols = all_cols.astype(np.int32)
    graph = EvidenceGraph(
        rows=all_rows,
        cols=all_cols,
        seen=START + rng.random(len(all_rows)) * SPAN,
        column_kind=np.concatenate(kinds)[used],
        member_score=rng.beta(1, 8, accounts).astype(np.float32),
        label=np.zeros(accounts, np.int8),
        academic=rng.random(accounts) < 0.15,
        account_keys=np.arange(accounts, dtype=np.int64),
    )
    return graph, campaign_of
