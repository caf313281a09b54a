"""The generic webhook adapter for delivery, supplier and review partners.

Each message is one HTTPS POST of JSON to the partner's URL, signed with HMAC-SHA256
(``X-Pledge-Signature``, see ``signing``) and carrying ``Idempotency-Key: <message id>`` so a
repeat after a crash can be recognised. Any 2xx is delivery; 408, 429 and 5xx are retried with
back-off from the outbox; other answers, redirects and refused addresses fail for good (a
configuration error a retry cannot fix). The partner's reply is never stored or logged.

Options (environment: PLEDGE_PARTNER_<ID>_URL, _SECRET, _INBOUND_SECRET):
    url             the partner's endpoint (https://)
    secret          signs our messages to the partner
    inbound_secret  the partner signs its track-and-trace webhooks with it (default: secret)
"""

import json

from pledge.policy.schema import RecipientType

from .. import conf, signing, transport
from .base import (
    BaseDeliveryAdapter,
    BaseReviewAdapter,
    BaseSupplierAdapter,
    DeliveryFailed,
)

RETRYABLE = {408, 425, 429}


class WebhookAdapter(BaseDeliveryAdapter, BaseSupplierAdapter, BaseReviewAdapter):
    recipient_types = frozenset(
        {RecipientType.DELIVERY, RecipientType.SUPPLIER, RecipientType.REVIEW_COLLECTOR}
    )
    channel = "webhook"

    def configuration_problems(self) -> list[str]:
        prefix = conf.environment_prefix(self.recipient_id)
        problems = []
        url = self.options.get("url", "")
        if not url:
            problems.append(f"the webhook adapter needs a URL ({prefix}URL)")
        elif not url.startswith("https://") and not conf.allow_private_addresses():
            problems.append(f"the webhook URL must use https:// ({prefix}URL)")
        if len(self.options.get("secret", "")) < 32:
            problems.append(
                f"the webhook adapter needs a signing secret of at least 32 characters "
                f"({prefix}SECRET)"
            )
        return problems

    def inbound_secret(self) -> str:
        return self.options.get("inbound_secret") or self.options.get("secret", "")

    def message_body(self, *, message, payload: dict) -> bytes:
        document = {
            "message_id": str(message.id),
            "type": payload["kind"],
            "reference": payload["reference"],
            "purposes": payload["purposes"],
            "data": payload["fields"],
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def message_deliver(self, *, message, payload: dict) -> None:
        body = self.message_body(message=message, payload=payload)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": str(message.id),
            "User-Agent": "Pledge partners",
            signing.SIGNATURE_HEADER: signing.signature_header(
                secret=self.options.get("secret", ""), body=body
            ),
        }
        try:
            status = transport.post(self.options.get("url", ""), body=body, headers=headers)
        except transport.TransportRefused as error:
            raise DeliveryFailed(f"refused: {error}", permanent=True) from None
        except transport.TransportFailed as error:
            raise DeliveryFailed(f"unreachable: {error}") from None
        if 200 <= status < 300:
            return
        permanent = 400 <= status < 500 and status not in RETRYABLE
        raise DeliveryFailed(f"HTTP {status}", permanent=permanent)
