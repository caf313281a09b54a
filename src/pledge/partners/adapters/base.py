"""The interfaces an adapter implements, one per policy recipient type.

An adapter speaks to one recipient, configured in settings or the environment (``loader``).
It never decides *what* may be sent: it receives a ``Payload`` the payload builder has already
checked against the policy, and only transports it.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from pledge.policy.schema import RecipientType

if TYPE_CHECKING:
    from ..models import PartnerMessage, Payment
    from ..payload import Payload


class DeliveryFailed(Exception):
    """A message did not reach the partner. ``permanent``: retrying cannot help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:200]
        self.permanent = permanent


class PaymentProviderError(Exception):
    """The payment provider refused or could not be reached. Never carries payer data."""


@dataclass(frozen=True)
class PaymentState:
    """A payment as its provider (verified) reports it; only what we match and keep."""

    status: str | None  # one of PaymentStatus, or None while still open/pending
    amount: Decimal
    currency: str
    order_reference: str
    amount_refunded: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class ProviderPayment:
    """What a provider answered to a new payment."""

    provider_id: str
    redirect_url: str


class BaseAdapter:
    #: The recipient types this adapter can serve.
    recipient_types: ClassVar[frozenset[RecipientType]] = frozenset()
    #: Recorded in the disclosure log: how the data travelled.
    channel: ClassVar[str] = ""
    #: True for the demo's stand-ins, which send nothing out of the machine.
    sandbox: ClassVar[bool] = False

    def __init__(self, *, recipient_id: str, options: dict | None = None) -> None:
        self.recipient_id = recipient_id
        self.options = dict(options or {})

    def configuration_problems(self) -> list[str]:
        """What is missing from the options (shown by ``pledge check``); never secret values."""
        return []

    def inbound_secret(self) -> str:
        """The secret a partner signs its webhooks to us with ('' when it sends none)."""
        return ""

    def __repr__(self) -> str:  # never the options: they hold secrets
        return f"{type(self).__name__}(recipient_id={self.recipient_id!r})"


class BasePaymentAdapter(BaseAdapter):
    recipient_types = frozenset({RecipientType.PAYMENT})
    #: The payload fields the provider is actually sent (and so recorded as disclosed); the
    #: policy may allow more (e.g. order lines) than a provider's API takes.
    payload_fields: ClassVar[frozenset[str]] = frozenset({"amount"})

    def methods(self) -> list[tuple[str, object]]:
        """The payment methods offered: ``[(code, lazy label)]``; codes are unique shop-wide."""
        raise NotImplementedError

    def payment_create(
        self,
        *,
        payment: "Payment",
        payload: "Payload",
        description: str,
        language: str,
        return_url: str,
    ) -> ProviderPayment:
        """Create the payment at the provider (``payment`` is not saved yet)."""
        raise NotImplementedError

    def payment_refund(self, *, payment: "Payment", amount: Decimal, description: str) -> bool:
        """Ask for a refund. True when it is final at once (no webhook will follow)."""
        raise NotImplementedError

    def webhook_provider_id(self, *, body: bytes, headers, form) -> str:
        """The provider's payment id from an incoming webhook.

        Raises ``SignatureInvalid`` for a signed webhook that does not verify and ``ValueError``
        for a malformed one; nothing has been looked up or changed at that point.
        """
        raise NotImplementedError

    def payment_state(self, *, payment: "Payment", body: bytes) -> PaymentState:
        """The verified state of ``payment`` (from the signed body, or fetched from the API)."""
        raise NotImplementedError


class BaseMessageAdapter(BaseAdapter):
    """Delivery, supplier and review partners: messages from the outbox."""

    def message_deliver(self, *, message: "PartnerMessage", payload: dict) -> None:
        """Send one message; raise ``DeliveryFailed`` when it did not arrive."""
        raise NotImplementedError


class BaseDeliveryAdapter(BaseMessageAdapter):
    recipient_types = frozenset({RecipientType.DELIVERY})


class BaseSupplierAdapter(BaseMessageAdapter):
    recipient_types = frozenset({RecipientType.SUPPLIER})


class BaseReviewAdapter(BaseMessageAdapter):
    recipient_types = frozenset({RecipientType.REVIEW_COLLECTOR})


class BaseAuthorityAdapter(BaseAdapter):
    """Authorities receive data one case at a time, handed over by the privacy officer."""

    recipient_types = frozenset({RecipientType.AUTHORITY})


BASE_FOR_TYPE = {
    RecipientType.PAYMENT: BasePaymentAdapter,
    RecipientType.DELIVERY: BaseDeliveryAdapter,
    RecipientType.SUPPLIER: BaseSupplierAdapter,
    RecipientType.REVIEW_COLLECTOR: BaseReviewAdapter,
    RecipientType.AUTHORITY: BaseAuthorityAdapter,
}
PARTNER_TYPES = frozenset(BASE_FOR_TYPE)
