"""The real pages and middleware when the vault database is down: a friendly 503, nothing half
written, whichever part of the request needed a key (the view, or a session time-out that
audits the sign-out under the person's pseudonym)."""

import time

import pytest
from django.urls import reverse

from pledge.accounts.models import AccountSession, User
from pledge.accounts.sessions import SEEN_AT
from pledge.audit.models import AuditEvent
from pledge.testing import vault_unreachable

from .conftest import BOTH
from .factories import PASSWORD, customer_create
from .helpers import login

pytestmark = pytest.mark.django_db(databases=BOTH)


@pytest.fixture
def sanne(client):
    user = customer_create(username="sanne", email="sanne@example.nl")
    login(client, "sanne", PASSWORD)
    return user


def assert_friendly_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Tijdelijk niet beschikbaar" in response.content.decode()


def test_an_idle_session_ending_while_the_vault_is_down_gets_the_503_page(client, sanne, settings):
    session = client.session
    session[SEEN_AT] = int(time.time()) - settings.ACCOUNTS_SESSION_IDLE_SECONDS - 5
    session.save()
    events = AuditEvent.objects.count()
    # Raised in a middleware, Django makes it a 500 (which the test client would re-raise) and
    # the vault's middleware turns that into the 503 a visitor sees.
    client.raise_request_exception = False
    with vault_unreachable():
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert_friendly_503(response)
    # The sign-out rolled back whole: still tracked, not audited; the next visit finishes it.
    assert AccountSession.objects.filter(user=sanne).exists()
    assert AuditEvent.objects.count() == events
    assert client.get(reverse("accounts:overview")).status_code == 302
    assert AuditEvent.objects.filter(action="logout").exists()


def test_my_account_answers_503_while_the_vault_is_down(client, sanne):
    with vault_unreachable():
        assert_friendly_503(client.get(reverse("accounts:overview"), HTTP_ACCEPT_LANGUAGE="nl"))


def test_signing_in_while_the_vault_is_down_writes_no_session_and_no_audit_row(client):
    customer_create(username="bram", email="bram@example.nl")
    events = AuditEvent.objects.count()
    with vault_unreachable():
        response = client.post(
            reverse("accounts:login"),
            {"username": "bram", "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert_friendly_503(response)
    assert not AccountSession.objects.exists()
    assert AuditEvent.objects.count() == events


def test_registering_while_the_vault_is_down_creates_no_account(client):
    with vault_unreachable():
        response = client.post(
            reverse("accounts:register"),
            {"username": "fleur", "email": "fleur@example.nl", "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert_friendly_503(response)
    assert not User.objects.filter(username="fleur").exists()
