"""Writes after an order is placed: its payment's outcome, fulfilment, cancellation.

Each status change goes through the table in ``order_states``, is audited as ``order_change``
and queues its mail and partner messages in the same transaction (sent after the commit). The
partners' events arrive here through the hooks connected in ``ShopConfig.ready``; a webhook may
come twice, so every handler is idempotent. A return (the goods come back after delivery) has
one code path, ``returns.return_accept``: it credits and restocks only the returned,
non-personalised lines.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, F, When
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import mails
from .checkout import CheckoutRefused
from .invoice_selectors import invoice_for_order, invoice_number
from .invoices import credit_note_issue, credit_remaining, invoice_issue
from .models import Invoice, Order, OrderStatus, Product
from .order_states import UNPAID, TransitionRefused, order_transition_check, transition_check
from .services import order_change_audit, order_customer, order_locked, partner_lines

logger = logging.getLogger(__name__)

S = OrderStatus


# -- payment events --------------------------------------------------------------------------


def order_mark_paid(*, order_reference: str, payment_id: str, amount: Decimal) -> None:
    """The provider confirmed the payment: invoice, confirmation mail, partners told.

    Idempotent: a webhook that arrives twice changes nothing the second time. A payment that
    arrives for an order cancelled meanwhile (it expired here first) is refunded.
    """
    from pledge.partners.services import payment_refund

    with transaction.atomic():
        order = order_locked(order_reference)
        if order is None:
            logger.warning("payment for an unknown order reference ignored")
            return
        if order.status == S.CANCELLED or (
            order.status not in UNPAID and payment_id != order.payment_reference
        ):
            # Paid after it was cancelled, or paid twice (the customer paid again while the
            # first payment was still pending): that payment goes back in full.
            with translation.override(order.language):
                description = _("Refund of order %(number)s") % {"number": order.number}
            payment_refund(
                order_reference=str(order.number),
                amount=amount,
                description=description,
                payment_id=payment_id,
            )
            refunded = "late_payment" if order.status == S.CANCELLED else "second_payment"
            order_change_audit(order, status=order.status, payment=f"refunded_{refunded}")
            return
        if order.status not in UNPAID:
            return  # already paid: the same event again
        if Decimal(amount) != order.total:
            logger.warning("payment for order %s has a different amount; not marked paid", order.pk)
            return
        transition_check(order.status, S.PAID)
        order.status, order.paid_at = S.PAID, timezone.now()
        order.payment_reference = payment_id
        order.save(update_fields=["status", "paid_at", "payment_reference"])
        invoice_issue(order_id=order.pk)
        customer = order_customer(order)
        lines = list(order.lines.select_related("product"))
        if customer is not None:
            mails.order_confirmation(order=order, lines=lines, customer=customer)
        _disclosures_after_payment(order=order, lines=lines, customer=customer)
        order_change_audit(order, status=S.PAID)


def order_payment_failed(*, order_reference: str, payment_id: str, status: str) -> None:
    """The payment failed, was cancelled or expired: the order is cancelled, stock returned.

    Only the order's current payment counts: when the customer started a new one, the old
    one's expiry is no reason to cancel.
    """
    with transaction.atomic():
        order = order_locked(order_reference)
        if order is None or order.status not in UNPAID:
            return
        if order.payment_reference and order.payment_reference != payment_id:
            return
        _cancel(order, reason=f"payment_{status}")


def _disclosures_after_payment(*, order: Order, lines, customer) -> None:
    """Tell the delivery partner and the drop-shipping suppliers, each only what they need.

    The partners app stores each message with its disclosure record in this transaction and
    sends it after the commit; the payload builder refuses any field the policy does not give
    that recipient for that purpose (Art. 5(1)(c), Art. 28).
    """
    from pledge.partners.services import shipment_request, supplier_order

    if customer is None:
        return
    names = {"first_name": customer.first_name, "last_name": customer.last_name}
    address = dict(order.delivery_address) if order.delivery_address else None
    method = order.delivery_method
    if method.recipient and address:
        fields = {**names, "address": address}
        if order.phone:
            fields["phone"] = order.phone
        shipment_request(
            recipient_id=method.recipient,
            order_reference=str(order.number),
            subject_id=order.subject_id,
            fields=fields,
        )
    by_supplier: dict[str, list] = {}
    for line in lines:
        if line.supplier:
            by_supplier.setdefault(line.supplier, []).append(line)
    for supplier, supplied in sorted(by_supplier.items()):
        fields = {**names, "lines": partner_lines(supplied)}
        if address:
            fields["address"] = address
        supplier_order(
            recipient_id=supplier,
            order_reference=str(order.number),
            subject_id=order.subject_id,
            fields=fields,
        )


# -- fulfilment ------------------------------------------------------------------------------


def _restock(order: Order) -> None:
    returned = {}
    for product_id, quantity in order.lines.exclude(product=None).values_list(
        "product_id", "quantity"
    ):
        returned[product_id] = returned.get(product_id, 0) + quantity
    if returned:
        Product.objects.filter(pk__in=returned).update(
            stock=Case(*(When(pk=pk, then=F("stock") + n) for pk, n in returned.items()))
        )


def _cancel(order: Order, *, reason: str, staff_id=None) -> None:
    transition_check(order.status, S.CANCELLED)
    was_paid = order.status == S.PAID
    order.status, order.cancelled_at = S.CANCELLED, timezone.now()
    order.save(update_fields=["status", "cancelled_at"])
    _restock(order)
    credit_note = _credit_in_full(order) if was_paid else None
    if was_paid:
        from pledge.partners.services import payment_refund

        with translation.override(order.language):
            description = _("Refund of order %(number)s") % {"number": order.number}
        # Inside the transaction: a refused refund rolls the cancellation and the credit note
        # back (its number too), so the order stays paid and its books unchanged.
        payment_refund(
            order_reference=str(order.number), amount=order.total, description=description
        )
    customer = order_customer(order)
    if customer is not None and (was_paid or staff_id is not None):
        mails.order_cancelled(
            order=order,
            customer=customer,
            refunded=was_paid,
            credit_note_number=invoice_number(credit_note) if credit_note else "",
        )
    details = {"reason": reason, "refunded": was_paid}
    if credit_note is not None:
        details["credit_note"] = invoice_number(credit_note)
    order_change_audit(order, status=S.CANCELLED, staff_id=staff_id, **details)


def _credit_in_full(order: Order) -> Invoice | None:
    """The credit note that undoes a cancelled paid order's invoice: every line not credited
    yet and the delivery costs, so invoice and credit note together come to zero: without it
    the books would still owe the VAT of a sale that was undone."""
    invoice = invoice_for_order(order_id=order.pk)
    if invoice is None:
        return None  # nothing was invoiced, so nothing is to be corrected
    remaining = credit_remaining(invoice=invoice)
    if remaining.delivery <= 0 and not any(n > 0 for n in remaining.quantities.values()):
        return None  # credited already
    return credit_note_issue(
        invoice_id=invoice.pk, lines=None, include_delivery=remaining.delivery > 0
    )


def orders_unpaid_cancel(*, placed_before) -> int:
    """Cancel orders still waiting for their payment since before ``placed_before``: their
    stock goes back. A payment that still arrives afterwards is refunded (``order_mark_paid``).
    Returns how many were cancelled."""
    cancelled = 0
    candidates = Order.objects.filter(status__in=UNPAID, placed_at__lt=placed_before)
    for order_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).first()
            if order is not None and order.status in UNPAID:
                _cancel(order, reason="unpaid")
                cancelled += 1
    return cancelled


def order_cancel(*, order_id, staff_id) -> Order:
    """Cancel an order that has not left the shop: stock back, payment refunded if paid."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise Http404
        _cancel(order, reason="staff", staff_id=staff_id)
    return order


