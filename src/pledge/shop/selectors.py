"""Reads of the order half of the shop: a customer's own orders, the back office's list.

A customer's order is looked up by owner and id together: someone else's order is "not found",
never "not yours" (no hint that it exists).
"""

import uuid
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from .checkout import VatLine, in_language, vat_breakdown
from .models import DeliveryMethod, InvoiceKind, Order


def delivery_methods_active() -> list[DeliveryMethod]:
    return list(DeliveryMethod.objects.filter(is_active=True))


def orders_for_customer(*, user) -> QuerySet[Order]:
    """The customer's orders, newest first, each with its number of lines."""
    return (
        Order.objects.filter(user_id=user.pk)
        .select_related("delivery_method")
        .annotate(line_count=Count("lines"))
        .order_by("-placed_at")
    )


def order_for_customer(*, user, order_id) -> Order:
    order = (
        Order.objects.filter(user_id=user.pk, pk=order_id)
        .select_related("delivery_method")
        .prefetch_related("lines", "returns")
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_vat(order: Order) -> tuple[VatLine, ...]:
    """VAT per rate of an order's lines and delivery (lines prefetched or fetched here)."""
    amounts = [(line.vat_rate, line.total) for line in order.lines.all()]
    if order.delivery_price:
        amounts.append((order.delivery_method.vat_rate, order.delivery_price))
    return vat_breakdown(amounts)


def orders_for_staff(*, status: str = "") -> QuerySet[Order]:
    orders = Order.objects.select_related("delivery_method").annotate(line_count=Count("lines"))
    if status:
        orders = orders.filter(status=status)
    return orders.order_by("-placed_at")


def order_for_staff(*, order_id) -> Order:
    order = (
        Order.objects.filter(pk=order_id)
        .select_related("delivery_method")
        .prefetch_related("lines")
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_goods_total(order: Order) -> Decimal:
    return order.total - order.delivery_price


# -- one person's orders as plain data (the authority disclosure's data sources) ---------------


def _subject_orders(subject_id: uuid.UUID) -> QuerySet[Order]:
    # By subject id, not account: the orders stay this person's after the account is gone.
    return (
        Order.objects.filter(subject_id=subject_id)
        .select_related("delivery_method")
        .prefetch_related("lines", "invoices")
        .order_by("placed_at", "number")
    )


def _moment(value) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


def purchase_history_for_subject(*, subject_id: uuid.UUID) -> list[dict]:
    """Every order of ONE person: number, date, status, lines with quantity and price, totals,
    and the numbers of its invoice and credit notes. Text, numbers as strings (JSON), no
    address, phone or payment data (other categories)."""
    from .invoice_selectors import invoice_number

    history = []
    for order in _subject_orders(subject_id):
        documents = sorted(order.invoices.all(), key=lambda d: (d.kind, d.number))
        history.append(
            {
                "order_number": order.number,
                "placed_at": _moment(order.placed_at),
                "status": order.status,
                "lines": [
                    {
                        "product": in_language(line.name_nl, line.name_en),
                        "quantity": line.quantity,
                        "unit_price": str(line.unit_price),
                        "total": str(line.total),
                        "vat_rate": line.vat_rate,
                    }
                    for line in order.lines.all()
                ],
                "delivery_method": in_language(
                    order.delivery_method.name_nl, order.delivery_method.name_en
                ),
                "delivery_price": str(order.delivery_price),
                "total": str(order.total),
                "currency": "EUR",
                "invoices": [invoice_number(d) for d in documents if d.kind == InvoiceKind.INVOICE],
                "credit_notes": [
                    {"number": invoice_number(d), "total": str(d.total)}
                    for d in documents
                    if d.kind == InvoiceKind.CREDIT_NOTE
                ],
            }
        )
    return history


def payments_for_subject(*, subject_id: uuid.UUID) -> list[dict]:
    """What the shop holds about ONE person's payments, per order: the method chosen, the
    payment provider's reference, the amount and when it was paid, and what was credited. The
    shop never stores an account number or card data: the provider keeps those."""
    payments = []
    for order in _subject_orders(subject_id):
        credited = sum(
            (-d.total for d in order.invoices.all() if d.kind == InvoiceKind.CREDIT_NOTE),
            Decimal("0.00"),
        )
        payments.append(
            {
                "order_number": order.number,
                "payment_method": order.payment_method,
                "payment_reference": order.payment_reference,
                "amount": str(order.total),
                "currency": "EUR",
                "paid_at": _moment(order.paid_at),
                "credited": str(credited),
            }
        )
    return payments
