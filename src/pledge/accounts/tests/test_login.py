import importlib.util

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from pledge.audit.models import AuditEvent
from pledge.audit.services import subject_pseudonym_for

from .conftest import BOTH
from .factories import PASSWORD, customer_create
from .helpers import login, neutral

pytestmark = pytest.mark.django_db(databases=BOTH)


def test_a_customer_signs_in_with_username_or_email(client):
    customer_create(username="sanne", email="sanne@example.nl")
    assert login(client, "sanne", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert login(client, " Sanne@Example.NL ", PASSWORD).status_code == 302


def test_signing_in_gives_the_session_a_new_key(client):
    customer_create(username="sanne")
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "a-key-planted-by-an-attacker"
    login(client, "sanne", PASSWORD)
    assert client.cookies["sessionid"].value != "a-key-planted-by-an-attacker"


def test_wrong_password_and_unknown_account_get_the_same_answer(client):
    customer_create(username="sanne", email="sanne@example.nl")
    known = login(client, "sanne@example.nl", "verkeerd-wachtwoord-1")
    unknown = login(client, "niemand@example.nl", "verkeerd-wachtwoord-1")
    assert known.status_code == unknown.status_code == 200
    assert neutral(known, "sanne@example.nl") == neutral(unknown, "niemand@example.nl")


@pytest.fixture
def hasher_calls(settings, monkeypatch):
    """Every password hash computed, counted; Argon2 as in production when it is installed."""
    if importlib.util.find_spec("argon2") is not None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    hasher = type(get_hasher("default"))
    calls, depth = [], [0]
    for method in ("encode", "verify"):
        original = getattr(hasher, method)

        def spy(self, *args, _original=original, _method=method, **kwargs):
            if not depth[0]:  # a verify that encodes inside (MD5) is still one hash
                calls.append(_method)
            depth[0] += 1
            try:
                return _original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(hasher, method, spy)
    return calls


def test_the_password_hasher_runs_once_for_known_and_unknown_accounts(client, hasher_calls):
    customer_create(username="sanne", email="sanne@example.nl")
    hasher_calls.clear()
    login(client, "sanne@example.nl", "verkeerd-wachtwoord-1")
    assert hasher_calls == ["verify"]
    hasher_calls.clear()
    login(client, "niemand@example.nl", "verkeerd-wachtwoord-1")
    assert hasher_calls == ["encode"]
    hasher_calls.clear()
    login(client, "niemand", "verkeerd-wachtwoord-1")
    assert hasher_calls == ["encode"]


def test_registration_hashes_once_whether_or_not_the_address_is_taken(client, hasher_calls):
    customer_create(username="sanne", email="sanne@example.nl")
    for username, email in (("nieuw", "nieuw@example.nl"), ("ander", "sanne@example.nl")):
        hasher_calls.clear()
        client.post(
            reverse("accounts:register"),
            {"username": username, "email": email, "password": PASSWORD},
        )
        assert hasher_calls == ["encode"]


def test_eleventh_wrong_password_locks_the_account(client):
    user = customer_create(username="sanne")
    for _ in range(9):
        assert login(client, "sanne", "verkeerd-wachtwoord-1").status_code == 200
    assert login(client, "sanne", "verkeerd-wachtwoord-1").status_code == 429  # the tenth
    # Locked: even the right password is refused now, by username and by e-mail alike.
    response = login(client, "sanne", PASSWORD)
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Each refused attempt during the lockout is a lockout event of that account.
    lockouts = AuditEvent.objects.filter(action="lockout")
    assert {event.subject_pseudonym for event in lockouts} == {
        subject_pseudonym_for(subject_id=user.subject_id)
    }


def test_the_lockout_is_per_account_and_network(client):
    customer_create(username="sanne")
    customer_create(username="pieter")
    for _ in range(10):
        login(client, "sanne", "verkeerd-wachtwoord-1")
    assert login(client, "pieter", PASSWORD).status_code == 302
    assert login(client, "sanne", PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_axes_keeps_no_email_address_or_password(client):
    customer_create(username="sanne", email="sanne@example.nl")
    login(client, "sanne@example.nl", "geheim-wachtwoord-99")
    login(client, "onbekend@example.nl", "geheim-wachtwoord-99")
    for attempt in AccessAttempt.objects.all():
        stored = f"{attempt.username} {attempt.post_data} {attempt.get_data}"
        assert "example.nl" not in stored
        assert "geheim-wachtwoord" not in stored


def test_sign_ins_are_audited_by_pseudonym_without_values(client):
    user = customer_create(username="sanne", email="sanne@example.nl")
    login(client, "sanne", "verkeerd-wachtwoord-1")
    login(client, "onbekend@example.nl", "verkeerd-wachtwoord-1")
    login(client, "sanne", PASSWORD)
    pseudonym = subject_pseudonym_for(subject_id=user.subject_id)
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.action, e.subject_pseudonym) for e in events] == [
        ("login_failed", pseudonym),
        ("login_failed", ""),
        ("login", pseudonym),
    ]
    for event in events:
        assert "sanne" not in event.details_json and "onbekend" not in event.details_json


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"]
)
def test_next_to_another_site_is_ignored(client, target):
    customer_create(username="sanne")
    response = client.post(
        reverse("accounts:login") + f"?next={target}",
        {"username": "sanne", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:overview")


def test_next_to_a_page_of_this_site_is_followed(client):
    customer_create(username="sanne")
    response = client.post(
        reverse("accounts:login"),
        {"username": "sanne", "password": PASSWORD, "next": "/account/addresses/new/"},
    )
    assert response["Location"] == "/account/addresses/new/"


def test_logout_needs_a_post_and_ends_the_session(client):
    customer_create(username="sanne")
    login(client, "sanne", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:overview")).status_code == 302
    assert AuditEvent.objects.filter(action="logout").exists()


def test_failed_sign_ins_log_no_ip_address_or_login_name(client, caplog):
    customer_create(username="sanne", email="sanne@example.nl")
    with caplog.at_level("DEBUG"):
        for _ in range(10):
            login(client, "sanne@example.nl", "verkeerd-wachtwoord-1", REMOTE_ADDR="203.0.113.9")
    assert "AXES" in caplog.text
    assert "203.0.113.9" not in caplog.text
    assert "sanne" not in caplog.text
