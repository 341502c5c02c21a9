"""Time the signup hook's in-process hot path: feature extraction, then the model with its reasons.

Inputs are simulated signups (a seed of their own) placed in the last week of the populated
window, so the reuse queries scan indexes as full as in steady state. Reads the database, never writes.
"""

from __future__ import annotations

import gc
import statistics
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from riskscore import registry
from riskscore.features.signup import SignupInput, extract_signup_features
from riskscore.scoring import score_features
from riskscore.simulation import signup_input
from riskscore.simulator import simulate_signups

# Signups before timing starts: fills caches and warms the database connection.
WARM_UP = 200


def build_inputs(*, count: int, seed: int, start: datetime, days: int) -> list[SignupInput]:
    return [
        signup_input(signup.payload) for signup in simulate_signups(seed=seed, accounts=count, start=start, days=days)
    ]


def summary(label: str, samples_ns: list[int]) -> str:
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    p50, p90, p99 = (cuts[i - 1] / 1e6 for i in (50, 90, 99))
    return f"{label:<9} p50 {p50:6.3f}  p90 {p90:6.3f}  p99 {p99:6.3f}  max {max(samples_ns) / 1e6:6.3f} ms"


class Command(BaseCommand):
    help = "Time extract_signup_features and score_features(kind='signup') in-process; print p50/p90/p99 in ms."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="signups timed")
        parser.add_argument("--seed", type=int, default=424242, help="simulator seed of the timed signups")
        parser.add_argument("--start", default="2026-02-27T00:00:00Z", help="event time of the first timed signup")
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, count: int, seed: int, start: str, days: int, **options):
        begin = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(UTC)
        inputs = build_inputs(count=count + WARM_UP, seed=seed, start=begin, days=days)
        model = registry.active_model("signup")
        for signup in inputs[:WARM_UP]:
            score_features(extract_signup_features(signup).features, kind="signup")
        # As riskscore/wsgi.py does in each server process: what is loaded by now stays out of the
        # collector's full passes.
        gc.collect()
        gc.freeze()

        features_ns: list[int] = []
        model_ns: list[int] = []
        total_ns: list[int] = []
        for signup in inputs[WARM_UP:]:
            started = time.perf_counter_ns()
            evidence = extract_signup_features(signup)
            extracted = time.perf_counter_ns()
            score_features(evidence.features, kind="signup")
            scored = time.perf_counter_ns()
            features_ns.append(extracted - started)
            model_ns.append(scored - extracted)
            total_ns.append(scored - started)

        self.stdout.write(
            f"in-process signup path: {len(total_ns)} signups, model {model.version} "
            f"({model.booster.num_trees()} trees, {len(model.feature_names)} features)"
        )
        self.stdout.write(summary("features", features_ns))
        self.stdout.write(summary("model", model_ns))
        self.stdout.write(summary("total", total_ns))
