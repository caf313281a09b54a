"""A refusal of the analytics cookie category stops the cookieless count too; GPC does not."""

import importlib

import pytest
from django.conf import settings

from pledge.analytics.models import PageView
from pledge.policy.selectors import current_policy

from .factories import beacon_body, visitor_headers

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _consent_offers_refusals() -> bool:
    try:
        selectors = importlib.import_module("pledge.consent.selectors")
    except ModuleNotFoundError:
        return False
    return hasattr(selectors, "category_refused")


needs_consent_refusals = pytest.mark.skipif(
    not _consent_offers_refusals(),
    reason="depends on pledge.consent.selectors.category_refused (consent app, not landed yet)",
)


def consent_cookie_name() -> str:
    """The functional cookie that remembers the choice (named in the policy, not here)."""
    own = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    (name,) = {c.name for c in current_policy().cookies_in("functional")} - own
    return name


def decide(client, *, granted: list[str]) -> None:
    from pledge.consent.services import consent_record

    record = consent_record(consent_id=None, granted=granted, source="banner")
    client.cookies[consent_cookie_name()] = record.consent_id


def send(client, **headers):
    return client.post(
        "/stats/hit", beacon_body("/"), content_type="text/plain", **visitor_headers(**headers)
    )


@needs_consent_refusals
def test_refusing_analytics_cookies_stops_the_cookieless_count(client):
    decide(client, granted=[])
    response = send(client)
    assert response.status_code == 204
    assert PageView.objects.count() == 0


@needs_consent_refusals
def test_accepting_analytics_cookies_keeps_the_count(client):
    decide(client, granted=["analytics"])
    send(client)
    assert PageView.objects.count() == 1


def test_global_privacy_control_does_not_stop_the_count(client):
    # GPC refuses selling and sharing for advertising; statistics are neither.
    send(client, HTTP_SEC_GPC="1")
    assert PageView.objects.count() == 1


def test_a_visitor_who_has_not_chosen_is_counted(client):
    send(client)
    assert PageView.objects.count() == 1
