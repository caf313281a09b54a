import pytest
from django.test import Client
from django.urls import reverse

from pledge.accounts.models import AccountSession
from pledge.audit.models import AuditEvent

from .conftest import BOTH
from .factories import PASSWORD, customer_create
from .helpers import link_in, login, neutral

pytestmark = pytest.mark.django_db(databases=BOTH)

NEW_PASSWORD = "nieuwe-lente-in-de-polder"


def reset(client, email, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def test_reset_gives_the_same_answer_for_known_and_unknown_addresses(client, outbox):
    user = customer_create(email="sanne@example.nl")
    known = reset(client, "sanne@example.nl")
    unknown = reset(client, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert neutral(client.get(known["Location"])) == neutral(client.get(unknown["Location"]))
    assert len(outbox(user.subject_id, "password_reset")) == 1


def test_rate_limit_stops_the_fourth_reset_mail(client, outbox):
    user = customer_create(email="sanne@example.nl")
    for _ in range(4):
        assert reset(client, "sanne@example.nl").status_code == 302
    assert len(outbox(user.subject_id, "password_reset")) == 3


def test_the_ip_limit_holds_across_addresses(client, outbox, settings):
    settings.ACCOUNTS_MAIL_LIMIT_PER_IP = 2
    users = [customer_create() for _ in range(3)]
    for user in users:
        reset(client, user.customer_profile.email)
    sent = [len(outbox(user.subject_id, "password_reset")) for user in users]
    assert sent == [1, 1, 0]


def test_reset_link_sets_a_new_password_once_and_signs_out_everywhere(client, outbox):
    user = customer_create(username="sanne", email="sanne@example.nl")
    elsewhere = Client()
    login(elsewhere, "sanne", PASSWORD)
    reset(client, "sanne@example.nl")
    [message] = outbox(user.subject_id, "password_reset")
    path = link_in(message)

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    assert "set-password" in set_password_url  # the token left the address bar
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert not AccountSession.objects.filter(user=user).exists()
    # The other device is signed out.
    assert elsewhere.get(reverse("accounts:overview")).status_code == 302
    assert login(Client(), "sanne", NEW_PASSWORD).status_code == 302
    # The link was for one use: the password changed, so the token no longer matches.
    again = Client().get(path, follow=True)
    assert b"new_password1" not in again.content
    assert AuditEvent.objects.filter(action="password_change").count() == 1
    assert len(outbox(user.subject_id, "password_changed")) == 1


def test_a_reset_through_the_mailed_link_confirms_the_address(client, outbox):
    user = customer_create(email="sanne@example.nl", verified=False)
    reset(client, "sanne@example.nl")
    page = client.get(link_in(outbox(user.subject_id, "password_reset")[0]), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    user.customer_profile.refresh_from_db()
    assert user.customer_profile.email_verified_at is not None


def test_a_tampered_reset_link_does_nothing(client, outbox):
    user = customer_create(email="sanne@example.nl")
    reset(client, "sanne@example.nl")
    path = link_in(outbox(user.subject_id, "password_reset")[0])
    response = client.get(path[:-3] + "xx/", follow=True)
    assert b"new_password1" not in response.content


def test_password_change_signs_out_the_other_sessions_but_not_this_one(client, outbox):
    user = customer_create(username="sanne")
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1")
    login(phone, "sanne", PASSWORD)
    login(client, "sanne", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:overview")).status_code == 200
    assert phone.get(reverse("accounts:overview")).status_code == 302
    assert AccountSession.objects.filter(user=user).count() == 1
    event = AuditEvent.objects.get(action="password_change")
    assert PASSWORD not in event.details_json and NEW_PASSWORD not in event.details_json


def test_password_change_needs_the_current_password(client):
    customer_create(username="sanne")
    login(client, "sanne", PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "niet-het-goede-wachtwoord",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Uw huidige wachtwoord klopt niet" in response.content.decode()


def test_a_new_password_like_the_email_address_is_refused(client):
    customer_create(username="sanne", email="pietjepuk@example.nl")
    login(client, "sanne", PASSWORD)
    response = client.post(
        "/en/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "pietjepuk@example",
            "new_password2": "pietjepuk@example",
        },
    )
    assert "too similar to the e-mail address" in response.content.decode()
