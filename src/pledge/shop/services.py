"""Writes of the order half of the shop: place an order, and every status change after that.

Each service changes the order, records an ``order_change`` audit event (ids and statuses only)
and queues its mail and partner messages in the same transaction: the outbox and the partners
app deliver them after the commit, so nothing goes out for a change that rolled back.
"""

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, F, When
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pledge.accounts.selectors import ADDRESS_FIELDS, customer_profile
from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for

from . import mails
from .checkout import CheckoutRefused, quote_build
from .counters import counter_next
from .models import DeliveryMethod, Order, OrderLine, OrderStatus, Product
from .order_states import UNPAID, TransitionRefused, transition_check

logger = logging.getLogger(__name__)

S = OrderStatus


class QuoteChanged(CheckoutRefused):
    """Prices, stock or lines changed between the review page and the order button."""


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool  # False: this checkout was submitted before, and that order is returned


def _audit(order: Order, *, status: str, staff_id=None, **details) -> None:
    actor = (
        {"staff_id": staff_id}
        if staff_id is not None
        else {"subject_pseudonym": subject_pseudonym_for(subject_id=order.subject_id)}
    )
    audit_record(
        action=AuditAction.ORDER_CHANGE,
        **actor,
        object_type="shop.order",
        object_id=order.pk,
        details={"status": status, **details},
    )


def _merged(quantities) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for product_id, quantity in quantities:
        merged[int(product_id)] = merged.get(int(product_id), 0) + int(quantity)
    return list(merged.items())


# -- placing an order --------------------------------------------------------------------------


def order_place(
    *,
    user,
    customer,
    quantities: list[tuple[int, int]],
    delivery_code: str,
    address_id,
    payment_method: str,
    idempotency_key: uuid.UUID,
    review_digest: str,
    language: str,
) -> PlacedOrder:
    """Place the order for these (product id, quantity) pairs, all or nothing.

    Prices, VAT and stock come from the product rows, read under a row lock in id order (two
    checkouts lock in the same order, so they wait for each other instead of deadlocking) and
    the stock is taken in one UPDATE: the last item is sold once. ``idempotency_key`` comes
    from the review page: the same checkout submitted twice returns the first order (the
    database's unique constraint decides, also for two submits at the same moment).
    ``review_digest`` is what the review page showed; a changed quote raises ``QuoteChanged``.
    ``customer`` is the account's profile (``accounts.selectors.customer_profile``).
    """
    from pledge.partners.services import payment_methods

    profile = customer
    if not profile.email_verified:
        # The confirmation and order mails go to this address: it must be the customer's own.
        raise CheckoutRefused(_("Confirm your e-mail address before you order."))
    delivery = DeliveryMethod.objects.filter(code=delivery_code, is_active=True).first()
    if delivery is None:
        raise CheckoutRefused(_("Choose a delivery method."))
    if payment_method not in {method.code for method in payment_methods()}:
        raise CheckoutRefused(_("Choose a payment method."))
    address = None
    if delivery.needs_address:
        address = next((a for a in profile.addresses if str(a["id"]) == str(address_id)), None)
        if address is None:
            raise CheckoutRefused(_("Choose a delivery address."))
    wanted = _merged(quantities)
    try:
        with transaction.atomic():
            products = Product.objects.select_for_update().filter(
                pk__in=[product_id for product_id, _quantity in wanted]
            )
            quote = quote_build(
                products=products.order_by("pk"), quantities=wanted, delivery=delivery
            )
            if quote.digest != review_digest:
                raise QuoteChanged(
                    _("Your order changed since you reviewed it. Please check it again.")
                )
            Product.objects.filter(pk__in=[line.product_id for line in quote.lines]).update(
                stock=Case(
                    *(
                        When(pk=line.product_id, then=F("stock") - line.quantity)
                        for line in quote.lines
                    )
                )
            )
            order = Order(
                number=counter_next("order"),
                user_id=user.pk,
                subject_id=user.subject_id,
                language=language,
                idempotency_key=idempotency_key,
                delivery_method=delivery,
                delivery_price=quote.delivery_price,
                delivery_address={name: address[name] for name in ADDRESS_FIELDS}
                if address
                else None,
                phone=profile.phone or "",
                payment_method=payment_method,
                total=quote.total,
                terms_accepted_at=timezone.now(),
            )
            order.save(force_insert=True)
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    product_id=line.product_id,
                    name_nl=line.name_nl,
                    name_en=line.name_en,
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                    vat_rate=line.vat_rate,
                    personalised=line.personalised,
                    supplier=line.supplier,
                )
                for line in quote.lines
            )
            _audit(order, status=S.PENDING_PAYMENT, lines=len(quote.lines))
    except IntegrityError:
        # The same checkout was placed a moment ago (double click, a resent form): that one.
        existing = order_for_checkout(user=user, idempotency_key=idempotency_key)
        if existing is None:
            raise
        return PlacedOrder(existing, created=False)
    return PlacedOrder(order, created=True)


