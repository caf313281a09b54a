"""The partners app's settings, read when used (settings.py cannot read the policy)."""

import hashlib
import hmac
import os
from datetime import timedelta

from django.conf import settings


def sandbox_defaults() -> bool:
    """Recipients without configuration get the test PSP / sandbox (demo and test only)."""
    return bool(getattr(settings, "PLEDGE_PARTNERS_SANDBOX", False))


def allow_private_addresses() -> bool:
    """Only the test suite may send partner webhooks to 127.0.0.1 and over plain HTTP."""
    return bool(getattr(settings, "PLEDGE_PARTNERS_ALLOW_PRIVATE", False))


def timeout() -> float:
    return float(getattr(settings, "PLEDGE_PARTNERS_TIMEOUT_SECONDS", 10))


def lease() -> timedelta:
    # Longer than one HTTP request can take, so a live worker never loses its claim.
    return timedelta(seconds=getattr(settings, "PLEDGE_PARTNERS_LEASE_SECONDS", 300))


def max_attempts() -> int:
    return getattr(settings, "PLEDGE_PARTNERS_MAX_ATTEMPTS", 10)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the given number of failed attempts, capped."""
    base = getattr(settings, "PLEDGE_PARTNERS_RETRY_BASE_SECONDS", 60)
    cap = getattr(settings, "PLEDGE_PARTNERS_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def signature_tolerance() -> int:
    return int(getattr(settings, "PLEDGE_PARTNERS_SIGNATURE_TOLERANCE_SECONDS", 300))


def environment_prefix(recipient_id: str) -> str:
    return f"PLEDGE_PARTNER_{recipient_id.upper()}_"


def environment_options(recipient_id: str) -> dict[str, str]:
    """``PLEDGE_PARTNER_<ID>_URL=...`` -> ``{"url": ...}`` for one recipient."""
    prefix = environment_prefix(recipient_id)
    return {
        key[len(prefix) :].lower(): value
        for key, value in os.environ.items()
        if key.startswith(prefix) and value
    }


def environment_recipient_ids() -> set[str]:
    """Recipient ids named by PLEDGE_PARTNER_<ID>_* variables (for the unknown-partner check)."""
    suffixes = ("_ADAPTER", "_URL", "_SECRET", "_API_KEY", "_INBOUND_SECRET", "_WEBHOOK_BASE_URL")
    found = set()
    for key in os.environ:
        if key.startswith("PLEDGE_PARTNER_") and not key.startswith("PLEDGE_PARTNERS_"):
            rest = key[len("PLEDGE_PARTNER_") :]
            for suffix in suffixes:
                if rest.endswith(suffix) and len(rest) > len(suffix):
                    found.add(rest[: -len(suffix)].lower())
                    break
    return found


def demo_secret(purpose: str) -> str:
    """A per-installation secret for the demo and tests, derived from SECRET_KEY.

    Never used in production: there every secret comes from the environment (system check).
    """
    return hmac.new(
        settings.SECRET_KEY.encode(), f"pledge.partners:{purpose}".encode(), hashlib.sha256
    ).hexdigest()
