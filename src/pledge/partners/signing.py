"""HMAC-SHA256 signatures on webhooks, both directions (test PSP, partner webhooks).

Header ``X-Pledge-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``. The time
is signed with the body, and a signature older than the tolerance is refused, so a captured
webhook cannot be replayed later. Comparison is constant-time (``hmac.compare_digest``).
"""

import hashlib
import hmac
import time

from . import conf

SIGNATURE_HEADER = "X-Pledge-Signature"
# Django's request.headers spelling, for views.
SIGNATURE_META = "HTTP_X_PLEDGE_SIGNATURE"


class SignatureInvalid(ValueError):
    """Missing, malformed, wrong or expired signature. The text never holds the body."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    if not secret:
        raise SignatureInvalid("no signing secret is configured")
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def signature_verify(*, secret: str, body: bytes, header: str, now: float | None = None) -> None:
    """Raise ``SignatureInvalid`` unless ``header`` signs ``body`` with ``secret``, recently."""
    if not secret:
        raise SignatureInvalid("no signing secret is configured")
    parts = dict(item.split("=", 1) for item in (header or "").split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise SignatureInvalid("malformed signature header") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > conf.signature_tolerance():
        raise SignatureInvalid("signature timestamp outside the tolerance")
    if not hmac.compare_digest(
        given.encode("ascii", "replace"), _digest(secret, timestamp, body).encode()
    ):
        raise SignatureInvalid("signature does not match")
