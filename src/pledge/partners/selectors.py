"""Reads of the partners app: plain data for the shop, "My account" and the back office."""

import uuid

from django.http import Http404

from .models import Payment


def payment_for_provider_page(*, payment_id: uuid.UUID) -> Payment:
    """The payment the test PSP page shows (amount, reference: no personal data)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    return payment


def payment_status(*, payment_id: str) -> str | None:
    """Our recorded status of a payment (the shop's return page may show "processing")."""
    try:
        key = uuid.UUID(str(payment_id))
    except ValueError:
        return None
    return Payment.objects.filter(pk=key).values_list("status", flat=True).first()
