"""Payments: what the checkout offers, starting a payment, refunds, and the provider's webhook.

A payment's status changes only on a verified event: the test PSP's signed webhook, or a Mollie
payment re-fetched from Mollie whose amount and order reference match our own Payment row. The
shop hears of it through ``hooks.on_payment_status``, in the same transaction.
"""

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction

from .. import hooks, loader
from ..adapters.base import BasePaymentAdapter, PaymentProviderError, PaymentState
from ..models import Payment, PaymentStatus
from ..payload import payload_build
from ..signing import SignatureInvalid
from .disclosures import disclosure_record

logger = logging.getLogger(__name__)

# The purpose a payment serves (the policy declares the payment recipient for it).
PAYMENT_PURPOSE = "order_fulfilment"
# Which status may follow which: a paid payment cannot fail afterwards, whatever arrives.
_NEXT = {
    PaymentStatus.OPEN: {
        PaymentStatus.PAID,
        PaymentStatus.FAILED,
        PaymentStatus.CANCELLED,
        PaymentStatus.EXPIRED,
    },
    PaymentStatus.PAID: {PaymentStatus.REFUNDED},
}


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: object  # lazy NL/EN text
    recipient_id: str


@dataclass(frozen=True)
class PaymentRedirect:
    payment_id: str
    redirect_url: str


def payment_methods() -> list[PaymentMethod]:
    """The methods the checkout offers, from every configured payment adapter."""
    from pledge.policy.schema import RecipientType

    return [
        PaymentMethod(code=code, label=label, recipient_id=adapter.recipient_id)
        for adapter in loader.adapters_of_type(RecipientType.PAYMENT)
        for code, label in adapter.methods()
    ]


def payment_start(
    *,
    method: str,
    order_reference: str,
    amount: Decimal,
    description: str,
    subject_id: uuid.UUID,
    language: str,
    return_url: str,
    fields: dict,
) -> PaymentRedirect:
    """Create a payment at the provider and record what was disclosed to it.

    ``fields`` (first_name, last_name, email) pass the payload builder for the payment
    recipient (``PayloadRefused`` otherwise); the amount is always part of the payload.
    Raises ``PartnerNotConfigured`` for an unknown method and ``PaymentProviderError`` when
    the provider refuses; nothing is stored then.
    """
    amount = _amount(amount)
    if amount <= 0:
        raise ValueError("a payment needs a positive amount")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"language {language!r} is not one of the shop's languages")
    if not return_url.startswith(("https://", "http://", "/")) or return_url.startswith("//"):
        raise ValueError("return_url must be an absolute http(s) URL or a path")
    if len(return_url) > Payment._meta.get_field("return_url").max_length:
        raise ValueError("return_url is too long")
    adapter = loader.payment_adapter_for_method(method)
    payload = payload_build(
        recipient_id=adapter.recipient_id,
        purpose_id=PAYMENT_PURPOSE,
        reference=order_reference,
        fields={**fields, "amount": amount},
    ).only(adapter.payload_fields)
    payment = Payment(
        recipient=adapter.recipient_id,
        order_reference=payload.reference,
        amount=amount,
        currency="EUR",
        method=method,
        language=language,
        return_url=return_url,
    )
    # The provider call happens outside our transaction: the audit chain lock must not be
    # held across a network call. A crash after it leaves a provider payment we never
    # recorded; its webhook is then answered as an unknown id and changes nothing.
    created = adapter.payment_create(
        payment=payment,
        payload=payload,
        description=description,
        language=language,
        return_url=return_url,
    )
    payment.provider_id = created.provider_id
    with transaction.atomic():
        payment.save(force_insert=True)
        disclosure_record(
            recipient_id=adapter.recipient_id,
            purpose_id=PAYMENT_PURPOSE,
            categories=payload.categories,
            subject_id=subject_id,
            channel=adapter.channel,
            order_reference=payload.reference,
            payment=payment,
        )
    return PaymentRedirect(payment_id=str(payment.id), redirect_url=created.redirect_url)


