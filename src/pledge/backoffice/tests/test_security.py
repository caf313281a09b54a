"""Idle back-office sessions end; sensitive actions need password and code again."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from pledge.backoffice import security
from pledge.backoffice.tests.factories import (
    PASSWORD,
    code_for,
    device_of,
    recovery_codes_for,
    session_shift,
    signed_in,
    staff_create,
)

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

DASHBOARD = "/backoffice/"
RENEW = "/backoffice/security/recovery-codes/"


def test_sixteen_idle_minutes_mean_signing_in_again(client):
    signed_in(client, staff_create(roles=("support",)))
    assert client.get(DASHBOARD).status_code == 200
    session_shift(client, security.LAST_SEEN, seconds=16 * 60)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")
    # Signed out for real: the next request is not let in either, and the login page says why.
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "U bent na 15 minuten zonder activiteit uitgelogd" in login_page


def test_fourteen_idle_minutes_keep_the_session(client):
    signed_in(client, staff_create(roles=("support",)))
    session_shift(client, security.LAST_SEEN, seconds=14 * 60)
    assert client.get(DASHBOARD).status_code == 200


def test_sensitive_action_without_recent_reauthentication_shows_the_reauth_page(client):
    signed_in(client, staff_create(roles=("support",)))
    response = client.post(RENEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:reauth"))
    page = client.get(response["Location"])
    assert "Bevestig dat u het bent" in page.content.decode()


def test_reauthentication_with_password_and_code_allows_the_action(client):
    staff = staff_create(roles=("support",))
    old_codes = recovery_codes_for(staff)
    signed_in(client, staff)
    reauth = client.post(
        reverse("backoffice:reauth"),
        {"password": PASSWORD, "code": code_for(device_of(staff)), "next": RENEW},
    )
    assert reauth.status_code == 302
    assert reauth["Location"] == RENEW
    renewed = client.post(RENEW)
    assert renewed.status_code == 200
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", renewed.content.decode())
    assert len(new_codes) == 10
    # The old codes stopped working.
    assert not StaticToken.objects.filter(token__in=old_codes).exists()


def test_reauthentication_with_a_wrong_password_is_refused(client):
    staff = staff_create(roles=("support",))
    signed_in(client, staff)
    response = client.post(
        reverse("backoffice:reauth"),
        {"password": "verkeerd-wachtwoord", "code": code_for(device_of(staff)), "next": RENEW},
    )
    assert response.status_code == 400
    assert "Het wachtwoord of de code klopt niet" in response.content.decode()
    assert client.post(RENEW).status_code == 302


def test_reauthentication_older_than_five_minutes_is_asked_again(client):
    staff = staff_create(roles=("support",))
    signed_in(client, staff, reauth_seconds_ago=4 * 60)
    assert client.post(RENEW).status_code == 200
    session_shift(client, security.REAUTH_AT, seconds=2 * 60)
    response = client.post(RENEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:reauth"))


def test_reauth_does_not_send_the_staff_member_to_another_site(client):
    staff = staff_create(roles=("support",))
    signed_in(client, staff)
    response = client.post(
        reverse("backoffice:reauth"),
        {"password": PASSWORD, "code": code_for(device_of(staff)), "next": "https://evil.example"},
    )
    assert response["Location"] == DASHBOARD
