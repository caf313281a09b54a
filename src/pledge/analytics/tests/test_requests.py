"""What a page view is made of: coarse values only, whatever the request says."""

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledge.analytics.requests import country_from, device_class, referrer_host, site_path

from .factories import (
    FIREFOX_DESKTOP,
    GOOGLEBOT,
    IP_AMSTERDAM,
    SAFARI_IPAD,
    SAFARI_IPHONE,
    beacon_body,
    visitor_headers,
)

ANDROID_TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/131.0 Safari"
ANDROID_PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131 Mobile"


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_DESKTOP, "desktop"),
        (SAFARI_IPHONE, "mobile"),
        (ANDROID_PHONE, "mobile"),
        (SAFARI_IPAD, "tablet"),
        (ANDROID_TABLET, "tablet"),
        (GOOGLEBOT, "bot"),
        ("curl/8.5.0", "bot"),
        ("Mozilla/5.0 HeadlessChrome/131.0", "bot"),
        ("", "bot"),
    ],
)
def test_the_device_class_is_coarse(user_agent, expected):
    assert device_class(user_agent) == expected


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("nl-NL,nl;q=0.9,en;q=0.8", "NL"),
        ("nl-BE", "BE"),
        ("nl,en-GB;q=0.5", "GB"),  # the first tag that names a region
        ("nl", ""),
        ("", ""),
        ("zh-Hant-TW", ""),  # a script subtag is not a country
        ("../../etc", ""),
    ],
)
def test_the_country_comes_only_from_accept_language(accept_language, expected):
    assert country_from(accept_language) == expected


def test_only_an_outside_referrers_host_is_kept():
    assert referrer_host("https://www.google.nl/search?q=x", site_host="testserver") == (
        "www.google.nl"
    )
    assert referrer_host("http://testserver/privacy/", site_host="testserver:80") == ""
    assert referrer_host("javascript:alert(1)", site_host="testserver") == ""
    assert referrer_host("https://user:pw@evil.example/", site_host="testserver") == (
        "evil.example"
    )


@given(st.text(max_size=300))
def test_a_referrer_host_never_carries_a_path_query_or_credentials(referrer):
    host = referrer_host(referrer, site_host="testserver")
    assert not set(host) & set("/?#@: \t\n")
    assert len(host) <= 253


@given(st.text(max_size=600))
def test_a_stored_path_never_carries_a_query_or_a_fragment(path):
    stored = site_path("/" + path)
    assert stored is None or ("?" not in stored and "#" not in stored)


@pytest.mark.django_db(databases=["default", "vault"])
def test_the_ip_address_reaches_no_log_line(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/stats/hit", beacon_body("/"), content_type="text/plain", **visitor_headers())
    client.post("/stats/hit", "kapot", content_type="text/plain", **visitor_headers())
    evil = visitor_headers(origin="https://evil.example")
    client.post("/stats/hit", beacon_body("/"), content_type="text/plain", **evil)
    assert IP_AMSTERDAM not in caplog.text
