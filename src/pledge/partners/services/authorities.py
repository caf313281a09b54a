"""Disclosures to an authority (police, tax authority): one person, one case, by hand.

Only the privacy officer records them (back office). Each names the statutory ground and the
authority's case number, contains exactly the ticked categories (those the policy allows for
that recipient and purpose), is stored sealed for the hand-over and written to the disclosure
log and the audit log. Every function here takes exactly one subject: there is no way to export
a list of customers to a third party.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from pledge.policy.schema import RecipientType
from pledge.policy.selectors import current_policy

from .. import sources
from ..models import MessageKind, MessageStatus, PartnerMessage
from .disclosures import disclosure_record

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AuthorityDisclosureRefused(ValueError):
    """The disclosure is not allowed as asked; the text names the problem, never a value."""


@dataclass(frozen=True)
class AuthorityPackage:
    message_id: uuid.UUID
    recipient_id: str
    purpose_id: str
    legal_ground: str
    case_reference: str
    categories: tuple[str, ...]
    values: dict
    created_at: datetime


def authority_categories(*, recipient_id: str, purpose_id: str) -> list[str]:
    """What may go to this authority for this purpose, in the policy's order."""
    policy = current_policy()
    recipient = policy.recipient(recipient_id)
    purpose = policy.purpose(purpose_id)
    if recipient.type != RecipientType.AUTHORITY or purpose_id not in recipient.purposes:
        raise AuthorityDisclosureRefused(f"{recipient_id!r} is no authority for {purpose_id!r}")
    return [c for c in recipient.data_categories if c in purpose.data_categories]


def authority_disclosure_make(
    *,
    recipient_id: str,
    purpose_id: str,
    subject_id: uuid.UUID,
    legal_ground: str,
    case_reference: str,
    categories: list[str],
    staff_id,
    withheld_from_subject: bool = False,
) -> AuthorityPackage:
    """Collect the ticked categories of ONE person, store them sealed, log the disclosure."""
    allowed = authority_categories(recipient_id=recipient_id, purpose_id=purpose_id)
    legal_ground = _line(legal_ground, "the legal ground", 200)
    case_reference = _line(case_reference, "the case reference", 64)
    chosen = [c for c in allowed if c in set(categories)]
    if not chosen or len(chosen) != len(set(categories)):
        raise AuthorityDisclosureRefused("tick at least one category this authority may receive")
    missing = set(chosen) - sources.categories_with_source()
    if missing:
        raise AuthorityDisclosureRefused(f"Pledge holds no data source for {sorted(missing)}")
    values = sources.category_values(subject_id=subject_id, categories=chosen)
    now = timezone.now()
    message = PartnerMessage(
        subject_id=subject_id,
        recipient=recipient_id,
        kind=MessageKind.AUTHORITY_DISCLOSURE,
        reference=case_reference,
        idempotency_digest=uuid.uuid4().hex,  # every hand-over is a disclosure of its own
        channel="manual",
        payload={
            "purpose": purpose_id,
            "legal_ground": legal_ground,
            "case_reference": case_reference,
            "categories": chosen,
            "values": values,
            "created_at": now.isoformat(),
        },
        # Handed to the privacy officer now; from here it travels outside Pledge.
        status=MessageStatus.DELIVERED,
        next_attempt_at=now,
        created_at=now,
        delivered_at=now,
    )
    with transaction.atomic():
        message.save(force_insert=True)
        disclosure_record(
            recipient_id=recipient_id,
            purpose_id=purpose_id,
            categories=chosen,
            subject_id=subject_id,
            channel="manual",
            message=message,
            legal_ground=legal_ground,
            case_reference=case_reference,
            withheld_from_subject=withheld_from_subject,
            staff_id=staff_id,
        )
    return AuthorityPackage(
        message_id=message.id,
        recipient_id=recipient_id,
        purpose_id=purpose_id,
        legal_ground=legal_ground,
        case_reference=case_reference,
        categories=tuple(chosen),
        values=values,
        created_at=now,
    )


def _line(value: str, what: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > max_length or _CONTROL.search(value):
        raise AuthorityDisclosureRefused(f"{what} is required (one line, at most {max_length})")
    return value


def authority_package_open(*, message_id: uuid.UUID, staff_id, file_format: str):
    """The package for the staff member who made it (while kept), recorded as a view of
    personal data; None for anyone else or once purged."""
    from pledge.audit.models import AuditAction
    from pledge.audit.services import audit_record, subject_pseudonym_for

    from ..selectors import authority_package

    found = authority_package(message_id=message_id, staff_id=staff_id)
    if found is None:
        return None
    disclosure, payload = found
    with transaction.atomic():
        audit_record(
            action=AuditAction.PERSONAL_DATA_VIEWED,
            staff_id=staff_id,
            purpose=disclosure.purpose,
            object_type="subject",
            object_id=subject_pseudonym_for(subject_id=disclosure.subject_id),
            details={"disclosure": str(disclosure.id), "file_format": file_format},
        )
    return disclosure, payload
