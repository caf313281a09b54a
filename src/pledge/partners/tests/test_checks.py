"""Start-up checks: an unknown partner, a missing adapter, an unusable one; a clear error."""

import pytest

from pledge.partners import loader
from pledge.partners.checks import partners_match_the_policy
from pledge.testing import run_with_settings


def ids(settings_errors) -> list[str]:
    return [error.id for error in settings_errors]


def test_the_test_settings_pass():
    assert partners_match_the_policy() == []


def test_a_partner_the_policy_does_not_declare_is_a_startup_error(settings):
    settings.PLEDGE_PARTNERS = {"dhl": {"ADAPTER": "webhook", "OPTIONS": {}}}
    (error,) = partners_match_the_policy()
    assert error.id == "partners.E001" and "Unknown partner 'dhl'" in error.msg


def test_an_environment_variable_for_an_unknown_partner_is_an_error(monkeypatch):
    monkeypatch.setenv("PLEDGE_PARTNER_DPD_URL", "https://api.dpd.example/hook")
    loader.reset()
    assert ids(partners_match_the_policy()) == ["partners.E001"]


def test_a_non_partner_recipient_cannot_get_an_adapter(settings):
    settings.PLEDGE_PARTNERS = {"google_analytics": {"ADAPTER": "webhook"}}
    assert ids(partners_match_the_policy()) == ["partners.E001"]


def test_an_adapter_of_the_wrong_type_or_path_is_an_error(settings):
    settings.PLEDGE_PARTNERS = {
        "postnl": {"ADAPTER": "mollie", "OPTIONS": {"api_key": "test_abc"}},
        "kiyoh": {"ADAPTER": "pledge.partners.adapters.nowhere.Adapter"},
    }
    assert ids(partners_match_the_policy()) == ["partners.E002", "partners.E002"]


def test_a_webhook_partner_without_url_or_secret_is_an_error(settings):
    settings.PLEDGE_PARTNERS = {"postnl": {"ADAPTER": "webhook", "OPTIONS": {"secret": "short"}}}
    problems = partners_match_the_policy()
    assert ids(problems) == ["partners.E003", "partners.E003"]
    assert "short" not in " ".join(p.msg for p in problems)  # never a secret in the message


@pytest.mark.parametrize("mode", ["production"])
def test_production_without_partner_configuration_fails_pledge_check(mode, tmp_path):
    result = run_with_settings(
        "from pledge.cli import main; main(['pledge', 'check'])",
        mode=mode,
        PLEDGE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "partners.E004" in result.stderr and "'mollie'" in result.stderr
    assert "partners.W001" in result.stderr  # reviews: a warning, invitations stay off
    assert "Traceback" not in result.stderr


def test_production_with_partners_from_the_environment_passes(tmp_path):
    code = (
        "import django; django.setup();"
        "from pledge.partners.checks import partners_match_the_policy as check;"
        "from django.conf import settings;"
        "print([e.id for e in check()], settings.PLEDGE_PARTNERS_ALLOW_PRIVATE)"
    )
    result = run_with_settings(
        code,
        PLEDGE_VAR_DIR=str(tmp_path),
        PLEDGE_PARTNER_MOLLIE_API_KEY="live_" + "a" * 30,
        PLEDGE_PARTNER_POSTNL_URL="https://api.postnl.example/pledge",
        PLEDGE_PARTNER_POSTNL_SECRET="p" * 40,
        PLEDGE_PARTNER_PRINT_SUPPLIER_URL="https://drukkerij.example/orders",
        PLEDGE_PARTNER_PRINT_SUPPLIER_SECRET="d" * 40,
        PLEDGE_PARTNER_KIYOH_URL="https://kiyoh.example/invite",
        PLEDGE_PARTNER_KIYOH_SECRET="k" * 40,
    )
    # Every partner configured, and no partner webhook may reach a private address.
    assert result.stdout.strip() == "[] False", result.stderr
