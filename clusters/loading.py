"""Reads the link graph and the facts about its accounts from the database into an EvidenceGraph."""

from __future__ import annotations

import numpy as np

from accounts.models import Account, Label
from clusters.graph.model import EvidenceGraph
from clusters.models import LinkEvidence

CHUNK = 20000


def load_graph() -> EvidenceGraph:
    """Every account with at least one link column, indexed 0..n-1 in primary-key order."""
    links = LinkEvidence.objects.values_list("account_id", "kind", "column_key", "seen_at").order_by()
    table = np.array(list(links.iterator(chunk_size=CHUNK)), np.int64).reshape(-1, 4)
    account_pk_arr, kind, key, seen = table[:, 0], table[:, 1], table[:, 2], table[:, 3]
    keys, cols = np.unique(key, return_inverse=True)
    pks, rows = np.unique(account_pk_arr, return_inverse=True)
    column_kind = np.zeros(len(keys), np.int16)
    column_kind[cols] = kind.astype(np.int16)

    n = len(pks)
    member_score = np.zeros(n, np.float32)
    label = np.zeros(n, np.int8)
    academic = np.zeros(n, bool)
    position = {int(pk): i for i, pk in enumerate(pks)}
    for start in range(0, n, CHUNK):
        chunk = [int(pk) for pk in pks[start : start + CHUNK]]
        facts = Account.objects.filter(pk__in=chunk).values_list(
            "pk", "score", "label", "signup_features__email_domain_academic"
        )
        for pk, score, account_label, is_academic in facts:
            i = position[pk]
            member_score[i] = score
            label[i] = 1 if account_label == Label.ABUSIVE else -1 if account_label == Label.LEGITIMATE else 0
            academic[i] = bool(is_academic)
    return EvidenceGraph(
        rows=rows.astype(np.int32),
        cols=cols.astype(np.int32),
        seen=seen.astype(np.float64),
        column_kind=column_kind,
        member_score=member_score,
        label=label,
        academic=academic,
        account_keys=pks,
    )
