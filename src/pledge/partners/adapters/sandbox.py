"""The sandbox: the demo's (and tests') stand-in for delivery, supplier and review partners.

It goes through the whole outbox (payload builder, encrypted message, disclosure log, task,
lease) but its "delivery" sends nothing out of the machine: the message stays in the outbox,
marked delivered with channel "sandbox", where staff can see what a real partner would have
received. Used only when PLEDGE_ENV is demo or test, unless configured explicitly (which
``pledge check`` warns about in production).
"""

from pledge.policy.schema import RecipientType

from .. import conf
from .base import BaseDeliveryAdapter, BaseReviewAdapter, BaseSupplierAdapter


class SandboxAdapter(BaseDeliveryAdapter, BaseSupplierAdapter, BaseReviewAdapter):
    recipient_types = frozenset(
        {RecipientType.DELIVERY, RecipientType.SUPPLIER, RecipientType.REVIEW_COLLECTOR}
    )
    channel = "sandbox"
    sandbox = True

    def message_deliver(self, *, message, payload: dict) -> None:
        return None  # kept in the outbox, delivered to nobody

    def inbound_secret(self) -> str:
        # A sandbox carrier's track-and-trace webhooks are signed like a real partner's.
        return (
            self.options.get("inbound_secret")
            or self.options.get("secret")
            or (conf.demo_secret(f"inbound:{self.recipient_id}") if conf.sandbox_defaults() else "")
        )
