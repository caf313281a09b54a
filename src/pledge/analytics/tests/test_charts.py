"""The back-office statistics screen: marketing sees charts of aggregates; others get a 403."""

import re

import pytest

from pledge.analytics.models import PageView
from pledge.policy.selectors import current_policy

from .factories import IP_UTRECHT, beacon_body, signed_in, staff_create, visitor_headers

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def counted(client):
    for path, referrer, ip in [
        ("/", "https://www.google.nl/search?q=fotoboek", None),
        ("/privacy/", "", None),
        ("/", "https://duckduckgo.com/", IP_UTRECHT),
    ]:
        headers = visitor_headers(ip=ip) if ip else visitor_headers()
        client.post("/stats/hit", beacon_body(path, referrer), content_type="text/plain", **headers)
    assert PageView.objects.count() == 3
    client.cookies.clear()


def test_the_statistics_screen_renders_for_marketing(client, counted):
    signed_in(client, staff_create(roles=("marketing",)))
    response = client.get("/backoffice/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statistieken" in html
    assert "<svg" in html and "analytics-bar" in html
    assert "www.google.nl" in html and "duckduckgo.com" in html
    assert "/privacy/" in html
    # Aggregates only: no visitor hash, and nothing inline the CSP would refuse.
    for view_hash in PageView.objects.values_list("visitor_hash", flat=True):
        assert view_hash not in html
    assert not re.search(r"<script(?![^>]*nonce=)", html)
    assert "style=" not in html


def test_the_statistics_screen_is_in_english_under_en(client, counted):
    signed_in(client, staff_create(roles=("marketing",)))
    response = client.get("/en/backoffice/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visitors and page views per day" in html
    # The language switch leads to the Dutch version of the same screen.
    assert 'href="/backoffice/statistics/"' in html


def test_the_screen_is_in_the_marketing_menu(client):
    signed_in(client, staff_create(roles=("marketing",)))
    html = client.get("/en/backoffice/").content.decode()
    assert 'href="/en/backoffice/statistics/"' in html


def test_fulfilment_gets_a_403(client, counted):
    signed_in(client, staff_create(roles=("fulfilment",)))
    assert client.get("/backoffice/statistics/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_staff_sign_in(client):
    response = client.get("/backoffice/statistics/")
    assert response.status_code == 302
    assert "/backoffice/login/" in response["Location"]


def test_the_screen_renders_with_no_page_views_yet(client):
    signed_in(client, staff_create(roles=("marketing",)))
    response = client.get("/en/backoffice/statistics/")
    assert response.status_code == 200
    assert "No page views yet." in response.content.decode()


def test_the_screen_shows_consent_rates_per_cookie_category(client):
    from pledge.consent.services import consent_record

    everything = [c.id for c in current_policy().cookie_categories if c.requires_consent]
    consent_record(consent_id=None, granted=everything, source="banner")
    consent_record(consent_id=None, granted=["analytics"], source="banner")
    signed_in(client, staff_create(roles=("marketing",)))

    dutch = client.get("/backoffice/statistics/").content.decode()
    english = client.get("/en/backoffice/statistics/").content.decode()

    analytics = current_policy().cookie_category("analytics")
    advertising = current_policy().cookie_category("advertising")
    assert "Toestemming per cookiecategorie" in dutch
    assert f"{analytics.name.nl}: 100%" in dutch and f"{advertising.name.nl}: 50%" in dutch
    assert "Consent per cookie category" in english
    assert f"{advertising.name.en}: 50%" in english
    assert "style=" not in dutch
