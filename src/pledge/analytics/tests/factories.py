"""Visitors of the Dutch reference shop, as their requests show them: headers, no cookies."""

import json

from pledge.backoffice.tests.factories import signed_in, staff_create  # noqa: F401 (re-exported)

SITE = "testserver"
ORIGIN = f"http://{SITE}"
# A Dutch home connection (KPN range) and a second household on Ziggo.
IP_AMSTERDAM = "145.53.117.42"
IP_UTRECHT = "84.104.212.9"
FIREFOX_DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
DUTCH_BROWSER = "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"


def visitor_headers(
    *,
    ip: str = IP_AMSTERDAM,
    user_agent: str = FIREFOX_DESKTOP,
    origin: str | None = ORIGIN,
    accept_language: str = DUTCH_BROWSER,
    **extra,
) -> dict:
    """Request headers (as Django test client keywords) of a browser sending the beacon."""
    headers = {
        "REMOTE_ADDR": ip,
        "HTTP_USER_AGENT": user_agent,
        "HTTP_ACCEPT_LANGUAGE": accept_language,
        "HTTP_SEC_FETCH_SITE": "same-origin",
        **extra,
    }
    if origin is not None:
        headers["HTTP_ORIGIN"] = origin
    return headers


def beacon_body(path: str = "/", referrer: str = "") -> str:
    return json.dumps({"p": path, "r": referrer})
