"""Test data: a Dutch customer (from the accounts app's factory) and consent decisions."""

from pledge.accounts.tests.factories import PASSWORD, customer_create
from pledge.consent.services import consent_record

__all__ = ["PASSWORD", "consent_given", "customer_create"]


def consent_given(*, granted=("analytics",), source="banner", language="nl"):
    """A decision as a visitor makes it in the banner; returns the record."""
    return consent_record(consent_id=None, granted=granted, source=source, language=language)
