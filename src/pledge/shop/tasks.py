"""Background work of the order half of the shop (django.tasks)."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone


@task
def orders_unpaid_expire() -> int:
    """Cancel orders whose payment never came (the provider's last word was lost, or the
    customer walked away): the stock they held goes back on sale. Run it periodically
    (``pledge orders expire-unpaid`` from cron does the same)."""
    from .fulfilment import orders_unpaid_cancel

    cutoff = timezone.now() - timedelta(hours=settings.SHOP_UNPAID_ORDER_HOURS)
    return orders_unpaid_cancel(placed_before=cutoff)
