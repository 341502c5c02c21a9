"""The in-process detector: strong components, dense blocks, synchrony, and each group's features.

1. Column weights (`weights.py`): kind, inverse frequency, organisation context.
2. Connected components over strong columns (`components.py`).
3. Risk-seeded grouping (`seeded.py`): accounts the account model scores high, in no
   component, follow the suspect they share the most weak evidence with (a quiet campaign).
4. FRAUDAR-style dense blocks over the weak columns (`peeling.py`): groups that share
   no single telling identifier but many weak ones (templates, time buckets, networks).
   A block that mostly lies in a group extends it; otherwise it is a group of its own.
5. Per group: size, density, synchrony (`synchrony.py`), identifier mix, member scores
   and labels — the inputs of the cluster score (`clusters.scoring`).
"""

from __future__ import annotations

import numpy as np

from clusters.graph.components import strong_components
from clusters.graph.kinds import RULES, LinkKind
from clusters.graph.model import DetectedGroup, EvidenceGraph
from clusters.graph.peeling import MIN_BLOCK_ACCOUNTS, dense_blocks
from clusters.graph.seeded import SUSPECT_SCORE, follow_suspect_peers
from clusters.graph.synchrony import IN_GROUP_SHARE, groups_synchrony
from clusters.graph.weights import SYNCHRONY_KIND, USAGE_KIND, ColumnWeights, column_weights

# A block must average this much weighted shared evidence per node to be a group:
# ten accounts sharing a dozen hourly template buckets reach it; a popular template never does.
MIN_BLOCK_DENSITY = 1.0
MAX_BLOCKS = 25
# ... and be this many times denser than the weak graph as a whole: on a busy graph the whole
# active population clears any fixed bar, and a block is only telling against its background.
BLOCK_LIFT = 2.0
# A block joins the component holding at least this share of its accounts.
BLOCK_JOINS_COMPONENT = 0.5
DAY = 86400.0
# An account in no group joins the group with which it shares weak columns of this much weight in all,
# at least two of them (a proxy exit in the same day and the same generated address shape, say).
# One step only, from accounts to existing groups, so weak links can never chain groups together.
ATTACH_WEIGHT = 0.8
ATTACH_MIN_COLUMNS = 2
ATTACH_MAX_COLUMN = 50
# Of usage evidence, only the network an account works from: a campaign's own exits. Two accounts in a busy
# hour on a common template is coincidence, which synchrony judges over whole activity sets instead.
ATTACH_USAGE_KINDS = np.zeros(len(USAGE_KIND), bool)
ATTACH_USAGE_KINDS[[LinkKind.USAGE_IP, LinkKind.USAGE_IP_PREFIX]] = True


class InProcessDetector:
    """`GraphDetector` on one machine with numpy and scipy."""

    def __init__(
        self,
        *,
        min_block_density: float = MIN_BLOCK_DENSITY,
        max_blocks: int = MAX_BLOCKS,
        attach_weight: float | None = ATTACH_WEIGHT,
    ):
        self.min_block_density = min_block_density
        self.max_blocks = max_blocks
        self.attach_weight = attach_weight

    def detect(self, graph: EvidenceGraph) -> list[DetectedGroup]:
        return self.detect_with(graph, column_weights(graph))

    def detect_with(self, graph: EvidenceGraph, weights: ColumnWeights) -> list[DetectedGroup]:
        """Detection with column weights given (an incremental run passes the whole graph's column sizes)."""
        labels = strong_components(graph, weights.strong)
        # Suspects first: left to the dense-block search, a quiet campaign's accounts end up in a block of heavy users.
        from_suspects = follow_suspect_peers(
            graph, weights, labels, min_weight=ATTACH_WEIGHT, min_columns=ATTACH_MIN_COLUMNS
        )
        from_blocks = self._add_dense_blocks(graph, weights, labels)
        if self.attach_weight is not None:
            attach_by_weak_links(graph, weights, labels, min_weight=self.attach_weight)
        return describe_groups(graph, weights, labels, from_suspects=from_suspects, from_blocks=from_blocks)

    def _add_dense_blocks(self, graph: EvidenceGraph, weights: ColumnWeights, labels: np.ndarray) -> set[int]:
        weak = (weights.weight[graph.cols] > 0) & ~weights.strong[graph.cols]
        rows, cols = graph.rows[weak], graph.cols[weak]
        weight = weights.weight[cols]
        # The background: weak links per node over every account and the columns in use.
        nodes = graph.n_accounts + int(np.count_nonzero(np.bincount(cols, minlength=graph.n_columns)))
        background = float(weight.sum()) / nodes if nodes else 0.0
        blocks = dense_blocks(
            rows,
            cols,
            weight,
            n_rows=graph.n_accounts,
            n_cols=graph.n_columns,
            min_density=max(self.min_block_density, BLOCK_LIFT * background),
            max_blocks=self.max_blocks,
        )
        touched: set[int] = set()
        next_label = int(labels.max()) + 1 if len(labels) else 0
        for block in blocks:
            current = labels[block.accounts]
            known = current[current >= 0]
            unplaced = block.accounts[current < 0]
            if len(known):
                values, counts = np.unique(known, return_counts=True)
                if counts.max() >= BLOCK_JOINS_COMPONENT * len(block.accounts):
                    target = int(values[np.argmax(counts)])
                    labels[unplaced] = target
                    touched.add(target)
                    continue
            if len(unplaced) >= MIN_BLOCK_ACCOUNTS:
                labels[unplaced] = next_label
                touched.add(next_label)
                next_label += 1
        return touched


