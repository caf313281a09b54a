"""The order mails, all through the mail app's encrypted outbox (``mail_queue``).

Called inside the service's transaction: the message is stored with the status change and sent
after the commit. Links point at the order in "My account" by its random id: no order number,
name or address in a URL. Each mail's idempotency key is the order id, so a webhook that
arrives twice queues one mail.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from pledge.mail.services import mail_queue
from pledge.policy.selectors import current_policy

from .checkout import in_language, vat_breakdown


def order_url(order) -> str:
    with translation.override(order.language):
        path = reverse("shop:order", kwargs={"order_id": order.pk})
    return settings.SHOP_SITE_URL.rstrip("/") + path


def _lines(order, lines) -> list[dict]:
    return [
        {
            "name": in_language(line.name_nl, line.name_en, order.language),
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "total": line.total,
            "personalised": line.personalised,
        }
        for line in lines
    ]


def _queue(*, order, customer, template: str, context: dict) -> None:
    if not customer.email:
        # Erased (Art. 17; ERASED is falsy): no address to write to. The status change and a
        # refund already asked for must stand, not roll back on a mail that cannot be sent.
        return
    policy = current_policy()
    mail_queue(
        to=customer.email,
        template=f"shop/mail/{template}",
        context={
            "shop_name": policy.controller.name,
            "controller": policy.controller,
            "first_name": customer.first_name,
            "order": order,
            "order_url": order_url(order),
            **context,
        },
        language=order.language,
        subject_id=order.subject_id,
        idempotency_key=f"shop.{template}:{order.pk}",
    )


def order_confirmation(*, order, lines, customer) -> None:
    """Order number, lines, VAT per rate, total, and the withdrawal information (BW 6:230v:
    the confirmation on a durable medium repeats what was shown before the order)."""
    method = order.delivery_method
    amounts = [(line.vat_rate, line.total) for line in lines]
    if order.delivery_price:
        amounts.append((method.vat_rate, order.delivery_price))
    _queue(
        order=order,
        customer=customer,
        template="order_confirmation",
        context={
            "lines": _lines(order, lines),
            "delivery_name": in_language(method.name_nl, method.name_en, order.language),
            "vat": vat_breakdown(amounts),
            "has_personalised": any(line.personalised for line in lines),
            "all_personalised": all(line.personalised for line in lines),
        },
    )


def order_shipped(*, order, customer) -> None:
    _queue(order=order, customer=customer, template="order_shipped", context={})


def order_cancelled(*, order, customer, refunded: bool, credit_note_number: str = "") -> None:
    """``credit_note_number``: the credit note that undid a paid order's invoice, which the
    customer finds in My account with the order."""
    _queue(
        order=order,
        customer=customer,
        template="order_cancelled",
        context={"refunded": refunded, "credit_note_number": credit_note_number},
    )
