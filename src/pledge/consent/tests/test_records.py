"""Proof of consent over time: re-asking after a material policy change, the account link."""

from pathlib import Path

import pytest
from django.urls import reverse

from pledge.consent.models import ConsentLink, ConsentRecord
from pledge.policy.models import PublishedPolicy
from pledge.policy.selectors import current_policy, policy_reload
from pledge.policy.services import policy_publish

from .factories import PASSWORD, customer_create
from .helpers import csp_hosts, decide

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _policy_variant(settings, tmp_path, *, version: str, extra: str = ""):
    text = Path(settings.PLEDGE_POLICY).read_text(encoding="utf-8")
    text = text.replace('version = "2026.1"\neffective', f'version = "{version}"\neffective', 1)
    path = tmp_path / f"policy-{version}.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


NEW_VENDOR = """
[[vendors]]
id = "hotjar"
name = "Hotjar"
recipient = "google_analytics"
category = "analytics"
hosts = ["script.hotjar.com"]
description = { nl = "Heatmaps.", en = "Heatmaps." }
"""


@pytest.fixture
def policy_file(settings):
    original = settings.PLEDGE_POLICY

    def switch(path):
        settings.PLEDGE_POLICY = str(path)
        return policy_reload()

    yield switch
    settings.PLEDGE_POLICY = original
    policy_reload()


def test_a_material_policy_change_asks_again(client, settings, tmp_path, policy_file):
    policy_publish()
    decide(client, "accept_all")
    policy_file(_policy_variant(settings, tmp_path, version="2026.2", extra=NEW_VENDOR))
    response = client.get("/")
    assert 'id="consent-banner"' in response.content.decode()
    assert not csp_hosts(response)  # nothing loads on the strength of the old consent


def test_a_version_bump_without_material_change_does_not_ask_again(
    client, settings, tmp_path, policy_file
):
    policy_publish()
    decide(client, "accept_all")
    policy_file(_policy_variant(settings, tmp_path, version="2026.2"))
    assert 'id="consent-banner"' not in client.get("/").content.decode()


def test_a_consent_given_under_an_unknown_version_asks_again(
    client, settings, tmp_path, policy_file
):
    decide(client, "accept_all")
    assert not PublishedPolicy.objects.exists()
    policy_file(_policy_variant(settings, tmp_path, version="2026.2"))
    assert 'id="consent-banner"' in client.get("/").content.decode()
    decide(client, "reject_all")
    assert ConsentRecord.objects.latest().policy_version == "2026.2"
    assert current_policy().policy.version == "2026.2"


@pytest.mark.django_db(databases=["default", "vault"], transaction=True)
def test_signing_in_links_the_consent_and_later_records_carry_the_account(client):
    sanne = customer_create()
    decide(client, "save", categories=["analytics"])
    response = client.post(
        reverse("accounts:login"), {"username": sanne.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    consent_id = client.cookies["pledge_consent"].value
    assert ConsentLink.objects.get(consent_id=consent_id).user_id == sanne.pk
    decide(client, "reject_all")
    first, later = ConsentRecord.objects.order_by("created_at")
    assert first.user_id is None
    assert later.user_id == sanne.pk


def test_the_api_reads_and_changes_my_consent(client):
    assert client.get("/consent/api/me").json()["must_ask"] is True
    response = client.put(
        "/consent/api/me", {"granted": ["analytics"]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["granted"] == ["analytics"]
    record = ConsentRecord.objects.get()
    assert (record.source, record.granted) == ("api", ["analytics"])
    assert client.get("/consent/api/me").json()["must_ask"] is False


def test_the_api_refuses_a_forged_cross_site_put(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.put(
        "/consent/api/me", {"granted": ["advertising"]}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()


def test_the_api_names_the_categories_when_one_is_unknown(client):
    response = client.put(
        "/consent/api/me", {"granted": ["profiling"]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not ConsentRecord.objects.exists()


def test_the_api_documents_itself():
    from django.test import Client

    assert Client().get("/consent/api/openapi.json").status_code == 200
