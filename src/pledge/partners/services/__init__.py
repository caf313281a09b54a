"""Writes of the partners app; the shop calls only these (and the selectors).

Split by domain: payments, messages to delivery/supplier/review partners, reviews,
disclosures (the log) and authorities. See partners/README.md and the shop/partners contract.
"""

from ..loader import PartnerNotConfigured
from ..payload import PayloadRefused
from .authorities import AuthorityDisclosureRefused, AuthorityPackage, authority_disclosure_make
from .disclosures import disclosure_record
from .messages import (
    outbox_deliver,
    outbox_deliver_due,
    outbox_purge,
    shipment_request,
    shipment_status_receive,
    supplier_order,
)
from .payments import (
    PaymentMethod,
    PaymentRedirect,
    payment_methods,
    payment_refund,
    payment_start,
    payment_webhook_receive,
)
from .reviews import review_invite, review_objection_set

__all__ = [
    "AuthorityDisclosureRefused",
    "AuthorityPackage",
    "PartnerNotConfigured",
    "PayloadRefused",
    "PaymentMethod",
    "PaymentRedirect",
    "authority_disclosure_make",
    "disclosure_record",
    "outbox_deliver",
    "outbox_deliver_due",
    "outbox_purge",
    "payment_methods",
    "payment_refund",
    "payment_start",
    "payment_webhook_receive",
    "review_invite",
    "review_objection_set",
    "shipment_request",
    "shipment_status_receive",
    "supplier_order",
]
