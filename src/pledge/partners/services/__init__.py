"""Writes of the partners app; the shop calls only these (and the selectors).

Split by domain: payments, messages to delivery/supplier/review partners, reviews,
disclosures (the log) and authorities. See partners/README.md and the shop/partners contract.
"""

from ..loader import PartnerNotConfigured
from ..payload import PayloadRefused
from .disclosures import disclosure_record
from .payments import (
    PaymentMethod,
    PaymentRedirect,
    payment_methods,
    payment_refund,
    payment_start,
    payment_webhook_receive,
)

__all__ = [
    "PartnerNotConfigured",
    "PayloadRefused",
    "PaymentMethod",
    "PaymentRedirect",
    "disclosure_record",
    "payment_methods",
    "payment_refund",
    "payment_start",
    "payment_webhook_receive",
]
