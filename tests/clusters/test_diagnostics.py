"""What a group shares, column by column, as detection weighs it."""

from __future__ import annotations

from clusters.diagnostics import shared_evidence, weight_by_kind
from clusters.graph.kinds import LinkKind
from tests.clusters.graphs import graph_of, own_devices


def test_shared_evidence_lists_only_columns_two_of_the_group_share_heaviest_first_with_their_sizes():
    links = own_devices(range(30)) + [(a, LinkKind.PAYMENT_FINGERPRINT, "card") for a in range(3)]
    links += [(a, LinkKind.TEMPLATE, "popular") for a in range(30)]
    links += [(0, LinkKind.USAGE_IP, "exit"), (1, LinkKind.USAGE_IP, "exit"), (9, LinkKind.USAGE_IP, "exit")]
    graph = graph_of(links, accounts=30)
    columns = shared_evidence(graph, [1000, 1001, 1002])  # accounts 0-2 by key
    assert [(c.kind, c.column_accounts, c.group_accounts, c.strong) for c in columns] == [
        ("payment_fingerprint", 3, 3, True),
        ("usage_ip", 3, 2, False),
        ("template_fingerprint", 30, 3, False),
    ]
    assert columns[0].weight > columns[1].weight > columns[2].weight > 0
    totals = weight_by_kind(columns)
    assert list(totals) == ["payment_fingerprint", "usage_ip", "template_fingerprint"]
    assert totals["payment_fingerprint"] == round(3 * columns[0].weight, 3)
