import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from pledge.accounts.models import AccountSession, Address, CustomerProfile, User
from pledge.accounts.sessions import SEEN_AT, SIGNED_IN_AT
from pledge.audit.models import AuditEvent

from .conftest import BOTH
from .factories import PASSWORD, SECOND_ADDRESS, customer_create
from .helpers import link_in, login

pytestmark = pytest.mark.django_db(databases=BOTH)


@pytest.fixture
def sanne(client):
    user = customer_create(username="sanne", email="sanne@example.nl")
    login(client, "sanne", PASSWORD)
    return user


ADDRESS_FORM = {
    "label": "Oma",
    "name": "Sanne de Vries",
    "street": "Lange Voorhout",
    "house_number": "34",
    "postal_code": "2514eg",
    "city": "Den Haag",
    "country": "NL",
}


def test_my_account_needs_a_sign_in(client):
    response = client.get(reverse("accounts:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_my_account_shows_every_personal_detail_in_dutch_and_english(client, sanne):
    page = client.get(reverse("accounts:overview")).content.decode()
    for value in ("sanne", "sanne@example.nl", "Sanne", "de Vries", "+31 6 1234 5678", "1016 GV"):
        assert value in page
    assert "Mijn account" in page
    assert "My account" in client.get("/en/account/").content.decode()


def test_details_are_changed_and_audited_without_their_values(client, sanne):
    response = client.post(
        reverse("accounts:profile_edit"),
        {"first_name": "Sanne", "last_name": "Jansen", "phone": "+31 20 123 4567"},
    )
    assert response.status_code == 302
    profile = CustomerProfile.objects.get(user=sanne)
    assert (profile.last_name, profile.phone) == ("Jansen", "+31 20 123 4567")
    event = AuditEvent.objects.filter(action="account_change").latest("sequence")
    assert event.details_json == '{"fields":["last_name","phone"]}'


def test_a_bad_phone_number_is_explained_and_nothing_is_saved(client, sanne):
    response = client.post(
        reverse("accounts:profile_edit"),
        {"first_name": "Anders", "last_name": "de Vries", "phone": "bel me maar"},
    )
    assert response.status_code == 200
    assert "telefoonnummer van 8 tot 15 cijfers" in response.content.decode()
    assert CustomerProfile.objects.get(user=sanne).first_name == "Sanne"


def test_the_address_book_holds_several_addresses_with_one_default(client, sanne):
    client.post(reverse("accounts:address_add"), ADDRESS_FORM)
    added = Address.objects.filter(user=sanne).latest("created_at")
    assert added.postal_address["postal_code"] == "2514 EG"  # written the Dutch way
    assert not added.is_default
    overview = client.get(reverse("accounts:overview")).content.decode()
    assert "Nederland</address>" in overview and "NL</address>" not in overview
    client.post(reverse("accounts:address_default", args=[added.pk]))
    assert [a.is_default for a in Address.objects.filter(user=sanne)] == [False, True]

    client.post(
        reverse("accounts:address_edit", args=[added.pk]), {**ADDRESS_FORM, "city": "Delft"}
    )
    added.refresh_from_db()
    assert added.postal_address["city"] == "Delft"

    client.post(reverse("accounts:address_delete", args=[added.pk]))
    [left] = Address.objects.filter(user=sanne)
    assert left.is_default  # the book keeps a default address
    changes = AuditEvent.objects.filter(action="account_change").values_list("details_json")
    assert all("Delft" not in details and "Voorhout" not in details for (details,) in changes)


def test_a_dutch_postal_code_must_look_like_one(client, sanne):
    response = client.post(reverse("accounts:address_add"), {**ADDRESS_FORM, "postal_code": "12"})
    assert response.status_code == 200
    assert Address.objects.filter(user=sanne).count() == 1


def test_customer_a_gets_404_on_customer_b_address(client, sanne):
    other = customer_create(username="pieter", addresses=[SECOND_ADDRESS])
    theirs = Address.objects.get(user=other)
    assert client.get(reverse("accounts:address_edit", args=[theirs.pk])).status_code == 404
    post = client.post(reverse("accounts:address_edit", args=[theirs.pk]), ADDRESS_FORM)
    assert post.status_code == 404
    assert client.post(reverse("accounts:address_delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:address_default", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.postal_address["city"] == "Utrecht"


def test_customer_a_gets_404_on_customer_b_session(client, sanne):
    customer_create(username="pieter")
    pieter = Client()
    login(pieter, "pieter", PASSWORD)
    theirs = AccountSession.objects.get(user__username="pieter")
    assert str(theirs.pk) not in client.get(reverse("accounts:sessions")).content.decode()
    response = client.post(reverse("accounts:session_end", args=[theirs.pk]))
    assert response.status_code == 404
    assert pieter.get(reverse("accounts:overview")).status_code == 200


def test_a_session_is_ended_from_another_device(client, sanne):
    laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Firefox/130.0")
    login(laptop, "sanne", PASSWORD)
    page = client.get(reverse("accounts:sessions")).content.decode()
    assert "Firefox / Linux" in page
    row = AccountSession.objects.get(user=sanne, user_agent_summary="Firefox / Linux")
    assert client.post(reverse("accounts:session_end", args=[row.pk])).status_code == 302
    assert laptop.get(reverse("accounts:overview")).status_code == 302
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_idle_sessions_are_signed_out_after_thirty_minutes(client, sanne, settings):
    session = client.session
    session[SEEN_AT] = int(time.time()) - settings.ACCOUNTS_SESSION_IDLE_SECONDS - 5
    session.save()
    assert client.get(reverse("accounts:overview")).status_code == 302
    assert AuditEvent.objects.filter(action="logout").exists()


def test_sessions_end_twelve_hours_after_sign_in_however_active(client, sanne, settings):
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.ACCOUNTS_SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    assert client.get(reverse("accounts:overview")).status_code == 302


def test_session_table_keeps_no_session_key(client, sanne):
    key = client.cookies["sessionid"].value
    row = AccountSession.objects.get(user=sanne)
    assert key not in row.session_key_hash


def test_email_change_needs_verification_of_the_new_address(client, sanne, outbox):
    response = client.post(
        reverse("accounts:email_change"),
        {"new_email": "sanne.nieuw@example.nl", "password": PASSWORD},
    )
    assert response.status_code == 302
    profile = CustomerProfile.objects.get(user=sanne)
    assert profile.email == "sanne@example.nl"  # the old address stays in use until then
    assert profile.pending_email == "sanne.nieuw@example.nl"
    [confirm] = outbox(sanne.subject_id, "email_change")
    assert confirm["recipient"] == "sanne.nieuw@example.nl"
    [notice] = outbox(sanne.subject_id, "email_change_notice")
    assert notice["recipient"] == "sanne@example.nl"
    # Signing in with the new address does not work yet.
    assert login(Client(), "sanne.nieuw@example.nl", PASSWORD).status_code == 200

    path = link_in(confirm)
    assert "nieuw" not in path
    assert Client().post(path).status_code == 200
    profile.refresh_from_db()
    assert profile.email == "sanne.nieuw@example.nl" and not profile.pending_email
    assert login(Client(), "sanne.nieuw@example.nl", PASSWORD).status_code == 302
    assert login(Client(), "sanne@example.nl", PASSWORD).status_code == 200
    assert Client().post(path).status_code == 400  # used once


def test_email_change_needs_the_current_password(client, sanne, outbox):
    client.post(
        reverse("accounts:email_change"),
        {"new_email": "kaper@example.nl", "password": "geraden-wachtwoord"},
    )
    assert not CustomerProfile.objects.get(user=sanne).pending_email
    assert outbox(sanne.subject_id, "email_change") == []


def test_changing_to_another_accounts_address_changes_nothing(client, sanne, outbox):
    customer_create(email="pieter@example.nl")
    response = client.post(
        reverse("accounts:email_change"), {"new_email": "pieter@example.nl", "password": PASSWORD}
    )
    assert response.status_code == 302  # the same answer as for a free address
    assert not CustomerProfile.objects.get(user=sanne).pending_email
    assert outbox(sanne.subject_id, "email_change") == []


@pytest.mark.parametrize(
    "name",
    ["overview", "profile_edit", "address_add", "email_change", "password_change", "sessions"],
)
def test_account_pages_have_no_inline_styles_or_scripts(client, sanne, name):
    html = client.get(reverse(f"accounts:{name}")).content.decode()
    assert "style=" not in html and "<style" not in html
    # Scripts only as the CSP allows them: each tag carries the response's nonce.
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "nonce=" in script, script


def test_a_staff_account_without_a_profile_sees_my_account_but_cannot_edit_it(client):
    staff = User.objects.create_user("beheerder", PASSWORD, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("accounts:overview")).status_code == 200
    assert client.get(reverse("accounts:profile_edit")).status_code == 404
    assert client.get(reverse("accounts:address_add")).status_code == 404