def attach_by_weak_links(graph: EvidenceGraph, weights: ColumnWeights, labels: np.ndarray, *, min_weight: float):
    """Put accounts in no group into the group their weak links point to, when they point strongly enough."""
    if not len(labels) or labels.max() < 0:
        return
    kind = graph.column_kind.astype(np.int64)
    usable = ~USAGE_KIND[kind] | ATTACH_USAGE_KINDS[kind]
    weak = (weights.weight > 0) & ~weights.strong & usable & (weights.size <= ATTACH_MAX_COLUMN)
    on_weak = weak[graph.cols]
    rows, cols = graph.rows[on_weak].astype(np.int64), graph.cols[on_weak].astype(np.int64)
    group = labels[rows]
    width = int(labels.max()) + 1
    # Which groups are present in each column, once each, and with how many members.
    present, held = np.unique(cols[group >= 0] * width + group[group >= 0], return_counts=True)
    # An exit counts only where the group holds at least half of its accounts: a busy VPN exit is everyone's.
    from_usage = USAGE_KIND[kind[present // width]]
    present = present[~from_usage | (held >= IN_GROUP_SHARE * weights.size[present // width])]
    if not len(present):
        return
    present_col, present_group = present // width, present % width
    loose = group < 0
    loose_rows, loose_cols = rows[loose], cols[loose]
    start = np.searchsorted(present_col, loose_cols, "left")
    stop = np.searchsorted(present_col, loose_cols, "right")
    count = stop - start
    if not count.sum():
        return
    account = np.repeat(loose_rows, count)
    column = np.repeat(loose_cols, count)
    at = np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum())
    target = present_group[at]
    key = account * width + target
    pairs, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=weights.weight[column])
    columns = np.bincount(inverse)
    ok = (total >= min_weight) & (columns >= ATTACH_MIN_COLUMNS)
    pair_account, pair_group = pairs // width, pairs % width
    # An account pointed at two groups strongly enough joins neither: it is ambiguous.
    candidates = np.bincount(pair_account[ok], minlength=len(labels))
    chosen = ok & (candidates[pair_account] == 1)
    labels[pair_account[chosen]] = pair_group[chosen]


def describe_groups(
    graph: EvidenceGraph, weights: ColumnWeights, labels: np.ndarray, *, from_suspects: set[int], from_blocks: set[int]
) -> list[DetectedGroup]:
    """Features of every group, vectorised over groups (there may be a hundred thousand)."""
    n, m = graph.n_accounts, graph.n_columns
    in_group = labels >= 0
    if not in_group.any():
        return []
    n_groups = int(labels.max()) + 1
    size = np.bincount(labels[in_group], minlength=n_groups)

    # Columns shared by at least two members of the same group: the group's own links.
    group_of = labels[graph.rows]
    usable = (group_of >= 0) & (weights.weight[graph.cols] > 0)
    inc = np.flatnonzero(usable)
    pair = group_of[inc] * m + graph.cols[inc]
    _, pair_index, pair_count = np.unique(pair, return_inverse=True, return_counts=True)
    shared = inc[pair_count[pair_index] >= 2]
    shared_group = group_of[shared]
    shared_weight = weights.weight[graph.cols[shared]].astype(np.float64)
    density = np.bincount(shared_group, weights=shared_weight, minlength=n_groups) / np.maximum(size, 1)

    # Each member's first linking evidence (joined) and each group's newest evidence.
    joined = np.full(n, np.inf)
    np.minimum.at(joined, graph.rows[shared], graph.seen[shared])
    last_seen = np.full(n_groups, -np.inf)
    np.maximum.at(last_seen, shared_group, graph.seen[shared])
    own_first = np.full(n, np.inf)
    np.minimum.at(own_first, graph.rows, graph.seen)
    joined = np.where(np.isfinite(joined), joined, own_first)

    # Which kinds tie how many members: the group's identifier mix.
    kind = graph.column_kind[graph.cols[shared]].astype(np.int64)
    member_kind = np.unique(graph.rows[shared].astype(np.int64) * 64 + kind)
    mk_member, mk_kind = member_kind // 64, member_kind % 64
    kind_accounts = np.zeros((n_groups, 64), np.int64)
    np.add.at(kind_accounts, (labels[mk_member], mk_kind), 1)
    strong_member = np.zeros(n, bool)
    strong_member[graph.rows[shared[weights.strong[graph.cols[shared]]]]] = True

    def per_group(values: np.ndarray) -> np.ndarray:
        return np.bincount(labels[in_group], weights=values[in_group], minlength=n_groups)

    member_score_mean = per_group(graph.member_score.astype(np.float64)) / np.maximum(size, 1)
    high_member_share = per_group((graph.member_score >= SUSPECT_SCORE).astype(np.float64)) / np.maximum(size, 1)
    abusive = per_group((graph.label == 1).astype(np.float64))
    legitimate = per_group((graph.label == -1).astype(np.float64))
    academic_share = per_group(graph.academic.astype(np.float64)) / np.maximum(size, 1)
    strong_share = per_group(strong_member.astype(np.float64)) / np.maximum(size, 1)
    homogeneity = _institution_homogeneity(labels, weights.institution, n_groups, size)

    sync_rows, sync_cols = _synchrony_incidences(graph, labels)
    synchrony, active = groups_synchrony(labels, sync_rows, sync_cols, weights.size, n_groups)
    groups: list[DetectedGroup] = []
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        members = np.sort(order[bounds[g] : bounds[g + 1]])
        if len(members) < 2:
            continue
        times = joined[members]
        span_days = float(times.max() - times.min()) / DAY
        links = [
            {"kind": RULES[LinkKind(k)].name, "accounts": int(kind_accounts[g, k])}
            for k in np.flatnonzero(kind_accounts[g])
        ]
        links.sort(key=lambda link: (-link["accounts"], link["kind"]))
        features = {
            "size": float(len(members)),
            "density": round(float(density[g]), 4),
            "strong_share": round(float(strong_share[g]), 4),
            "synchrony": round(float(synchrony[g]), 4),
            "active_members": float(active[g]),
            "link_kinds": float(len(links)),
            "institution_homogeneity": round(float(homogeneity[g]), 4),
            "academic_share": round(float(academic_share[g]), 4),
            "member_score_mean": round(float(member_score_mean[g]), 4),
            "high_member_share": round(float(high_member_share[g]), 4),
            "labelled_abusive": float(abusive[g]),
            "labelled_legitimate": float(legitimate[g]),
            "members_per_day": round(len(members) / (span_days + 1.0), 4),
        }
        searches = [
            search
            for search, found in (
                ("components", strong_share[g] > 0),
                ("risk_seeded", g in from_suspects),
                ("dense_block", g in from_blocks),
            )
            if found
        ]
        groups.append(
            DetectedGroup(
                members=members.astype(np.int64),
                features=features,
                links=links,
                joined=times,
                last_seen=float(max(last_seen[g], times.max())),
                found_by="+".join(searches),
            )
        )
    return groups


def _institution_homogeneity(labels: np.ndarray, institution: np.ndarray, n_groups: int, size: np.ndarray):
    has = (labels >= 0) & (institution >= 0)
    pair = labels[has] * (int(institution.max()) + 1) + institution[has]
    keys, counts = np.unique(pair, return_counts=True)
    most = np.zeros(n_groups, np.int64)
    if len(keys):
        np.maximum.at(most, keys // (int(institution.max()) + 1), counts)
    return most / np.maximum(size, 1)


def _synchrony_incidences(graph: EvidenceGraph, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Synchrony incidences of accounts that are in a group (the only ones ever compared)."""
    grouped = labels[graph.rows] >= 0
    rows, cols = graph.rows[grouped], graph.cols[grouped]
    is_sync = SYNCHRONY_KIND[graph.column_kind[cols].astype(np.int64)]
    return rows[is_sync].astype(np.int64), cols[is_sync]
