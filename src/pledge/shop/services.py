"""Writes of the order half of the shop: placing an order and starting its payment.

Everything after that (paid, shipped, delivered, cancelled) is in ``fulfilment.py``. Each
service changes the order, records an ``order_change`` audit event (ids and statuses only) and
queues its mail and partner messages in the same transaction: the outbox and the partners app
deliver them after the commit, so nothing goes out for a change that rolled back.
"""

import logging
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, When
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pledge.accounts.selectors import ADDRESS_FIELDS, customer_profile
from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for

from .checkout import CheckoutRefused, quote_build
from .counters import counter_next
from .models import DeliveryMethod, Order, OrderLine, OrderStatus, Product
from .order_states import UNPAID

logger = logging.getLogger(__name__)

S = OrderStatus


class QuoteChanged(CheckoutRefused):
    """Prices, stock or lines changed between the review page and the order button."""


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool  # False: this checkout was submitted before, and that order is returned


def order_change_audit(
    order: Order, *, status: str, staff_id=None, by_customer: bool = False, **details
) -> None:
    """The ``order_change`` audit row: who acted (staff by id, the customer by pseudonym, or
    neither when the system acted on a partner's event), the order by id, the new status."""
    actor: dict = {}
    if staff_id is not None:
        actor["staff_id"] = staff_id
    elif by_customer:
        actor["subject_pseudonym"] = subject_pseudonym_for(subject_id=order.subject_id)
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
            order_change_audit(
                order, status=S.PENDING_PAYMENT, by_customer=True, lines=len(quote.lines)
            )
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


# -- shared by the fulfilment services ------------------------------------------------


def order_locked(order_reference: str) -> Order | None:
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


def order_customer(order: Order):
    if order.user_id is None:
        return None  # the account was deleted; the order stays for the books
    try:
        return customer_profile(user_id=order.user_id)
    except Http404:
        return None


def partner_lines(lines) -> list[dict]:
    return [
        {
            "name": line.name_nl if line.name_nl else line.name_en,
            "quantity": line.quantity,
            "sku": line.product.slug if line.product else "",
        }
        for line in lines
    ]
