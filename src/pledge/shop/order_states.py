"""Which order status may follow which: the one table every status change goes through.

An order waits for its payment, is paid, leaves the shop, arrives; it can be cancelled until it
has left, and returned (the 14-day right of withdrawal, BW 6:230o) once it has. Anything else is
refused with ``TransitionRefused``, which names both statuses so staff see why.
"""

from django.utils.translation import gettext_lazy as _

from .models import OrderStatus

S = OrderStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PLACED: frozenset({S.PAID, S.CANCELLED}),
    # Collection at the shop goes from paid to delivered without being shipped.
    S.PAID: frozenset({S.SHIPPED, S.DELIVERED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.RETURNED}),
    S.DELIVERED: frozenset({S.RETURNED}),
    S.CANCELLED: frozenset(),
    S.RETURNED: frozenset(),
}

# Open: still to be handled by the shop (the back office may see the delivery address).
OPEN = frozenset({S.PENDING_PAYMENT, S.PLACED, S.PAID, S.SHIPPED})
UNPAID = frozenset({S.PENDING_PAYMENT, S.PLACED})


class TransitionRefused(ValueError):
    """A status change the table does not allow; the message is safe to show."""

    def __init__(self, current: str, wanted: str) -> None:
        self.current, self.wanted = current, wanted
        super().__init__(
            _("An order that is “%(current)s” cannot become “%(wanted)s”.")
            % {"current": S(current).label, "wanted": S(wanted).label}
        )


def transition_check(current: str, wanted: str) -> None:
    if wanted not in ALLOWED[current]:
        raise TransitionRefused(current, wanted)


def may_become(current: str, wanted: str) -> bool:
    return wanted in ALLOWED[current]


def _fits_delivery(order, wanted: str) -> bool:
    # A parcel is shipped (with its track-and-trace code) before it can be delivered; an order
    # collected at the shop is never shipped: it goes from paid to delivered when collected.
    parcel = order.delivery_method.needs_address
    if wanted == S.SHIPPED:
        return parcel
    if wanted == S.DELIVERED and order.status == S.PAID:
        return not parcel
    return True


def order_transition_check(order, wanted: str) -> None:
    """``transition_check`` for this order, its delivery method included."""
    transition_check(order.status, wanted)
    if not _fits_delivery(order, wanted):
        raise TransitionRefused(order.status, wanted)


def order_may_become(order, wanted: str) -> bool:
    return may_become(order.status, wanted) and _fits_delivery(order, wanted)
