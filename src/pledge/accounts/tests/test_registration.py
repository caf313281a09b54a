import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from pledge.accounts.models import CustomerProfile, User
from pledge.audit.models import AuditEvent
from pledge.mail.services import outbox_deliver_due

from .conftest import BOTH
from .factories import PASSWORD, customer_create
from .helpers import LINK, link_in, login, neutral, register, user_named

pytestmark = pytest.mark.django_db(databases=BOTH)


def test_registration_mails_a_link_that_verifies_the_address_and_then_the_customer_signs_in(
    client, outbox
):
    response = register(client, username="jan.jansen", email="jan@example.nl", password=PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    user = user_named("jan.jansen")
    assert user.customer_profile.email_verified_at is None

    # Delivered for real through the outbox: Django's locmem outbox receives it.
    outbox_deliver_due()
    [sent] = [m for m in mail.outbox if m.to == ["jan@example.nl"]]
    assert "/account/verify/" in sent.body
    [queued] = outbox(user.subject_id, "verify_email")
    path = link_in(queued)
    assert "jan" not in path  # the link names the account by id, never by address

    assert client.get(path).status_code == 200  # a confirm button; opening the link is not enough
    assert client.post(path).status_code == 200
    user.customer_profile.refresh_from_db()
    assert user.customer_profile.email_verified_at is not None
    assert client.post(path).status_code == 400  # used once

    response = login(client, "jan@example.nl", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_the_verification_mail_reaches_a_real_smtp_server(client, smtp_sink):
    register(client, username="jan.jansen", email="jan@example.nl", password=PASSWORD)
    outbox_deliver_due()
    [message] = smtp_sink.messages
    assert message["To"] == "jan@example.nl"
    body = message.get_body(preferencelist=("plain",)).get_content()
    path = LINK.search(body)[1]
    assert client.post(path).status_code == 200
    assert user_named("jan.jansen").customer_profile.email_verified_at is not None


def test_registration_in_english_sends_the_mail_in_english(client, outbox):
    register(
        client,
        username="emma.smit",
        email="emma@example.nl",
        password=PASSWORD,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    client.post("/en/account/register/", {})  # the English page exists
    user = user_named("emma.smit")
    assert user.language == "nl"  # NL at the root: the language comes from the URL
    response = client.post(
        "/en/account/register/",
        {"username": "tom.bakker", "email": "tom@example.nl", "password": PASSWORD},
    )
    assert response.status_code == 302
    [message] = outbox(user_named("tom.bakker").subject_id, "verify_email")
    assert message["language"] == "en"
    assert "Confirm your e-mail address" in message["subject"]


def test_dutch_verification_mail_is_in_dutch(client, outbox):
    register(client, username="fleur.visser", email="fleur@example.nl", password=PASSWORD)
    [message] = outbox(user_named("fleur.visser").subject_id, "verify_email")
    assert message["language"] == "nl"
    assert "Bevestig" in message["subject"]


def test_a_taken_email_gives_the_same_screen_and_mails_the_owner(client, outbox):
    owner = customer_create(username="sanne", email="sanne@example.nl")
    fresh = register(client, username="pieter", email="pieter@example.nl", password=PASSWORD)
    taken = register(client, username="sanne2", email="Sanne@Example.nl", password=PASSWORD)
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert neutral(client.get(taken["Location"])) == neutral(client.get(fresh["Location"]))
    assert not User.objects.filter(username="sanne2").exists()
    [warning] = outbox(owner.subject_id, "registration_attempt")
    assert warning["recipient"] == "sanne@example.nl"


def test_a_taken_username_creates_nothing_and_mails_its_owner(client, outbox):
    owner = customer_create(username="sanne", email="sanne@example.nl")
    response = register(client, username="Sanne", email="ander@example.nl", password=PASSWORD)
    assert response["Location"] == reverse("accounts:register_done")
    assert User.objects.filter(username__iexact="sanne").count() == 1
    assert len(outbox(owner.subject_id, "registration_attempt")) == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort-wachtw", "at least 12"),  # 11 characters
        ("password1234", "too common"),
        ("jan.jansen.2024", "too similar to the username"),
        ("janjansen@example", "too similar to the e-mail address"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason_and_nothing_is_stored(client, password, reason):
    response = client.post(
        "/en/account/register/",
        {"username": "jan.jansen", "email": "janjansen@example.nl", "password": password},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not User.objects.filter(username="jan.jansen").exists()
    assert not CustomerProfile.objects.exists()


def test_a_long_passphrase_without_digits_or_capitals_is_accepted(client):
    register(client, username="kees", email="kees@example.nl", password="fiets op de dijk")
    assert User.objects.filter(username="kees").exists()


def test_username_with_an_at_sign_is_refused(client):
    response = register(client, username="jan@x", email="j@example.nl", password=PASSWORD)
    assert response.status_code == 200
    assert not User.objects.exists()


def test_the_email_column_holds_no_plaintext(client):
    register(client, username="jan.jansen", email="geheim.adres@example.nl", password=PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_index FROM accounts_customerprofile")
        rows = cursor.fetchall()
    assert rows
    for email, email_index in rows:
        assert "geheim" not in email and "example.nl" not in email
        assert "geheim" not in email_index


def test_registration_is_rate_limited_per_address(client, outbox):
    owner = customer_create(email="sanne@example.nl")
    for number in range(5):
        register(client, username=f"x{number}xx", email="sanne@example.nl", password=PASSWORD)
    assert len(outbox(owner.subject_id, "registration_attempt")) == 3


def test_registration_is_rate_limited_per_network(client, settings):
    settings.ACCOUNTS_MAIL_LIMIT_PER_IP = 2
    for number in range(3):
        register(
            client, username=f"klant{number}", email=f"k{number}@example.nl", password=PASSWORD
        )
    assert User.objects.count() == 2


def test_registration_audit_event_holds_no_values(client):
    register(client, username="jan.jansen", email="jan@example.nl", password=PASSWORD)
    event = AuditEvent.objects.get(action="account_change")
    assert event.subject_pseudonym
    assert "jan" not in event.details_json and "example" not in event.details_json