def order_for_checkout(*, user, idempotency_key) -> Order | None:
    """The order a checkout (its idempotency key) already made, if any."""
    return Order.objects.filter(user_id=user.pk, idempotency_key=idempotency_key).first()


def order_payment_start(*, order: Order, return_url: str, payer=None):
    """Start a payment at the payment provider; returns its redirect (``.redirect_url``).

    Runs after the order's own transaction: the provider is called over the network, and no
    product row stays locked meanwhile. A new payment replaces the order's current one; events
    about an older payment no longer cancel the order (see ``order_payment_failed``).
    """
    from pledge.partners.services import payment_start

    if order.status not in UNPAID:
        raise CheckoutRefused(_("This order needs no payment."))
    payer = payer or customer_profile(user_id=order.user_id)
    with translation.override(order.language):
        description = _("Order %(number)s") % {"number": order.number}
    redirect = payment_start(
        method=order.payment_method,
        order_reference=str(order.number),
        amount=order.total,
        description=description,
        subject_id=order.subject_id,
        language=order.language,
        return_url=return_url,
        fields={
            "first_name": payer.first_name,
            "last_name": payer.last_name,
            "email": payer.email,
        },
    )
    Order.objects.filter(pk=order.pk, status__in=UNPAID).update(
        payment_reference=redirect.payment_id
    )
    order.payment_reference = redirect.payment_id
    return redirect


# -- payment events --------------------------------------------------------------------------


def _locked(order_reference: str) -> Order | None:
    try:
        number = int(order_reference)
    except (TypeError, ValueError):
        return None
    return (
        Order.objects.select_for_update()
        .select_related("delivery_method")
        .filter(number=number)
        .first()
    )


def order_mark_paid(*, order_reference: str, payment_id: str, amount: Decimal) -> None:
    """The provider confirmed the payment: invoice, confirmation mail, partners told.

    Idempotent: a webhook that arrives twice changes nothing the second time. A payment that
    arrives for an order cancelled meanwhile (it expired here first) is refunded.
    """
    from pledge.partners.services import payment_refund

    from .invoices import invoice_issue  # the invoices half of the shop

    with transaction.atomic():
        order = _locked(order_reference)
        if order is None:
            logger.warning("payment for an unknown order reference ignored")
            return
        if order.status == S.CANCELLED:
            with translation.override(order.language):
                description = _("Refund of order %(number)s") % {"number": order.number}
            payment_refund(
                order_reference=str(order.number), amount=amount, description=description
            )
            _audit(order, status=S.CANCELLED, payment="refunded_late_payment")
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
        customer = _customer(order)
        lines = list(order.lines.select_related("product"))
        if customer is not None:
            mails.order_confirmation(order=order, lines=lines, customer=customer)
        _disclosures_after_payment(order=order, lines=lines, customer=customer)
        _audit(order, status=S.PAID)


