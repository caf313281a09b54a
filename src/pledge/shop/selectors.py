"""Reads of the order half of the shop: a customer's own orders, the back office's list.

A customer's order is looked up by owner and id together: someone else's order is "not found",
never "not yours" (no hint that it exists).
"""

from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404

from .checkout import VatLine, vat_breakdown
from .models import DeliveryMethod, Order


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
