"""The beacon counts a page view from the request alone: no cookie, no IP address kept."""

from collections.abc import Mapping

import pytest
from django.db import connection
from django.test import RequestFactory

from pledge.analytics import views
from pledge.analytics.models import PageView
from pledge.analytics.selectors import statistics_summary
from pledge.policy.selectors import current_policy

from .factories import (
    GOOGLEBOT,
    IP_AMSTERDAM,
    IP_UTRECHT,
    SAFARI_IPAD,
    SAFARI_IPHONE,
    beacon_body,
    visitor_headers,
)

pytestmark = pytest.mark.django_db(databases=["default", "vault"])
HIT = "/stats/hit"


def send(client, path="/", referrer="", **headers):
    return client.post(
        HIT, beacon_body(path, referrer), content_type="text/plain", **visitor_headers(**headers)
    )


class CookieJarWatch(Mapping):
    """Stands in for request.COOKIES and remembers every cookie name looked up."""

    def __init__(self, cookies: dict) -> None:
        self._cookies, self.read = cookies, set()

    def __getitem__(self, name):
        self.read.add(name)
        return self._cookies[name]

    def get(self, name, default=None):
        self.read.add(name)
        return self._cookies.get(name, default)

    def __iter__(self):
        self.read.add("*")
        return iter(self._cookies)

    def __len__(self):
        return len(self._cookies)


def test_a_page_view_is_counted_without_any_cookie_being_set(client):
    response = send(client, "/")
    assert response.status_code == 204
    assert PageView.objects.count() == 1
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_counting_reads_no_cookie_but_the_consent_choice(client):
    request = RequestFactory().post(
        HIT, beacon_body("/"), content_type="text/plain", **visitor_headers()
    )
    jar = CookieJarWatch({"sessionid": "abc", "csrftoken": "def", "_ga": "GA1.1.1.1"})
    request.COOKIES = jar
    response = views.hit(request)
    assert response.status_code == 204
    assert PageView.objects.count() == 1
    # Only a refusal may be looked up (the consent app's own cookie); nothing else is read.
    functional = {cookie.name for cookie in current_policy().cookies_in("functional")}
    consent_cookie = functional - {"sessionid", "csrftoken"}
    assert jar.read <= consent_cookie
    assert not response.cookies


def test_the_stored_row_holds_no_ip_address_and_no_full_referrer_url(client):
    send(
        client,
        "/privacy/?utm_source=nieuwsbrief",
        referrer="https://www.google.nl/search?q=fotoboek+sanne+de+vries",
        user_agent=SAFARI_IPHONE,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM analytics_pageview")
        (row,) = cursor.fetchall()
    raw = " ".join(str(value) for value in row)
    assert IP_AMSTERDAM not in raw
    assert "search" not in raw and "sanne" not in raw and "q=" not in raw
    assert "utm_source" not in raw and "?" not in raw
    assert "iPhone" not in raw and "Safari" not in raw
    view = PageView.objects.get()
    assert (view.path, view.referrer_host) == ("/privacy/", "www.google.nl")
    assert (view.device_class, view.country) == ("mobile", "NL")
    assert len(view.visitor_hash) == 64


def test_the_same_visitor_on_the_same_day_is_one_visitor_with_two_page_views(client):
    send(client, "/")
    send(client, "/privacy/")
    today = statistics_summary(days=1).days[-1]
    assert (today.visitors, today.pageviews) == (1, 2)
    send(client, "/", ip=IP_UTRECHT)
    today = statistics_summary(days=1).days[-1]
    assert (today.visitors, today.pageviews) == (2, 3)


def test_a_bot_is_not_counted(client):
    assert send(client, "/", user_agent=GOOGLEBOT).status_code == 204
    assert send(client, "/", user_agent="").status_code == 204
    assert PageView.objects.count() == 0


def test_a_tablet_is_counted_as_a_tablet(client):
    send(client, "/", user_agent=SAFARI_IPAD)
    assert PageView.objects.get().device_class == "tablet"


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": None},  # neither Origin nor Referer
        {"origin": None, "HTTP_REFERER": "https://evil.example/page"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_a_cross_origin_beacon_is_refused(client, headers):
    response = send(client, "/", **headers)
    assert response.status_code == 403
    assert PageView.objects.count() == 0


def test_a_beacon_from_a_referer_of_our_own_site_is_accepted(client):
    response = send(client, "/", origin=None, HTTP_REFERER="http://testserver/privacy/")
    assert response.status_code == 204
    assert PageView.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"r": ""}',
        '{"p": 42}',
        beacon_body("https://evil.example/"),
        beacon_body("/" + "a" * 600),
        beacon_body("/", "https://" + "a" * 3000 + ".nl/"),
        "x" * 5000,
    ],
)
def test_malformed_input_gets_a_clear_400_and_stores_nothing(client, body):
    response = client.post(HIT, body, content_type="text/plain", **visitor_headers())
    assert response.status_code == 400
    assert response.content  # says what was wrong
    assert PageView.objects.count() == 0


def test_a_path_that_is_not_a_page_of_ours_is_not_counted(client):
    assert send(client, "/bestaat-niet/").status_code == 204
    assert send(client, "//evil.example/").status_code == 204
    assert PageView.objects.count() == 0


def test_a_page_whose_url_carries_an_identifier_is_stored_by_its_route(client):
    customer_id = "5f0c1a52-7a43-4b57-9a51-0a2f5c3b9e11"
    send(client, f"/en/backoffice/customers/{customer_id}/")
    stored = PageView.objects.get().path
    assert customer_id not in stored
    assert stored == "/en/backoffice/customers/<uuid:user_id>/"


def test_english_pages_are_counted_with_their_prefix(client):
    send(client, "/en/privacy/", accept_language="en-GB,en;q=0.9")
    view = PageView.objects.get()
    assert (view.path, view.country) == ("/en/privacy/", "GB")


def test_the_no_script_pixel_counts_the_page_it_sits_on(client):
    response = client.get(
        "/stats/pixel.gif",
        **visitor_headers(origin=None, HTTP_REFERER="http://testserver/privacy/?ref=mail"),
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert not response.cookies
    assert PageView.objects.get().path == "/privacy/"


def test_the_no_script_pixel_from_another_site_is_refused(client):
    response = client.get(
        "/stats/pixel.gif", **visitor_headers(origin=None, HTTP_REFERER="https://evil.example/")
    )
    assert response.status_code == 403
    assert PageView.objects.count() == 0


def test_the_beacon_accepts_only_post(client):
    assert client.get(HIT, **visitor_headers()).status_code == 405
