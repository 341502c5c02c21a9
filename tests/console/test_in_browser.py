"""The console in a real browser: Playwright driving Debian's Chromium against a live server.

An analyst finds a campaign from the queue, understands it, labels an account, bans the whole
cluster in one action and sees it in the audit log; an analyst cannot reach an admin page.
A failing test leaves a screenshot under var/test-screenshots/.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from accounts.models import Account, AuditEntry, IdentifierKind
from tests.console.conftest import PASSWORD, make_account, make_cluster, share_identifier

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium: run scripts/setup.sh dev (it installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings, request):
    # The live server speaks plain HTTP; production cookies are Secure.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        shots = Path(settings.VAR_DIR) / "test-screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{request.node.name}.png"), full_page=True)
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/console/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/queue/")
    page.wait_for_load_state("load")  # the keyboard script is attached by then


@pytest.fixture
def campaign(db):
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    times = [start + timedelta(minutes=3 * i) for i in range(6)]
    members = [
        make_account(account_id=f"hydra_{i}", pathway="research", created_at=at, status="limited", decision="review")
        for i, at in enumerate(times)
    ]
    share_identifier(members, kind=IdentifierKind.PAYMENT_FINGERPRINT, value_key=424242)
    make_cluster(members, cluster_id="cl_hydra", joined=times)
    make_account(account_id="student_1", band="high", decision="review", status="limited")
    return members


def test_an_analyst_finds_a_campaign_in_the_queue_labels_bans_it_and_sees_the_audit_log(page, analyst, campaign):
    log_in(page, "ana")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()

    page.get_by_label("Cluster").fill("any")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(6)

    page.get_by_role("link", name="hydra_0", exact=True).click()
    expect(page.get_by_role("heading", name="hydra_0")).to_be_visible()
    expect(page.get_by_text("payment card seen on 40 other accounts in 24h")).to_be_visible()
    expect(page.locator("table.linked")).to_contain_text("payment card")

    page.locator("#decide select[name=label]").select_option("abusive")
    page.locator("#decide textarea[name=note]").fill("same card as five others within minutes")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("same card as five others within minutes")).to_be_visible()
    assert Account.objects.get(account_id="hydra_0").label == "abusive"

    page.get_by_role("link", name=re.compile("cluster cl_hydra")).click()
    expect(page.get_by_role("heading", name="Cluster cl_hydra")).to_be_visible()
    expect(page.locator(".graph svg .node")).to_have_count(6)
    page.locator("#cluster-decide select[name=label]").select_option("abusive")
    page.locator("#cluster-decide select[name=action]").select_option("ban")
    page.locator("#cluster-decide textarea[name=note]").fill("distillation campaign on a card pool")
    page.get_by_label(re.compile("Apply to all 6 members")).check()
    page.get_by_role("button", name="Apply to cluster").click()
    expect(page.get_by_text("Recorded the decision on all 6 members of cl_hydra.")).to_be_visible()
    assert set(Account.objects.filter(cluster_id="cl_hydra").values_list("status", flat=True)) == {"banned"}

    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Search").fill("card pool")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(7)  # one per member and one for the cluster
    expect(rows.first).to_contain_text("user:ana")
    expect(page.locator("table.audit")).to_contain_text("cluster_decision:ban")
    assert AuditEntry.objects.filter(action="decision:ban", detail__cluster_id="cl_hydra").count() == 6


def test_an_analyst_selects_with_the_keyboard_and_labels_in_bulk(page, analyst, campaign):
    log_in(page, "ana")
    rows = page.locator("table.queue tbody tr")
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile("focused"))
    page.keyboard.press("x")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("focused"))
    page.keyboard.press("x")
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.locator("#bulk select[name=label]").select_option("legitimate")
    page.locator("#bulk textarea[name=note]").fill("class signup from the campus network")
    page.get_by_role("button", name="Apply to selection").click()
    expect(page.get_by_text("Recorded the decision on 2 accounts.")).to_be_visible()
    assert Account.objects.filter(label="legitimate").count() == 2


def test_an_analyst_cannot_reach_an_admin_page(page, analyst):
    log_in(page, "ana")
    expect(page.get_by_role("link", name="Models")).to_have_count(0)
    response = page.goto("/console/policy/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
