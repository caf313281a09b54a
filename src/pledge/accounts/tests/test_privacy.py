"""What an auditor checks: no personal value reaches the audit log, a log line or a URL."""

import secrets

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from pledge.accounts.models import Address
from pledge.audit.models import AuditEvent

from .conftest import BOTH
from .factories import PASSWORD
from .helpers import LINK, link_in, login, register, user_named

pytestmark = pytest.mark.django_db(databases=BOTH)


def canary(label: str) -> str:
    return f"{label}{secrets.token_hex(4)}"


def test_a_whole_account_life_leaves_no_values_in_audit_log_logs_or_links(client, outbox, caplog):
    username = canary("kanarie")
    email = f"{canary('post')}@example.nl"
    new_email = f"{canary('nieuw')}@example.nl"
    phone = "+31 6 9876 5432"
    street = canary("Kanariestraat")
    values = [username, email, new_email, phone, street, PASSWORD]

    with caplog.at_level("DEBUG"):
        register(client, username=username, email=email, password=PASSWORD)
        user = user_named(username)
        client.post(link_in(outbox(user.subject_id, "verify_email")[0]))
        login(client, email, "fout-wachtwoord-123")
        login(client, email, PASSWORD)
        client.post(
            reverse("accounts:profile_edit"),
            {"first_name": "Kees", "last_name": canary("Vogel"), "phone": phone},
        )
        client.post(
            reverse("accounts:address_add"),
            {
                "name": "Kees Vogel",
                "street": street,
                "house_number": "1",
                "postal_code": "9711 AA",
                "city": "Groningen",
                "country": "NL",
            },
        )
        client.post(
            reverse("accounts:email_change"), {"new_email": new_email, "password": PASSWORD}
        )
        Client().post(link_in(outbox(user.subject_id, "email_change")[0]))
        client.post(reverse("accounts:logout"))

    user.customer_profile.refresh_from_db()
    assert (user.customer_profile.email, user.customer_profile.phone) == (new_email, phone)
    assert Address.objects.filter(user=user).count() == 1
    events = list(AuditEvent.objects.all())
    assert {e.action for e in events} >= {"account_change", "login", "login_failed", "logout"}
    for event in events:
        row = " ".join(str(getattr(event, f.attname)) for f in event._meta.concrete_fields)
        for value in values:
            assert value not in row
    for value in values:
        assert value not in caplog.text
    # Mailed links name the account by id only.
    for message in outbox(user.subject_id):
        for match in LINK.finditer(message["body_text"] or ""):
            assert all(value not in match[1] for value in values)

    # The database holds the address book encrypted.
    table = Address._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT label, postal_address FROM {table}")  # noqa: S608
        assert street not in str(cursor.fetchall())
