"""What a visitor sees and what the browser receives before and after a choice."""

import re

import pytest
from django.urls import reverse

from pledge.consent.models import ConsentRecord, ConsentSource
from pledge.consent.wording import banner_sha256

from .helpers import ALL_VENDOR_HOSTS, GA_HOSTS, csp_hosts, decide

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_first_visit_shows_banner_with_three_equally_prominent_buttons(client):
    html = client.get("/").content.decode()
    assert 'id="consent-banner"' in html
    buttons = re.findall(
        r'<button type="submit" name="choice" value="(\w+)" class="([^"]+)">', html
    )
    assert [value for value, _ in buttons] == ["accept_all", "reject_all", "settings"]
    assert {css for _, css in buttons} == {"consent-button"}


def test_banner_speaks_english_under_en(client):
    html = client.get("/en/").content.decode()
    assert "Accept all" in html and "Reject all" in html


def test_banner_speaks_dutch_at_the_root(client):
    html = client.get("/").content.decode()
    assert "Alles accepteren" in html and "Alles weigeren" in html


def test_first_visit_sets_only_functional_cookies_and_no_vendor_host(client):
    response = client.get("/")
    assert set(response.cookies) <= {"csrftoken"}  # the banner is a form
    assert not csp_hosts(response)
    assert "googletagmanager" not in response.content.decode()


def test_every_page_says_it_varies_by_cookie(client):
    vary = client.get("/").headers["Vary"]
    assert "Cookie" in vary and "Sec-GPC" in vary


def test_rejecting_sets_no_non_functional_cookie_and_every_page_works(client):
    response = decide(client, "reject_all")
    assert set(response.cookies) == {"pledge_consent"}
    for path in ["/", "/privacy/", "/cookies/", "/account/login/", "/account/register/", "/en/"]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert not set(page.cookies) - {"csrftoken", "sessionid"}, path
        assert not csp_hosts(page), path
        assert 'id="consent-banner"' not in page.content.decode(), path
    assert client.get("/account/").status_code == 302  # sign-in needed, not a cookie wall


def test_rejecting_is_recorded_with_policy_version_and_banner_hash(client):
    decide(client, "reject_all")
    record = ConsentRecord.objects.get()
    assert record.granted == []
    assert record.refused == ["analytics", "advertising", "social"]
    assert record.policy_version == "2026.1"
    assert record.banner_sha256 == banner_sha256(language="nl")
    assert record.source == ConsentSource.BANNER
    assert client.cookies["pledge_consent"].value == record.consent_id


def test_banner_hash_differs_per_language(client):
    decide(client, "reject_all", next_url="/en/")
    client.cookies.clear()
    client.post("/en" + reverse("consent:decide"), {"choice": "reject_all"})
    dutch, english = ConsentRecord.objects.order_by("created_at")
    assert (dutch.language, english.language) == ("nl", "en")
    assert dutch.banner_sha256 != english.banner_sha256


@pytest.mark.parametrize(
    ("choice", "categories", "hosts"),
    [
        (None, (), set()),
        ("reject_all", (), set()),
        ("save", ("analytics",), GA_HOSTS),
        ("accept_all", (), ALL_VENDOR_HOSTS),
    ],
    ids=["none", "reject", "analytics-only", "all"],
)
def test_csp_lists_exactly_the_hosts_of_consented_vendors(client, choice, categories, hosts):
    if choice:
        decide(client, choice, categories=categories)
    response = client.get("/")
    assert csp_hosts(response) == hosts
    assert "'nonce-" in response.headers["Content-Security-Policy"]


def test_analytics_only_renders_the_ga_tag_and_no_ads_or_social(client):
    decide(client, "save", categories=["analytics"])
    html = client.get("/").content.decode()
    assert '<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO">' in html
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
    for host in ["doubleclick", "googleadservices", "facebook", "licdn", "linkedin"]:
        assert not [src for src in scripts if host in src]
    record = ConsentRecord.objects.get()
    assert (record.granted, record.source) == (["analytics"], ConsentSource.SETTINGS)


def test_consent_mode_signals_follow_the_server_side_state(client):
    html = client.get("/").content.decode()
    assert '"analytics_storage": "denied"' in html and '"ad_storage": "denied"' in html
    decide(client, "save", categories=["analytics"])
    html = client.get("/").content.decode()
    assert '"analytics_storage": "granted"' in html
    assert '"ad_storage": "denied"' in html and '"ad_personalization": "denied"' in html
    assert re.search(r'<script nonce="[^"]+">window.dataLayer', html)


def test_footer_on_every_page_links_to_the_cookie_settings(client):
    decide(client, "reject_all")
    for path in ["/", "/privacy/", "/account/login/"]:
        assert (
            'class="consent-settings-link">Cookie-instellingen<'
            in client.get(path).content.decode()
        )


def test_settings_page_explains_functional_cookies_and_ticks_nothing_by_default(client):
    html = client.get(reverse("consent:settings")).content.decode()
    assert re.search(r'<input type="checkbox" checked disabled>', html)
    assert not re.search(r'name="categories" value="\w+" checked', html)
    assert "_ga" in html and "pledge_consent" in html


def test_browser_that_refuses_cookies_gets_a_note_instead_of_the_banner(client):
    response = decide(client, "reject_all")
    client.cookies.clear()  # what a cookie-refusing browser sends back
    html = client.get(response["Location"]).content.decode()
    assert 'id="consent-note"' in html
    assert 'id="consent-banner"' not in html


def test_banner_script_and_style_stay_within_one_and_a_half_kilobyte_gzip():
    import gzip
    from pathlib import Path

    static = Path(__file__).resolve().parent.parent / "static" / "consent"
    sizes = [
        len(gzip.compress((static / name).read_bytes(), 9)) for name in ["banner.js", "banner.css"]
    ]
    assert sum(sizes) <= 1536
