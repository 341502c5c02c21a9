"""Reads the link graph and the facts about its accounts from the database into an EvidenceGraph."""

from __future__ import annotations

import numpy as np
from django.db import connection

from accounts.models import Account, Label
from clusters.graph.model import EvidenceGraph
from clusters.models import LinkEvidence

CHUNK = 20000


def load_graph() -> EvidenceGraph:
    """Every account with at least one link column, indexed 0..n-1 in primary-key order."""
    table = LinkEvidence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account_id, kind, column_key, seen_at FROM {table}")
        links = np.array(cursor.fetchall(), np.int64).reshape(-1, 4)
    keys, cols = np.unique(links[:, 2], return_inverse=True)
    pks, rows = np.unique(links[:, 0], return_inverse=True)
    column_kind = np.zeros(len(keys), np.int16)
    column_kind[cols] = links[:, 1].astype(np.int16)

    n = len(pks)
    member_score = np.zeros(n, np.float32)
    label = np.zeros(n, np.int8)
    academic = np.zeros(n, bool)
    # One pass over the accounts (a scan is cheaper than asking for a million primary keys by value).
    facts = list(
        Account.objects.order_by()
        .values_list("pk", "score", "label", "signup_features__email_domain_academic")
        .iterator(chunk_size=CHUNK)
    )
    if facts:
        fact_pk = np.array([f[0] for f in facts], np.int64)
        at = np.minimum(np.searchsorted(pks, fact_pk), max(n - 1, 0))
        found = (pks[at] == fact_pk) if n else np.zeros(len(facts), bool)
        labels = {Label.ABUSIVE: 1, Label.LEGITIMATE: -1}
        member_score[at[found]] = np.array([f[1] for f in facts], np.float32)[found]
        label[at[found]] = np.array([labels.get(f[2], 0) for f in facts], np.int8)[found]
        academic[at[found]] = np.array([bool(f[3]) for f in facts])[found]
    return EvidenceGraph(
        rows=rows.astype(np.int32),
        cols=cols.astype(np.int32),
        seen=links[:, 3].astype(np.float64),
        column_kind=column_kind,
        member_score=member_score,
        label=label,
        academic=academic,
        account_keys=pks,
    )
