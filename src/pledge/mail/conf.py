"""The mail app's settings, read when used (the policy is loaded lazily, never in settings.py)."""

from datetime import timedelta
from email.utils import formataddr

from django.conf import settings

from pledge.policy.selectors import current_policy


def from_address() -> str:
    """``DEFAULT_FROM_EMAIL`` when set, otherwise the controller's name and e-mail address."""
    if settings.is_overridden("DEFAULT_FROM_EMAIL"):
        return settings.DEFAULT_FROM_EMAIL
    controller = current_policy().controller
    return formataddr((controller.name, str(controller.email)))


def message_id_domain() -> str:
    """The right-hand side of our Message-IDs: the sender's domain, stable across servers."""
    address = from_address()
    return address.rpartition("@")[2].rstrip(">").strip() or "localhost"


def lease() -> timedelta:
    # Longer than one SMTP transaction can take (connect + EMAIL_TIMEOUT per step), so a live
    # worker never loses its claim to another one.
    return timedelta(seconds=getattr(settings, "PLEDGE_MAIL_LEASE_SECONDS", 300))


def max_attempts() -> int:
    return getattr(settings, "PLEDGE_MAIL_MAX_ATTEMPTS", 10)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the given number of failed attempts, capped."""
    base = getattr(settings, "PLEDGE_MAIL_RETRY_BASE_SECONDS", 60)
    cap = getattr(settings, "PLEDGE_MAIL_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
