"""Benchmark detection at scale on a synthetic graph (numpy, no database): time and peak memory.

Prints the full run over ACCOUNTS accounts and LINKS account–column links, then
incremental runs over small batches of new evidence.
"""

from __future__ import annotations

import resource
import time

import numpy as np
from django.core.management.base import BaseCommand

from clusters.graph.incremental import add_evidence, full_run
from clusters.graph.synthetic import START, synthetic_graph


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


class Command(BaseCommand):
    help = "Generate a synthetic evidence graph and time cluster detection over it (full and incremental)."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=1_000_000)
        parser.add_argument("--links", type=int, default=20_000_000)
        parser.add_argument("--increments", type=int, default=3)
        parser.add_argument("--increment-links", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, accounts, links, increments, increment_links, seed, **options):
        out = self.stdout.write
        started = time.perf_counter()
        graph, campaign_of = synthetic_graph(accounts=accounts, links=links, seed=seed)
        sizes = np.bincount(graph.cols)
        pairs = int((sizes.astype(np.int64) * (sizes - 1) // 2).sum())
        out(
            f"generated {graph.n_accounts:,} accounts, {len(graph.rows):,} account–column links over "
            f"{graph.n_columns:,} columns ({pairs:,} account pairs share a column) "
            f"in {time.perf_counter() - started:.1f} s; peak {peak_mb():,.0f} MB"
        )
        began = time.perf_counter()
        state = full_run(graph)
        elapsed = time.perf_counter() - began
        groups = list(state.groups.values())
        planted = campaign_of >= 0
        found = np.zeros(len(campaign_of), bool)
        for group in groups:
            found[group.members] = True
        out(
            f"full run: {elapsed:.1f} s, {len(groups):,} groups, {int(found.sum()):,} accounts grouped, "
            f"{found[planted].mean():.1%} of planted campaign accounts grouped; peak {peak_mb():,.0f} MB"
        )
        rng = np.random.default_rng(seed + 1)
        for step in range(increments):
            rows = rng.integers(0, graph.n_accounts, increment_links)
            cols = rng.integers(0, graph.n_columns, increment_links)
            seen = START + 61 * 86400.0 + step * 3600 + rng.random(increment_links) * 3600
            began = time.perf_counter()
            region = add_evidence(state, rows=rows, cols=cols, seen=seen)
            out(
                f"incremental run {step + 1}: {increment_links:,} new links, {time.perf_counter() - began:.1f} s, "
                f"{len(region):,} groups re-detected; peak {peak_mb():,.0f} MB"
            )
        out(f"total {time.perf_counter() - started:.1f} s; peak resident memory {peak_mb():,.0f} MB")
