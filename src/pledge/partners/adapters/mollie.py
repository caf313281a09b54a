"""Mollie (iDEAL and cards) through the official client, mollie-api-python.

Mollie's webhook carries only the payment id and no signature; it is a hint, never evidence.
We answer it by re-fetching the payment from Mollie with our API key and accept the result
only when amount, currency and order reference (metadata) match our own Payment row. Mollie
advises answering 200 also for ids we do not know, so a prober learns nothing.

What Mollie returns about the payer (``details``: consumer name, IBAN, card holder) is never
read into Pledge: the policy declares no such data for us to keep.

Options (environment):
    api_key           PLEDGE_PARTNER_MOLLIE_API_KEY (test_... or live_...)
    webhook_base_url  PLEDGE_PARTNER_MOLLIE_WEBHOOK_BASE_URL, e.g. https://www.pixeljet.nl
                      (default: the origin of the shop's return URL)
    methods           PLEDGE_PARTNER_MOLLIE_METHODS, default "ideal,creditcard"
"""

import re
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from mollie.api.client import Client
from mollie.api.error import Error as MollieError

from .. import conf
from .base import BasePaymentAdapter, PaymentProviderError, PaymentState, ProviderPayment

METHOD_LABELS = {"ideal": _("iDEAL"), "creditcard": _("Credit card")}
# Mollie's statuses -> ours; open, pending and authorized change nothing yet.
STATUSES = {"paid": "paid", "failed": "failed", "canceled": "cancelled", "expired": "expired"}
LOCALES = {"nl": "nl_NL", "en": "en_US"}
PAYMENT_ID = re.compile(r"tr_[A-Za-z0-9]{1,64}")


class MollieAdapter(BasePaymentAdapter):
    channel = "mollie"
    # What we actually send to Mollie: the billing contact (fraud screening) and the amount.
    payload_fields = frozenset({"first_name", "last_name", "email", "amount"})

    def configuration_problems(self) -> list[str]:
        prefix = conf.environment_prefix(self.recipient_id)
        key = self.options.get("api_key", "")
        problems = []
        if not re.fullmatch(r"(live|test)_\w+", key):
            problems.append(f"Mollie needs an API key starting live_ or test_ ({prefix}API_KEY)")
        elif settings.PLEDGE_ENV == "production" and key.startswith("test_"):
            problems.append(f"production uses Mollie's test API key ({prefix}API_KEY)")
        unknown = set(self._method_codes()) - set(METHOD_LABELS)
        if unknown:
            problems.append(f"unknown Mollie methods {sorted(unknown)} ({prefix}METHODS)")
        return problems

    def _method_codes(self) -> list[str]:
        methods = self.options.get("methods", "ideal,creditcard")
        if isinstance(methods, str):
            methods = methods.split(",")
        return [code.strip() for code in methods if code.strip()]

    def methods(self) -> list[tuple[str, object]]:
        return [
            (code, METHOD_LABELS[code]) for code in self._method_codes() if code in METHOD_LABELS
        ]

    def client(self) -> Client:
        client = Client(timeout=(2, conf.timeout()))
        client.set_api_key(self.options.get("api_key", ""))
        client.set_user_agent_component("Pledge", "1")
        return client

    def payment_create(self, *, payment, payload, description, language, return_url):
        redirect_url = self._absolute(return_url)
        data = {
            "amount": {"currency": payment.currency, "value": f"{payment.amount:.2f}"},
            "description": description[:255],
            "redirectUrl": redirect_url,
            "webhookUrl": self._webhook_url(redirect_url),
            "method": payment.method,
            "locale": LOCALES.get(language, "nl_NL"),
            "metadata": {"order_reference": payment.order_reference, "payment": str(payment.id)},
        }
        billing = {
            key: payload.fields[name]
            for name, key in (("first_name", "givenName"), ("last_name", "familyName"))
            if name in payload.fields
        }
        if "email" in payload.fields:
            billing["email"] = payload.fields["email"]
        if billing:
            data["billingAddress"] = billing
        try:
            created = self.client().payments.create(data, idempotency_key=str(payment.id))
        except MollieError as error:
            raise PaymentProviderError(
                f"Mollie refused the payment ({type(error).__name__})"
            ) from None
        return ProviderPayment(provider_id=created.id, redirect_url=created.checkout_url)

    def payment_refund(self, *, payment, amount: Decimal, description: str) -> bool:
        try:
            client = self.client()
            remote = client.payments.get(payment.provider_id)
            remote.refunds.create(
                {
                    "amount": {"currency": payment.currency, "value": f"{amount:.2f}"},
                    "description": description[:255],
                    "metadata": {"order_reference": payment.order_reference},
                },
                idempotency_key=str(uuid.uuid4()),
            )
        except MollieError as error:
            raise PaymentProviderError(
                f"Mollie refused the refund ({type(error).__name__})"
            ) from None
        return False  # Mollie reports the refund through the payment's webhook

    def webhook_provider_id(self, *, body: bytes, headers, form) -> str:
        provider_id = form.get("id", "") if form is not None else ""
        if not PAYMENT_ID.fullmatch(provider_id):
            raise ValueError("the webhook names no Mollie payment")
        return provider_id

    def payment_state(self, *, payment, body: bytes) -> PaymentState:
        try:
            remote = self.client().payments.get(payment.provider_id)
        except MollieError as error:
            raise PaymentProviderError(type(error).__name__) from None
        # Only these properties are read; ``details`` (payer name, IBAN) never is.
        amount = remote.amount or {}
        refunded = remote.amount_refunded or {}
        metadata = remote.metadata if isinstance(remote.metadata, dict) else {}
        try:
            return PaymentState(
                status=STATUSES.get(remote.status),
                amount=Decimal(str(amount.get("value"))),
                currency=str(amount.get("currency", "")),
                order_reference=str(metadata.get("order_reference", "")),
                amount_refunded=Decimal(str(refunded.get("value", "0.00"))),
            )
        except ArithmeticError:
            raise ValueError("Mollie's amount is not a number") from None

    def _absolute(self, url: str) -> str:
        if urlsplit(url).netloc:
            return url
        base = self.options.get("webhook_base_url", "").rstrip("/")
        if not base:
            raise PaymentProviderError("Mollie needs an absolute return URL (or webhook_base_url)")
        return base + url

    def _webhook_url(self, return_url: str) -> str:
        origin = urlsplit(return_url)
        base = self.options.get("webhook_base_url", "").rstrip("/") or (
            f"{origin.scheme}://{origin.netloc}"
        )
        # Without a language prefix: the same address whatever the buyer's language.
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("partners:payment_webhook", kwargs={"recipient_id": self.recipient_id})
        return base + path
