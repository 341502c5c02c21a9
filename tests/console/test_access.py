"""Who reaches which console page, and the security around it: login, roles, CSRF, CSP, cookies, lockout."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import AuditEntry
from tests.console.conftest import PASSWORD

ADMIN_PAGES = ["/console/models/", "/console/policy/", "/console/keys/", "/console/users/"]
ANALYST_PAGES = ["/console/queue/", "/console/clusters/", "/console/audit/"]


def test_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get("/console/queue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/?next=/console/queue/")


def test_user_without_a_console_role_is_refused(db):
    user = get_user_model().objects.create_user(username="nobody", password=PASSWORD)
    client = Client()
    client.force_login(user)
    assert client.get("/console/queue/").status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_analyst_cannot_open_admin_pages(analyst_web, path):
    assert analyst_web.get(path).status_code == 403


def test_analyst_cannot_activate_a_model(analyst_web, baseline):
    response = analyst_web.post(f"/console/models/{baseline.version}/activate/")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="activate_model").exists()


def test_analyst_cannot_use_django_admin(analyst_web):
    response = analyst_web.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ANALYST_PAGES)
def test_analyst_opens_analyst_pages(analyst_web, path):
    assert analyst_web.get(path).status_code == 200


@pytest.mark.parametrize("path", ANALYST_PAGES + ADMIN_PAGES + ["/admin/"])
def test_admin_opens_every_page(admin_web, baseline, path):
    assert admin_web.get(path).status_code == 200


def test_console_pages_carry_a_strict_content_security_policy(analyst_web):
    policy = analyst_web.get("/console/queue/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_form_posted_without_its_csrf_token_is_refused(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = client.post("/console/queue/decide/", {"account_ids": ["x"], "action": "ban", "note": "n"})
    assert response.status_code == 403


def test_the_session_cookie_is_secure_and_http_only_outside_debug(analyst):
    response = Client().post("/console/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_repeated_failed_logins_lock_the_user_out_even_with_the_right_password(analyst, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/console/login/", {"username": "ana", "password": "wrong password"})
    response = client.post("/console/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 429
    assert "sessionid" not in response.cookies


def test_a_successful_login_lands_on_the_queue(analyst):
    response = Client().post("/console/login/", {"username": "ana", "password": PASSWORD})
    assert response["Location"] == "/console/queue/"