def order_mark_shipped(*, order_reference: str, tracking_code: str, staff_id=None) -> Order:
    """The parcel left: the track-and-trace code is kept (encrypted) and mailed to the customer.

    From the back office (``staff_id``) or from the delivery partner's event (no staff). The
    same event twice changes nothing.
    """
    tracking_code = (tracking_code or "").strip()
    with transaction.atomic():
        order = order_locked(order_reference)
        if order is None:
            raise Http404
        if order.status in {S.SHIPPED, S.DELIVERED} and staff_id is None:
            return order  # the partner's event again
        order_transition_check(order, S.SHIPPED)
        if order.delivery_method.needs_address and not tracking_code:
            raise CheckoutRefused(_("Enter the track-and-trace code of the parcel."))
        order.status, order.shipped_at = S.SHIPPED, timezone.now()
        order.tracking_code = tracking_code
        order.save(update_fields=["status", "shipped_at", "tracking_code"])
        customer = order_customer(order)
        if customer is not None:
            mails.order_shipped(order=order, customer=customer)
        order_change_audit(order, status=S.SHIPPED, staff_id=staff_id)
    return order


def order_mark_delivered(*, order_reference: str, staff_id=None) -> Order:
    """The order arrived (or was collected). The review partner may now invite the customer
    once, with first name, e-mail address and the lines only, unless they objected (Art. 21)."""
    from pledge.partners.services import review_invite

    with transaction.atomic():
        order = order_locked(order_reference)
        if order is None:
            raise Http404
        if order.status == S.DELIVERED and staff_id is None:
            return order
        order_transition_check(order, S.DELIVERED)
        order.status, order.delivered_at = S.DELIVERED, timezone.now()
        update = ["status", "delivered_at"]
        customer = order_customer(order)
        if customer is not None and order.review_invited_at is None:
            lines = list(order.lines.select_related("product"))
            invited = review_invite(
                order_reference=str(order.number),
                subject_id=order.subject_id,
                fields={
                    "first_name": customer.first_name,
                    "email": customer.email,
                    "lines": partner_lines(lines),
                },
            )
            if invited:
                order.review_invited_at = order.delivered_at
                update.append("review_invited_at")
        order.save(update_fields=update)
        order_change_audit(order, status=S.DELIVERED, staff_id=staff_id)
    return order


# -- partner events (connected in ShopConfig.ready) ------------------------------------------


def payment_status_received(*, order_reference: str, payment_id: str, status: str, amount) -> None:
    """partners' verified payment event: paid, or failed/cancelled/expired, or refunded."""
    if status == "paid":
        order_mark_paid(order_reference=order_reference, payment_id=payment_id, amount=amount)
    elif status in {"failed", "cancelled", "expired"}:
        order_payment_failed(order_reference=order_reference, payment_id=payment_id, status=status)
    # "refunded" follows a refund the shop asked for itself: nothing more to change.


def shipment_status_received(*, order_reference: str, status: str, tracking_code: str) -> None:
    """The delivery partner's signed event: shipped (with its code) or delivered.

    An event the order's status does not allow (a parcel scanned after the order was
    cancelled) is logged and dropped: sending it again would not make it allowed.
    """
    try:
        if status == "shipped":
            order_mark_shipped(order_reference=order_reference, tracking_code=tracking_code)
        elif status == "delivered":
            order_mark_delivered(order_reference=order_reference)
    except (TransitionRefused, CheckoutRefused, Http404) as refusal:
        logger.warning("shipment event %s for an order ignored: %s", status, type(refusal).__name__)
