"""Two riskscore providers for real: two service processes on two databases sharing one key.

A campaign detected and confirmed on provider A is exported, imported by provider B,
and B then flags that campaign's new accounts at signup while legitimate signups
pass. Used by the integration test and by `scripts/demo_two_providers.sh`; needs only
the standard library (each provider is a separate gunicorn process).

Until cluster detection is merged, the campaign's cluster on A is created directly
through the ORM (`manage.py shell`), as detection would leave it.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_KEY = "two-providers-demo-sharing-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    name: str
    database_url: str
    var_dir: Path
    port: int = field(default_factory=free_port)
    key: str = ""
    process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        return {
            **inherited,
            "DATABASE_URL": self.database_url,
            "RISKSCORE_VAR_DIR": str(self.var_dir),
            "CELERY_BROKER_URL": "memory://",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "INTEL_SHARING_KEY": SHARED_KEY,
            "INTEL_PRODUCER": self.name,
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name}: manage.py {' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self) -> Provider:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v0")
        self.manage("install_baseline")
        self.key = self.manage("create_api_key", "--name", f"{self.name}-admin", "--scopes", "admin").split()[-1]
        log = (self.var_dir / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "riskscore.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start: {(self.var_dir / 'gunicorn.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def call(self, method: str, path: str, body=None) -> tuple[int, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = conn.getresponse()
            text = response.read()
        finally:
            conn.close()
        return response.status, (json.loads(text) if text else None)

    def signup(self, payload: dict) -> dict:
        status, body = self.call("POST", "/api/v1/signups", payload)
        if status not in (200, 201):
            raise RuntimeError(f"{self.name}: signup {payload['account_id']} answered {status}: {body}")
        return body


def campaign_signup(run: str, n: int, *, created_at: str) -> dict:
    """A distillation campaign's account: one card pool, one device farm, one fake lab domain, one proxy /24."""
    return {
        "account_id": f"{run}_farm_{n}",
        "email": f"eval.grader{n}@rubric-labs-{run}.io",
        "pathway": "research",
        "organization": "Rubric Labs",
        "ip": f"45.142.{int(run[:2], 16) % 200}.{n % 250 + 1}",
        "user_agent": "python-requests/2.31",
        "device_id": f"farm-device-{run}",
        "payment_fingerprint": f"pool-card-{run}",
        "created_at": created_at,
    }


def legitimate_signup(run: str, n: int, *, created_at: str) -> dict:
    return {
        "account_id": f"{run}_student_{n}",
        "email": f"j.doe{n}.{run}@cs.cmu.edu",
        "pathway": "education",
        "organization": "Carnegie Mellon University",
        "ip": f"128.2.{n % 200 + 1}.{n % 250 + 1}",
        "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15",
        "device_id": f"laptop-{run}-{n}",
        "payment_fingerprint": f"card-{run}-{n}",
        "phone": f"+1412555{n:04d}",
        "country": "US",
        "created_at": created_at,
    }


CONFIRM_CLUSTER = """
from django.db import transaction
from django.utils import timezone
from accounts.models import Account
from clusters.models import Cluster, ClusterMember
from enforcement.services import refresh_cluster_members
ids = {ids!r}
with transaction.atomic():
    members = list(Account.objects.filter(account_id__in=ids))
    first, last = min(a.created_at for a in members), max(a.created_at for a in members)
    Cluster.objects.create(cluster_id={cluster_id!r}, score=0.97, band="critical", size=len(members),
                           first_seen=first, last_seen=last, changed_at=timezone.now())
    cluster = Cluster.objects.get(cluster_id={cluster_id!r})
    ClusterMember.objects.bulk_create(
        [ClusterMember(cluster=cluster, account=a, joined_at=a.created_at) for a in members]
    )
    Account.objects.filter(pk__in=[a.pk for a in members]).update(cluster_id={cluster_id!r})
    refresh_cluster_members(cluster_ids=[{cluster_id!r}])
"""


@dataclass
class Outcome:
    exported_indicators: int
    imported: dict
    campaign_on_b: list[dict]
    legitimate_on_b: list[dict]
    tiers_on_b: dict[str, str]


def run_scenario(a: Provider, b: Provider, *, campaign_size: int = 8, legitimate: int = 8) -> Outcome:
    run = uuid.uuid4().hex[:8]
    # Provider A: the campaign signs up, analysts confirm two members, detection ties them into a cluster.
    members = [a.signup(campaign_signup(run, n, created_at=f"2026-03-01T10:{n:02d}:00Z")) for n in range(campaign_size)]
    for n in range(legitimate):
        a.signup(legitimate_signup(run + "a", n, created_at=f"2026-03-01T11:{n:02d}:00Z"))
    decisions = [{"account_id": m["account_id"], "label": "abusive", "action": "ban"} for m in members[:2]]
    a.call("POST", "/api/v1/decisions", {"decisions": decisions})
    ids = [m["account_id"] for m in members]
    a.manage("shell", "-c", CONFIRM_CLUSTER.format(ids=ids, cluster_id=f"cl_{run}"))
    status, bundle = a.call("GET", "/api/v1/intel/export?since=2026-01-01T00:00:00Z")
    if status != 200:
        raise RuntimeError(f"export answered {status}: {bundle}")
    exported = sum(1 for o in bundle["objects"] if o["type"] == "indicator")
    # Provider B imports it; the same campaign and real students then sign up there.
    status, imported = b.call("POST", "/api/v1/intel/import?source=provider-a", bundle)
    if status != 202:
        raise RuntimeError(f"import answered {status}: {imported}")
    campaign_b = [b.signup(campaign_signup(run, 100 + n, created_at=f"2026-03-02T09:{n:02d}:00Z")) for n in range(5)]
    legit_b = [b.signup(legitimate_signup(run + "b", n, created_at=f"2026-03-02T10:{n:02d}:00Z")) for n in range(5)]
    tiers = {
        s["account_id"]: b.call("GET", f"/api/v1/enforcement/{s['account_id']}")[1]["tier"]
        for s in campaign_b + legit_b
    }
    return Outcome(exported, imported, campaign_b, legit_b, tiers)


def flagged(signup: dict) -> bool:
    return any(r["code"] == "partner_indicator" for r in signup["reasons"])


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="riskscore-two-providers-") as scratch:
        base = Path(scratch)
        urls = sys.argv[1:3] or [f"sqlite:///{base / name / 'riskscore.sqlite3'}" for name in ("a", "b")]
        a = Provider("provider-a", urls[0], base / "a")
        b = Provider("provider-b", urls[1], base / "b")
        try:
            print("starting provider A and provider B (two databases, one sharing key) ...", flush=True)
            a.start()
            b.start()
            outcome = run_scenario(a, b)
        finally:
            a.stop()
            b.stop()
    print(f"A exported {outcome.exported_indicators} indicators; B imported: {json.dumps(outcome.imported)}")
    for label, signups in (("campaign", outcome.campaign_on_b), ("legitimate", outcome.legitimate_on_b)):
        for s in signups:
            print(
                f"B  {label:10s} {s['account_id']:28s} decision={s['decision']:7s} "
                f"tier={outcome.tiers_on_b[s['account_id']]:10s} partner_indicator={flagged(s)}"
            )
    ok = all(map(flagged, outcome.campaign_on_b)) and not any(map(flagged, outcome.legitimate_on_b))
    print("OK: B flags the campaign A shared and passes legitimate signups" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
