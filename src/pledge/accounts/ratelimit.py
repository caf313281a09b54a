"""How many account mails one address or one network may trigger: per hour, in the cache.

Counters are keyed by an HMAC of the address or IP address, never the value itself, so the
cache (Redis in production) holds no personal data that a dump could reveal. Exceeding a limit
is silent on screen: the visitor sees the same neutral answer and no mail goes out.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from pledge.vault.blind_index import normalize_email

_SALT = "pledge.accounts.ratelimit"


def _key(action: str, kind: str, value: str) -> str:
    digest = salted_hmac(_SALT, f"{action}\x00{kind}\x00{value}", algorithm="sha256").hexdigest()
    return f"accounts:rl:{digest}"


def _hit(key: str, limit: int, window: int) -> bool:
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def mail_allowed(*, action: str, address: str | None, ip_address: str | None) -> bool:
    """Count one mail for this address and this IP address; False when either is over."""
    window = settings.ACCOUNTS_MAIL_LIMIT_WINDOW_SECONDS
    allowed = True
    if address:
        key = _key(action, "address", normalize_email(address))
        allowed &= _hit(key, settings.ACCOUNTS_MAIL_LIMIT_PER_ADDRESS, window)
    if ip_address:
        key = _key(action, "ip", ip_address)
        allowed &= _hit(key, settings.ACCOUNTS_MAIL_LIMIT_PER_IP, window)
    return allowed
