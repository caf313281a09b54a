"""Consent rates for the statistics screen: each visitor's latest decision in the window counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pledge.consent.models import ConsentRecord
from pledge.consent.selectors import consent_rates
from pledge.consent.services import consent_record
from pledge.policy.selectors import current_policy

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

OPTIONAL = [c.id for c in current_policy().cookie_categories if c.requires_consent]


def _decide(*, consent_id=None, granted=()):
    return consent_record(consent_id=consent_id, granted=granted, source="banner", language="nl")


def _age(record, *, days):
    # Records are append-only for the shop; only the test moves one back in time.
    ConsentRecord.objects.filter(id=record.id).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_no_decisions_give_no_rates():
    assert consent_rates(days=30) == {}


def test_a_visitors_latest_decision_counts():
    _decide(granted=OPTIONAL)
    changed_mind = _decide(granted=())
    _age(changed_mind, days=1)
    _decide(consent_id=changed_mind.consent_id, granted=["analytics"])

    rates = consent_rates(days=30)

    assert set(rates) == set(OPTIONAL)
    assert rates["analytics"] == 1.0
    assert rates["advertising"] == 0.5


def test_a_decision_older_than_the_window_is_ignored():
    _decide(granted=OPTIONAL)
    old = _decide(granted=())
    _age(old, days=31)

    rates = consent_rates(days=30)

    assert rates["analytics"] == 1.0 and rates["advertising"] == 1.0


def test_only_shares_leave_the_selector():
    record = _decide(granted=["analytics"])
    rates = consent_rates(days=30)
    assert record.consent_id not in repr(rates)
    assert all(0.0 <= share <= 1.0 for share in rates.values())
