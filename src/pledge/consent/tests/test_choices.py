"""Making, changing and withdrawing a choice: forms, forgery, GPC, re-asking."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pledge.audit.models import AuditAction, AuditEvent
from pledge.consent.models import ConsentRecord, ConsentSource

from .helpers import GA_HOSTS, csp_hosts, decide

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_without_javascript_a_choice_redirects_back_to_the_page(client):
    response = decide(client, "accept_all", next_url="/cookies/")
    assert response.status_code == 302
    assert response["Location"] == "/cookies/?consent=saved"


def test_a_next_on_another_site_is_ignored(client):
    response = decide(client, "reject_all", next_url="https://evil.example/steal")
    assert response["Location"] == "/?consent=saved"
    response = decide(client, "reject_all", next_url="//evil.example/")
    assert response["Location"] == "/?consent=saved"


def test_settings_button_opens_the_settings_page_without_recording(client):
    response = decide(client, "settings", next_url="/cookies/")
    assert response["Location"].startswith(reverse("consent:settings"))
    assert not ConsentRecord.objects.exists()


def test_forged_cross_site_post_is_refused_and_grants_nothing():
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    response = browser.post(reverse("consent:decide"), {"choice": "accept_all", "next": "/"})
    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()
    assert not csp_hosts(browser.get("/"))


def test_a_real_form_post_with_its_token_is_accepted():
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("consent:decide"), {"choice": "reject_all", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_an_unknown_choice_gets_a_clear_message_and_stores_nothing(client):
    response = decide(client, "sell_my_data")
    assert response.status_code == 400
    assert "Kies Alles accepteren" in response.content.decode()
    response = decide(client, "save", categories=["profiling"])
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_javascript_choice_gets_json_without_a_reload(client):
    response = decide(client, "reject_all", HTTP_ACCEPT="application/json")
    assert response.json() == {"granted": [], "refused": ["analytics", "advertising", "social"]}
    assert "pledge_consent" in response.cookies


def test_withdrawal_from_the_footer_settings_deletes_the_google_analytics_cookies(client):
    decide(client, "accept_all")
    client.cookies["_ga"] = "GA1.1.123.456"
    client.cookies["_ga_DEMO123"] = "GS1.1.789"
    client.cookies["_fbp"] = "fb.1.123"
    assert 'href="/consent/?next=' in client.get("/").content.decode()
    response = decide(client, "save", categories=["social"])
    assert response.cookies["_ga"]["max-age"] == 0
    assert response.cookies["_ga_DEMO123"]["max-age"] == 0
    assert "_fbp" not in response.cookies  # social stays granted: its cookie stays
    assert not csp_hosts(client.get("/")) & GA_HOSTS
    latest = ConsentRecord.objects.latest()
    assert (latest.granted, latest.source) == (["social"], ConsentSource.SETTINGS)


def test_gpc_signal_refuses_advertising_and_social_without_a_click(client):
    response = client.get("/", HTTP_SEC_GPC="1")
    record = ConsentRecord.objects.get()
    assert record.source == ConsentSource.GPC
    assert record.refused == ["advertising", "social"] and record.granted == []
    assert response.cookies["pledge_consent"].value == record.consent_id
    # Analytics is still asked, with the GPC note.
    html = response.content.decode()
    assert 'id="consent-banner"' in html and "Global Privacy Control" in html
    client.get("/cookies/", HTTP_SEC_GPC="1")
    assert ConsentRecord.objects.count() == 1  # recorded once, not per page


def test_accept_all_under_gpc_still_refuses_advertising_and_social(client):
    client.get("/", HTTP_SEC_GPC="1")
    decide(client, "accept_all", HTTP_SEC_GPC="1")
    assert ConsentRecord.objects.latest().granted == ["analytics"]
    assert csp_hosts(client.get("/", HTTP_SEC_GPC="1")) == GA_HOSTS


def test_gpc_json_says_we_honour_the_signal(client):
    response = client.get("/.well-known/gpc.json")
    assert response.json() == {"gpc": True, "lastUpdate": "2026-11-27"}


def test_a_decision_older_than_the_consent_cookie_lifetime_is_asked_again(client):
    decide(client, "accept_all")
    ConsentRecord.objects.update(created_at=timezone.now() - datetime.timedelta(days=366))
    response = client.get("/")
    assert 'id="consent-banner"' in response.content.decode()
    assert not csp_hosts(response)


def test_every_change_is_in_the_audit_log_with_categories_only(client):
    decide(client, "save", categories=["analytics"])
    record = ConsentRecord.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_CHANGE)
    assert event.object_id == str(record.id)
    assert record.consent_id not in event.details_json
    assert event.details["granted"] == ["analytics"]
