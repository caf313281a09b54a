"""The beacon script: small, from our own host, on every page, with a no-script fallback."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db(databases=["default", "vault"])
LIMIT_GZIP_BYTES = 800


def test_the_beacon_script_is_at_most_800_bytes_gzipped():
    source = open(finders.find("analytics/beacon.js"), "rb").read()  # noqa: SIM115
    assert len(gzip.compress(source, compresslevel=9)) <= LIMIT_GZIP_BYTES


def test_the_beacon_script_uses_no_cookie_and_no_storage():
    source = open(finders.find("analytics/beacon.js")).read()  # noqa: SIM115
    for api in ("document.cookie", "localStorage", "sessionStorage", "indexedDB", "fetch("):
        assert api not in source
    assert "navigator.sendBeacon" in source


@pytest.mark.parametrize("url", ["/", "/en/", "/privacy/"])
def test_every_page_loads_the_beacon_from_our_own_host_with_the_nonce(client, url):
    response = client.get(url)
    html = response.content.decode()
    (tag,) = re.findall(r"<script\b[^>]*analytics/beacon\.js[^>]*>", html)
    assert 'src="/static/analytics/beacon.js"' in tag
    assert 'data-endpoint="/stats/hit"' in tag
    nonce = re.search(r'nonce="([^"]+)"', tag).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert '<noscript><img src="/stats/pixel.gif"' in html
