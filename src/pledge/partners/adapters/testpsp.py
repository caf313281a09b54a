"""The built-in test payment provider: the demo's and the tests' payment, served by Pledge.

It behaves like a real redirect provider, so the shop's checkout runs the same code path as
with Mollie: the buyer is sent to a clearly labelled test page ("Testbetaalomgeving" / "Test
payment provider") with Pay, Cancel and Fail buttons; the page's answer reaches Pledge only as
a webhook signed with HMAC-SHA256, which the webhook endpoint verifies before anything changes.
No money moves and nothing leaves the machine.
"""

import json
import secrets
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import conf, signing
from .base import BasePaymentAdapter, PaymentState, ProviderPayment

# The page's buttons and the status each one reports.
OUTCOMES = {"pay": "paid", "cancel": "cancelled", "fail": "failed"}


class TestPaymentAdapter(BasePaymentAdapter):
    channel = "testpsp"
    sandbox = True
    # It stands in for Mollie, so it takes (and records as disclosed) what Mollie takes.
    payload_fields = frozenset({"first_name", "last_name", "email", "amount"})

    def secret(self) -> str:
        secret = self.options.get("secret", "")
        if not secret and conf.sandbox_defaults():
            secret = conf.demo_secret(f"testpsp:{self.recipient_id}")
        return secret

    def inbound_secret(self) -> str:
        return self.secret()

    def configuration_problems(self) -> list[str]:
        if not self.secret():
            prefix = conf.environment_prefix(self.recipient_id)
            return [f"the test payment provider needs a signing secret ({prefix}SECRET)"]
        return []

    def methods(self) -> list[tuple[str, object]]:
        return [("testpsp", _("Test payment (no real money)"))]

    def payment_create(self, *, payment, payload, description, language, return_url):
        with translation.override(language):
            path = reverse("partners:testpsp_page", kwargs={"payment_id": payment.id})
        origin = urlsplit(return_url)
        redirect_url = f"{origin.scheme}://{origin.netloc}{path}" if origin.netloc else path
        return ProviderPayment(provider_id=f"tp_{secrets.token_hex(12)}", redirect_url=redirect_url)

    def payment_refund(self, *, payment, amount: Decimal, description: str) -> bool:
        return True  # our own provider: the refund is final at once

    # -- the provider's side: the webhook it sends --
    def webhook_body(self, *, payment, outcome: str) -> bytes:
        event = {
            "id": payment.provider_id,
            "status": OUTCOMES[outcome],
            "amount": str(payment.amount),
            "currency": payment.currency,
            "reference": payment.order_reference,
        }
        return json.dumps(event, separators=(",", ":")).encode()

    def webhook_headers(self, *, body: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            signing.SIGNATURE_HEADER: signing.signature_header(secret=self.secret(), body=body),
        }

    # -- Pledge's side: receiving it --
    def webhook_provider_id(self, *, body: bytes, headers, form) -> str:
        signing.signature_verify(
            secret=self.secret(), body=body, header=headers.get(signing.SIGNATURE_HEADER, "")
        )
        provider_id = _event(body).get("id")
        if not isinstance(provider_id, str) or not provider_id.startswith("tp_"):
            raise ValueError("the webhook names no test payment")
        return provider_id

    def payment_state(self, *, payment, body: bytes) -> PaymentState:
        event = _event(body)  # verified in webhook_provider_id
        status = event.get("status")
        if status not in set(OUTCOMES.values()):
            raise ValueError("unknown test payment status")
        try:
            amount = Decimal(str(event.get("amount")))
        except InvalidOperation:
            raise ValueError("the webhook's amount is not a number") from None
        return PaymentState(
            status=status,
            amount=amount,
            currency=str(event.get("currency")),
            order_reference=str(event.get("reference")),
            amount_refunded=payment.amount_refunded,
        )


def _event(body: bytes) -> dict:
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the webhook body is not JSON") from None
    if not isinstance(event, dict):
        raise ValueError("the webhook body is not a JSON object")
    return event