def payment_refund(
    *, order_reference: str, amount: Decimal, description: str, payment_id: str | None = None
) -> None:
    """Refund (part of) the paid payment of an order: ``payment_id``'s, or the newest paid one.

    A provider that refunds at once (the test PSP) reports ``refunded`` through the hooks
    right away; Mollie reports it through its webhook when the refund is processed.
    """
    amount = _amount(amount)
    payments = Payment.objects.filter(
        order_reference=order_reference,
        status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED],
    )
    if payment_id is not None:
        payments = payments.filter(pk=payment_id)
    payment = payments.order_by("-created_at").first()
    if payment is None:
        raise LookupError("the order has no paid payment to refund")
    if amount <= 0 or payment.amount_refunded + amount > payment.amount:
        raise ValueError("the refund must be positive and at most what is left of the payment")
    adapter = loader.adapter_for(payment.recipient)
    final = adapter.payment_refund(payment=payment, amount=amount, description=description)
    if final:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            state = PaymentState(
                status=None,
                amount=locked.amount,
                currency=locked.currency,
                order_reference=locked.order_reference,
                amount_refunded=locked.amount_refunded + amount,
            )
            _state_apply(locked, state)


# -- the provider's webhook --
WEBHOOK_APPLIED = "applied"
WEBHOOK_UNKNOWN = "unknown"
WEBHOOK_MISMATCH = "mismatch"
WEBHOOK_REFUSED = "refused"
WEBHOOK_UNAVAILABLE = "unavailable"


def payment_webhook_receive(*, recipient_id: str, body: bytes, headers, form) -> str:
    """Handle a payment provider's webhook; returns one of the ``WEBHOOK_*`` outcomes.

    refused: bad signature or malformed (answer 400); unavailable: the provider could not be
    asked (answer 503, it retries); everything else is answered 200, also an unknown id or a
    mismatch, so a prober learns nothing about which payments exist.
    """
    adapter = loader.adapter_for(recipient_id)
    if not isinstance(adapter, BasePaymentAdapter):
        # Anyone can post to the webhook address: a partner that takes no payments is "not
        # found" (404), not a server error from an adapter that reads no payment webhooks.
        raise loader.PartnerNotConfigured(f"{recipient_id!r} is not a payment provider")
    try:
        provider_id = adapter.webhook_provider_id(body=body, headers=headers, form=form)
    except SignatureInvalid as error:
        logger.warning("partners: %s webhook refused: %s", recipient_id, error)
        return WEBHOOK_REFUSED
    except ValueError as error:
        logger.warning("partners: %s webhook malformed: %s", recipient_id, error)
        return WEBHOOK_REFUSED
    payment = Payment.objects.filter(recipient=recipient_id, provider_id=provider_id).first()
    if payment is None:
        logger.info("partners: %s webhook for a payment we do not know; ignored", recipient_id)
        return WEBHOOK_UNKNOWN
    try:
        state = adapter.payment_state(payment=payment, body=body)
    except PaymentProviderError as error:
        logger.warning("partners: payment %s could not be fetched (%s)", payment.id, error)
        return WEBHOOK_UNAVAILABLE
    except ValueError as error:
        logger.warning("partners: payment %s webhook malformed: %s", payment.id, error)
        return WEBHOOK_REFUSED
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not _matches(payment, state):
            logger.warning(
                "partners: payment %s: the provider's amount or order reference does not match "
                "ours; nothing changed",
                payment.id,
            )
            return WEBHOOK_MISMATCH
        _state_apply(payment, state)
    return WEBHOOK_APPLIED


def _matches(payment: Payment, state: PaymentState) -> bool:
    return (
        state.amount == payment.amount
        and state.currency == payment.currency
        and state.order_reference == payment.order_reference
    )


def _state_apply(payment: Payment, state: PaymentState) -> None:
    """Move the (locked) payment to the verified state and tell the shop what changed."""
    events = []
    if state.status and state.status != payment.status:
        if state.status in _NEXT.get(payment.status, set()):
            payment.status = state.status
            events.append((state.status, payment.amount))
        else:
            logger.info(
                "partners: payment %s: %s after %s ignored",
                payment.id,
                state.status,
                payment.status,
            )
    if state.amount_refunded > payment.amount_refunded:
        payment.amount_refunded = min(state.amount_refunded, payment.amount)
        if payment.amount_refunded >= payment.amount and payment.status == PaymentStatus.PAID:
            payment.status = PaymentStatus.REFUNDED
        events.append((PaymentStatus.REFUNDED, payment.amount_refunded))
    if not events:
        return
    payment.save(update_fields=["status", "amount_refunded", "updated_at"])
    for status, amount in events:
        hooks.payment_status_emit(
            order_reference=payment.order_reference,
            payment_id=str(payment.id),
            status=str(status),
            amount=amount,
        )


def _amount(value) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError("the amount must be a decimal number") from None
