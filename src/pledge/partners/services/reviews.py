"""Review invitations: once per order, only the fields the policy allows, never after an
objection. The policy's legal basis is legitimate interest, so the person may object at any
time (Art. 21(1)) and from then on nothing goes to the review collector."""

import uuid

from django.db import transaction

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for
from pledge.policy.schema import RecipientType

from .. import loader
from ..models import MessageKind, ReviewObjection
from ..payload import payload_build
from ..selectors import review_objected
from .messages import message_queue

REVIEWS = "reviews"


def review_invite(*, order_reference: str, subject_id: uuid.UUID, fields: dict) -> bool:
    """Queue the invitation (fields: first_name, email, lines). False, and nothing sent or
    recorded, when the person objected or no review collector is configured."""
    adapters = loader.adapters_of_type(RecipientType.REVIEW_COLLECTOR)
    if not adapters or review_objected(subject_id=subject_id):
        return False
    adapter = adapters[0]
    payload = payload_build(
        recipient_id=adapter.recipient_id,
        purpose_id=REVIEWS,
        reference=order_reference,
        fields=fields,
    )
    message_queue(
        kind=MessageKind.REVIEW_INVITE,
        recipient_id=adapter.recipient_id,
        subject_id=subject_id,
        payloads=[payload],
        # Once per order, whichever collector: the policy promises a single invitation.
        idempotency_key=f"review_invite:{payload.reference}",
    )
    return True


def review_objection_set(*, subject_id: uuid.UUID, objected: bool) -> None:
    """Record the person's choice ("My account"); audited as their own consent change."""
    with transaction.atomic():
        ReviewObjection.objects.update_or_create(
            subject_id=subject_id, defaults={"objected": objected}
        )
        audit_record(
            action=AuditAction.CONSENT_CHANGE,
            subject_pseudonym=subject_pseudonym_for(subject_id=subject_id),
            purpose=REVIEWS,
            details={"review_objection": objected},
        )
