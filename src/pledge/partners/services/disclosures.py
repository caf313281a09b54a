"""The disclosure log: one row per purpose each time personal data leaves for a recipient.

Art. 30(1)(d) asks for the categories of recipients, Art. 15(1)(c) lets the person ask to whom
their data went; we keep it per message, with categories and never values, and mirror it in
the audit log (action "disclosure") so it is tamper-evident.
"""

import uuid

from django.db import transaction

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for
from pledge.policy.selectors import current_policy

from ..models import Disclosure, PartnerMessage, Payment


def disclosure_record(
    *,
    recipient_id: str,
    purpose_id: str,
    categories: list[str] | tuple[str, ...],
    subject_id: uuid.UUID,
    channel: str,
    order_reference: str = "",
    message: PartnerMessage | None = None,
    payment: Payment | None = None,
    legal_ground: str = "",
    case_reference: str = "",
    withheld_from_subject: bool = False,
    staff_id=None,
) -> Disclosure:
    """Record one disclosure about one subject, with its audit row. Call inside the caller's
    ``transaction.atomic``, after the message itself is stored."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("disclosure_record belongs in the transaction of the message it logs")
    policy = current_policy()
    purpose = policy.purpose(purpose_id)
    recipient = policy.recipient(recipient_id)
    if purpose_id not in recipient.purposes:
        raise ValueError(f"recipient {recipient_id!r} is not declared for {purpose_id!r}")
    undeclared = set(categories) - set(recipient.data_categories)
    if undeclared:
        raise ValueError(f"categories {sorted(undeclared)} are not declared for {recipient_id!r}")
    disclosure = Disclosure.objects.create(
        subject_id=subject_id,
        recipient=recipient_id,
        purpose=purpose_id,
        legal_basis=purpose.legal_basis.value,
        categories=list(categories),
        order_reference=order_reference,
        channel=channel,
        message=message,
        payment=payment,
        legal_ground=legal_ground,
        case_reference=case_reference,
        withheld_from_subject=withheld_from_subject,
        staff_id=str(staff_id) if staff_id is not None else "",
    )
    details = {
        "recipient": recipient_id,
        "categories": list(categories),
        "channel": channel,
        "disclosure": str(disclosure.id),
    }
    if order_reference:
        details["order"] = order_reference
    audit_record(
        action=AuditAction.DISCLOSURE,
        staff_id=staff_id,
        purpose=purpose_id,
        object_type="subject",
        object_id=subject_pseudonym_for(subject_id=subject_id),
        details=details,
    )
    return disclosure
