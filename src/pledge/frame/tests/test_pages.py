"""The site frame as a visitor meets it: language by URL, own error pages, a strict CSP.

This module doubles as a test urlconf (``ROOT_URLCONF=__name__``): the real pages plus views that
fail on purpose, so the error handlers can be seen doing their work.
"""

import re

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import include, path

from pledge.policy.selectors import current_policy

INTERNAL_DETAIL = "internal-detail-7f3a: table orders_order column secret_flag"


def fail_with_internal_detail(request):
    raise RuntimeError(INTERNAL_DETAIL)


def refuse(request):
    raise PermissionDenied(INTERNAL_DETAIL)


def reject_as_suspicious(request):
    raise SuspiciousOperation(INTERNAL_DETAIL)


urlpatterns = i18n_patterns(
    path("boom/", fail_with_internal_detail),
    path("forbidden/", refuse),
    path("suspicious/", reject_as_suspicious),
    path("", include("pledge.frame.urls")),
    path("", include("pledge.policy.urls")),
    path("account/", include("pledge.accounts.urls")),
    prefix_default_language=False,
)
handler400 = "pledge.frame.views.bad_request"
handler403 = "pledge.frame.views.permission_denied"
handler404 = "pledge.frame.views.page_not_found"
handler500 = "pledge.frame.views.server_error"

# What a page must never show a visitor: Django's debug output and the failing code's details.
INTERNALS = (
    "Traceback",
    "RuntimeError",
    "PermissionDenied",
    "SuspiciousOperation",
    "Django tried",
    "urlpatterns",
    "Resolver404",
    INTERNAL_DETAIL,
    'File "',
)


def assert_no_internals(html: str) -> None:
    for internal in INTERNALS:
        assert internal not in html, internal


def language_switch_links(html: str) -> dict[str, str]:
    switch = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switch)}


# --- Home and frame -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "language", "text"),
    [
        ("/", "nl", "Fotoafdrukken"),
        ("/en/", "en", "Photo prints"),
    ],
)
def test_home_page_introduces_the_shop_in_the_page_language(client, url, language, text):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert current_policy().controller.name in html
    assert text in html
    assert '<link rel="stylesheet" href="/static/frame/site.css">' in html


@pytest.mark.parametrize("url", ["/", "/en/"])
def test_footer_shows_controller_registration_and_policy_version(client, url):
    html = client.get(url).content.decode()
    policy = current_policy()
    for fact in (
        policy.controller.legal_name,
        policy.controller.kvk,
        policy.controller.btw,
        policy.controller.address.street,
        policy.policy.version,
    ):
        assert fact in html
    prefix = "/en" if url == "/en/" else ""
    for link in ("/privacy/", "/cookies/", "/privacy/officer/"):
        assert f'href="{prefix}{link}"' in html


@pytest.mark.parametrize(
    ("url", "other_language", "other_url"),
    [
        ("/", "en", "/en/"),
        ("/en/", "nl", "/"),
        ("/privacy/", "en", "/en/privacy/"),
        ("/en/privacy/", "nl", "/privacy/"),
        ("/cookies/", "en", "/en/cookies/"),
        ("/en/privacy/officer/", "nl", "/privacy/officer/"),
    ],
)
def test_language_switch_links_to_the_same_page_in_the_other_language(
    client, url, other_language, other_url
):
    html = client.get(url).content.decode()
    assert language_switch_links(html) == {other_language: other_url}


def test_language_switch_needs_no_cookie(client):
    response = client.get("/privacy/")
    assert "django_language" not in response.cookies
    english = client.get(language_switch_links(response.content.decode())["en"])
    assert '<html lang="en">' in english.content.decode()


def test_language_switch_on_a_missing_page_leads_to_the_other_home(client):
    html = client.get("/bestaat-niet/").content.decode()
    assert language_switch_links(html) == {"en": "/en/"}


# --- Error pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [
        ("/bestaat-niet/", "nl", "Deze pagina bestaat niet"),
        ("/en/does-not-exist/", "en", "This page does not exist"),
    ],
)
def test_missing_page_shows_own_404_without_internals(client, url, language, heading):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert_no_internals(html)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [
        ("/boom/", "nl", "Er ging bij ons iets mis"),
        ("/en/boom/", "en", "Something went wrong on our side"),
    ],
)
def test_server_error_shows_own_500_without_internals(url, language, heading):
    response = Client(raise_request_exception=False).get(url)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert_no_internals(html)


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/forbidden/", 403, "U hebt geen toegang tot deze pagina"),
        ("/en/forbidden/", 403, "You do not have access to this page"),
        ("/suspicious/", 400, "Wij konden dit verzoek niet verwerken"),
        ("/en/suspicious/", 400, "We could not understand this request"),
    ],
)
def test_refused_and_bad_requests_show_own_pages_without_internals(url, status, heading):
    response = Client(raise_request_exception=False).get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert_no_internals(html)


def _policy_unreadable():
    raise OSError("policy file unreadable")


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_renders_even_when_the_policy_cannot_be_read(monkeypatch):
    # The context processor every normal page needs fails; the 500 page must not need it.
    monkeypatch.setattr("pledge.frame.context_processors.current_policy", _policy_unreadable)
    monkeypatch.setattr("pledge.frame.views.current_policy", _policy_unreadable)
    response = Client(raise_request_exception=False).get("/en/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert_no_internals(html)


@override_settings(ROOT_URLCONF=__name__)
def test_500_falls_back_to_plain_text_when_its_template_fails(monkeypatch):
    def broken_template(name):
        raise RuntimeError(INTERNAL_DETAIL)

    monkeypatch.setattr("pledge.frame.views.loader.get_template", broken_template)
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert_no_internals(response.content.decode())


# --- Content Security Policy --------------------------------------------------------------

PAGES = [
    "/",
    "/en/",
    "/privacy/",
    "/en/privacy/",
    "/cookies/",
    "/en/cookies/",
    "/privacy/officer/",
    "/en/privacy/officer/",
    "/bestaat-niet/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    # Django adds the nonce source only when a page used the nonce; these pages have no script.
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp)
    assert "style-src 'self';" in csp
    assert "default-src 'self';" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style_and_nothing_from_other_hosts(client, url):
    html = client.get(url).content.decode()
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "nonce=" in script, script
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r'<(?:link|script)\b[^>]*(?:href|src)="(?:https?:)?//', html)


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_carries_the_content_security_policy():
    response = Client(raise_request_exception=False).get("/boom/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