def order_payment_failed(*, order_reference: str, payment_id: str, status: str) -> None:
    """The payment failed, was cancelled or expired: the order is cancelled, stock returned.

    Only the order's current payment counts: when the customer started a new one, the old
    one's expiry is no reason to cancel.
    """
    with transaction.atomic():
        order = _locked(order_reference)
        if order is None or order.status not in UNPAID:
            return
        if order.payment_reference and order.payment_reference != payment_id:
            return
        _cancel(order, reason=f"payment_{status}")


def _customer(order: Order):
    if order.user_id is None:
        return None  # the account was deleted; the order stays for the books
    try:
        return customer_profile(user_id=order.user_id)
    except Http404:
        return None


def _lines_field(lines) -> list[dict]:
    return [
        {
            "name": line.name_nl if line.name_nl else line.name_en,
            "quantity": line.quantity,
            "sku": line.product.slug if line.product else "",
        }
        for line in lines
    ]


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
        fields = {**names, "lines": _lines_field(supplied)}
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
    if was_paid:
        from pledge.partners.services import payment_refund

        with translation.override(order.language):
            description = _("Refund of order %(number)s") % {"number": order.number}
        payment_refund(
            order_reference=str(order.number), amount=order.total, description=description
        )
    customer = _customer(order)
    if customer is not None and (was_paid or staff_id is not None):
        mails.order_cancelled(order=order, customer=customer, refunded=was_paid)
    _audit(order, status=S.CANCELLED, staff_id=staff_id, reason=reason, refunded=was_paid)


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
        order = _locked(order_reference)
        if order is None:
            raise Http404
        if order.status in {S.SHIPPED, S.DELIVERED} and staff_id is None:
            return order  # the partner's event again
        transition_check(order.status, S.SHIPPED)
        if order.delivery_method.needs_address and not tracking_code:
            raise CheckoutRefused(_("Enter the track-and-trace code of the parcel."))
        order.status, order.shipped_at = S.SHIPPED, timezone.now()
        order.tracking_code = tracking_code
        order.save(update_fields=["status", "shipped_at", "tracking_code"])
        customer = _customer(order)
        if customer is not None:
            mails.order_shipped(order=order, customer=customer)
        _audit(order, status=S.SHIPPED, staff_id=staff_id)
    return order


def order_mark_delivered(*, order_reference: str, staff_id=None) -> Order:
    """The order arrived (or was collected). The review partner may now invite the customer
    once, with first name, e-mail address and the lines only, unless they objected (Art. 21)."""
    from pledge.partners.services import review_invite

    with transaction.atomic():
        order = _locked(order_reference)
        if order is None:
            raise Http404
        if order.status == S.DELIVERED and staff_id is None:
            return order
        transition_check(order.status, S.DELIVERED)
        order.status, order.delivered_at = S.DELIVERED, timezone.now()
        update = ["status", "delivered_at"]
        customer = _customer(order)
        if customer is not None and order.review_invited_at is None:
            lines = list(order.lines.select_related("product"))
            invited = review_invite(
                order_reference=str(order.number),
                subject_id=order.subject_id,
                fields={
                    "first_name": customer.first_name,
                    "email": customer.email,
                    "lines": _lines_field(lines),
                },
            )
            if invited:
                order.review_invited_at = order.delivered_at
                update.append("review_invited_at")
        order.save(update_fields=update)
        _audit(order, status=S.DELIVERED, staff_id=staff_id)
    return order


def order_mark_returned(*, order_id, staff_id=None) -> Order:
    """The customer withdrew and the goods came back (BW 6:230o); the refund is the invoices
    half's credit note."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise Http404
        if order.status == S.RETURNED:
            return order
        transition_check(order.status, S.RETURNED)
        order.status = S.RETURNED
        order.save(update_fields=["status"])
        _restock(order)
        _audit(order, status=S.RETURNED, staff_id=staff_id)
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
