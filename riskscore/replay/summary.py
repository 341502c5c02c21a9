"""The replay's report as readable Markdown tables (the same figures as its JSON)."""

from __future__ import annotations

from riskscore.replay.gateway import OUTCOMES
from riskscore.replay.report import AGES_DAYS, TIERS


def summary(report: dict) -> str:
    lines: list[str] = []
    out = lines.append
    s = report["settings"]
    monitoring = not s.get("gateway_enforces", True)
    out(
        f"{report['accounts']} accounts ({report['abusive']} abusive), {s['days']} days from {s['start']}, seed "
        f"{s['seed']}; {report['usage_events_simulated']} requests, {report['usage_events_served']} served; "
        f"{report['analyst_reviews']} analyst reviews; {report['detection_runs']} detection runs "
        f"(median {report['detection_seconds_median']} s, slowest {report['detection_seconds_max']} s)"
    )
    if monitoring:
        out(
            "\nMonitor only: the gateway recorded each account's tier but served every request, so every campaign "
            "left all its usage evidence; 'before flag' counts every request sent before the account's flag, and "
            "'sent while blocked' what an enforcing gateway would have refused as blocked."
        )
    _detection(report["detection"], out, monitoring)
    _clusters(report["clusters"], out)
    _enforcement(report["enforcement"], out, monitoring)
    return "\n".join(lines)


def _table(out, header: list[str], rows: list[list]) -> None:
    out("| " + " | ".join(header) + " |")
    out("| " + " | ".join("---" for _ in header) + " |")
    for row in rows:
        out("| " + " | ".join("—" if cell is None else str(cell) for cell in row) + " |")


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{100 * value:.1f}%"


def _style(name: str, row: dict) -> str:
    return f"{name} (held-out style)" if row.get("held_out_style") else name


def _detection(d: dict, out, monitoring: bool) -> None:
    recall, flagged = d["recall_at_1pct_fpr_low_friction"], d["flagged_share_abusive"]
    out("\n## Detection (issue 3)\n")
    out(
        f"Recall at 1% FPR on legitimate low-friction accounts (final scores): time slice "
        f"{recall['time_slice']}, held-out style {recall['held_out_style']}. Flagged by the policy at some point: "
        f"abusive {_pct(flagged['time_slice'])} (held-out style {_pct(flagged['held_out_style'])}), legitimate "
        f"low-friction {_pct(d['flagged_share_legitimate_low_friction'])}.\n"
    )
    _table(
        out,
        ["campaign", "accounts", "flagged", "median h signup → flag", "h to first flagged account", "requests",
         "requests before flag" if monitoring else "served before flag"],
        [
            [_style(name, c), c["accounts"], _pct(c["flagged_share"]), c["hours_signup_to_flag_median"],
             c["hours_to_first_flagged_account"], c["requests"], _pct(c["share_of_requests_served_before_flag"])]
            for name, c in d["campaigns"].items()
        ],
    )  # fmt: skip


def _clusters(c: dict, out) -> None:
    out("\n## Clusters (issue 4)\n")
    _table(
        out,
        ["campaign", "accounts", "clusters", "purity", "coverage", "in a flagged cluster", "clustered by"],
        [
            [_style(name, row), row["accounts"], row["clusters"], row["purity"], row["coverage"],
             _pct(row["flagged_share"]), ", ".join(f"{k} {v}" for k, v in row["accounts_by_search"].items())]
            for name, row in c["campaigns"].items()
        ],
    )  # fmt: skip
    out("")
    ever = c.get("legitimate_in_flagged_cluster_at_any_run", {"groups": {}, "accounts": None})
    _table(
        out,
        ["legitimate groups", "groups", "clustered", "flagged", "flag rate", "flagged at any run"],
        [
            [population, g["groups"], g["clustered"], g["flagged"], _pct(g["flagged"] / max(1, g["groups"])),
             ever["groups"].get(population)]
            for population, g in c["legitimate_groups"].items()
        ],
    )  # fmt: skip
    out(
        f"\nLegitimate accounts in a flagged cluster: {_pct(c['legitimate_accounts_in_flagged_clusters'])} after the "
        f"last run, {_pct(ever['accounts'])} at some run.\n"
    )
    rows = []
    for how in ("cluster_flag", "restricted_at_gateway"):
        for part in ("time_slice", "held_out_style"):
            w = c["new_waves"][how][part]
            rows.append([how.replace("_", " "), part.replace("_", " "), w["accounts"], w["flagged"],
                         w["hours_signup_to_flag_median"], w["hours_signup_to_flag_p90"]])  # fmt: skip
    _table(out, ["new waves of known campaigns", "slice", "accounts", "flagged", "median h", "p90 h"], rows)
    if camo := c.get("camouflage_case"):
        out(
            f"\nCamouflage case (through the API): {camo['found']}/{camo['attackers']} attackers in one cluster of "
            f"{camo['cluster_size']} ({camo['bystanders_in_cluster']} bystanders; score {camo['cluster_score']:.2f}, "
            f"{camo['cluster_band']}, found by {camo['found_by']}); {camo['attackers_flagged']} in a flagged cluster "
            f"at some run, median {camo['hours_to_flag_median']} h after the first harvesting hour "
            f"({camo['detection_runs']} detection runs); {camo['attackers_restricted']} restricted or blocked by "
            f"enforcement (the case's gateway only monitors)."
        )


def _enforcement(e: dict, out, monitoring: bool) -> None:
    out("\n## Tiers at the gateway by account age (issue 7)\n")
    rows = []
    for population, ages in e["tiers_by_account_age_days"].items():
        for days in AGES_DAYS:
            shares = ages.get(str(days))
            if shares:
                rows.append([population, days, shares["accounts"], *(_pct(shares[t]) for t in TIERS)])
    _table(out, ["population", "day", "accounts", *TIERS], rows)
    out("\nRequests at the gateway:\n")
    outcomes = () if monitoring else OUTCOMES  # a monitoring gateway serves everything
    _table(
        out,
        ["population", "requests", *outcomes, "sent while blocked", "served with full reasoning"],
        [
            [population, r["requests"], *(_pct(r[o]) for o in outcomes), _pct(r.get("sent_while_blocked")),
             _pct(r["served_with_full_reasoning"])]
            for population, r in e["requests"].items()
        ],
    )  # fmt: skip
    out("\nCampaign output tokens (shares of what the campaign asked for):\n")
    _table(
        out,
        ["campaign", "output tokens asked", "served", "served with full reasoning", "full reasoning before restricted"],
        [
            [_style(name, t), t["output_tokens_requested"], _pct(t["served_share"]),
             _pct(t["served_with_full_reasoning_share"]), _pct(t["full_reasoning_before_restricted_share"])]
            for name, t in e["campaign_output_tokens"].items()
        ],
    )  # fmt: skip
