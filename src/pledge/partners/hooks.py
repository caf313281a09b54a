"""Events from partners back to the shop: a small registry, connected in ShopConfig.ready().

    from pledge.partners import hooks

    @hooks.on_payment_status
    def order_payment_update(*, order_reference, payment_id, status, amount): ...

partners calls the handlers only for verified events (a signed webhook, or a Mollie payment
re-fetched and matched against our own Payment row), inside the transaction that records the
event: a handler that raises rolls the event back, the partner gets an error and tries again.
A webhook may arrive twice, so handlers must be idempotent.
"""

from collections.abc import Callable
from decimal import Decimal

PAYMENT_STATUSES = frozenset({"paid", "failed", "cancelled", "expired", "refunded"})
SHIPMENT_STATUSES = frozenset({"shipped", "delivered"})

_payment_handlers: list[Callable] = []
_shipment_handlers: list[Callable] = []


def on_payment_status(handler: Callable) -> Callable:
    """Register ``handler(*, order_reference, payment_id, status, amount)``."""
    if handler not in _payment_handlers:
        _payment_handlers.append(handler)
    return handler


def on_shipment_status(handler: Callable) -> Callable:
    """Register ``handler(*, order_reference, status, tracking_code)``."""
    if handler not in _shipment_handlers:
        _shipment_handlers.append(handler)
    return handler


def payment_status_emit(
    *, order_reference: str, payment_id: str, status: str, amount: Decimal
) -> None:
    if status not in PAYMENT_STATUSES:
        raise ValueError(f"unknown payment status {status!r}")
    for handler in list(_payment_handlers):
        handler(
            order_reference=order_reference, payment_id=payment_id, status=status, amount=amount
        )


def shipment_status_emit(*, order_reference: str, status: str, tracking_code: str) -> None:
    if status not in SHIPMENT_STATUSES:
        raise ValueError(f"unknown shipment status {status!r}")
    for handler in list(_shipment_handlers):
        handler(order_reference=order_reference, status=status, tracking_code=tracking_code)


def disconnect(handler: Callable) -> None:
    """Remove a handler (tests that register their own)."""
    for handlers in (_payment_handlers, _shipment_handlers):
        if handler in handlers:
            handlers.remove(handler)
