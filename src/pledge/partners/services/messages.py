"""Messages to delivery, supplier and review partners: stored sealed, delivered after commit.

Each message is built by the payload builder, stored encrypted with the subject's profile key,
written together with its disclosure rows and audit events in one transaction, and handed to
the task queue only when that commits (nothing is sent for an order that rolled back).
"""

import hashlib
import json
import logging
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from pledge.policy.schema import RecipientType
from pledge.policy.selectors import current_policy

from .. import delivery, hooks, loader, signing
from ..models import MessageKind, MessageStatus, PartnerMessage
from ..payload import Payload, PayloadRefused, payload_build
from .disclosures import disclosure_record

logger = logging.getLogger(__name__)

FULFILMENT = "order_fulfilment"
PRINTING = "print_files"


def shipment_request(
    *, recipient_id: str, order_reference: str, subject_id: uuid.UUID, fields: dict
) -> None:
    """Ask a delivery partner to ship an order (fields: first_name, last_name, address, phone).

    Asking twice for the same order and partner sends one message.
    """
    _recipient_check(recipient_id, RecipientType.DELIVERY)
    payload = payload_build(
        recipient_id=recipient_id, purpose_id=FULFILMENT, reference=order_reference, fields=fields
    )
    message_queue(
        kind=MessageKind.SHIPMENT_REQUEST,
        recipient_id=recipient_id,
        subject_id=subject_id,
        payloads=[payload],
        idempotency_key=f"shipment_request:{recipient_id}:{payload.reference}",
    )


def supplier_order(
    *, recipient_id: str, order_reference: str, subject_id: uuid.UUID, fields: dict
) -> None:
    """Drop-ship order lines through a supplier (first_name, last_name, address, lines, and
    ``print_file`` for photo products).

    The print file serves the purpose "print_files", the rest "order_fulfilment": one message,
    one disclosure row per purpose, each checked against that purpose's categories.
    """
    _recipient_check(recipient_id, RecipientType.SUPPLIER)
    fulfilment_fields = {name: value for name, value in fields.items() if name != "print_file"}
    payloads = [
        payload_build(
            recipient_id=recipient_id,
            purpose_id=FULFILMENT,
            reference=order_reference,
            fields=fulfilment_fields,
        )
    ]
    if fields.get("print_file"):
        payloads.append(
            payload_build(
                recipient_id=recipient_id,
                purpose_id=PRINTING,
                reference=order_reference,
                fields={"print_file": fields["print_file"]},
            )
        )
    message_queue(
        kind=MessageKind.SUPPLIER_ORDER,
        recipient_id=recipient_id,
        subject_id=subject_id,
        payloads=payloads,
        idempotency_key=f"supplier_order:{recipient_id}:{payloads[0].reference}",
    )


def message_queue(
    *,
    kind: str,
    recipient_id: str,
    subject_id: uuid.UUID,
    payloads: list[Payload],
    idempotency_key: str,
    status: str = MessageStatus.PENDING,
    staff_id=None,
    disclosure_extra: dict | None = None,
) -> PartnerMessage:
    """Store one message (one or more checked payloads) with its disclosures; send on commit.

    The same ``idempotency_key`` again returns the first message and records nothing more.
    """
    if not payloads or any(p.recipient_id != recipient_id for p in payloads):
        raise PayloadRefused("a message carries checked payloads for its own recipient")
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()
    existing = PartnerMessage.objects.filter(idempotency_digest=digest).first()
    if existing is not None:
        return existing
    adapter = loader.adapter_for(recipient_id)
    now = timezone.now()
    message = PartnerMessage(
        subject_id=subject_id,
        recipient=recipient_id,
        kind=kind,
        reference=payloads[0].reference,
        idempotency_digest=digest,
        channel=adapter.channel,
        payload={
            "kind": str(kind),
            "reference": payloads[0].reference,
            "purposes": [p.purpose_id for p in payloads],
            "fields": {name: value for p in payloads for name, value in p.fields.items()},
        },
        status=status,
        next_attempt_at=now,
        created_at=now,
        delivered_at=now if status == MessageStatus.DELIVERED else None,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            for payload in payloads:
                disclosure_record(
                    recipient_id=recipient_id,
                    purpose_id=payload.purpose_id,
                    categories=payload.categories,
                    subject_id=subject_id,
                    channel=adapter.channel,
                    order_reference=payload.reference,
                    message=message,
                    staff_id=staff_id,
                    **(disclosure_extra or {}),
                )
    except IntegrityError:
        existing = PartnerMessage.objects.filter(idempotency_digest=digest).first()
        if existing is None:
            raise
        return existing
    if status == MessageStatus.PENDING:
        transaction.on_commit(lambda: delivery.enqueue(message.id), robust=True)
    return message


def _recipient_check(recipient_id: str, recipient_type: RecipientType) -> None:
    recipient = current_policy().recipient(recipient_id)  # UnknownPolicyId if not declared
    if recipient.type != recipient_type:
        raise PayloadRefused(f"{recipient_id!r} is not a {recipient_type.value} recipient")


def outbox_deliver(*, message_id: uuid.UUID) -> MessageStatus | None:
    """Deliver one message if due and unclaimed; its status afterwards (None: nothing to do)."""
    return delivery.deliver_one(message_id=message_id)


def outbox_deliver_due(*, limit: int | None = None) -> dict[str, int]:
    """Deliver every due message (new, retries, expired leases); counts by resulting status."""
    return delivery.deliver_due(limit=limit)


def outbox_purge() -> int:
    """Empty the payload of messages finished longer ago than the policy's outbox retention.

    The row (who, when, status) and its disclosure rows stay: they are the record.
    """
    retention = timedelta(days=current_policy().storage.outbox_retention.days)
    cutoff = timezone.now() - retention
    finished = PartnerMessage.objects.filter(purged_at__isnull=True).filter(
        status__in=[MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.CANCELLED],
        created_at__lt=cutoff,
    )
    with transaction.atomic():
        return finished.update(payload=None, purged_at=timezone.now())


# -- track and trace: a delivery partner's signed webhook --
SHIPMENT_APPLIED = "applied"
SHIPMENT_REFUSED = "refused"


def shipment_status_receive(*, recipient_id: str, body: bytes, headers) -> str:
    """A delivery partner reports ``{"reference", "status", "tracking_code"}``, signed with its
    inbound secret (HMAC-SHA256, ``X-Pledge-Signature``). Returns applied or refused."""
    recipient = current_policy().recipient(recipient_id) if _declared(recipient_id) else None
    if recipient is None or recipient.type != RecipientType.DELIVERY:
        raise loader.PartnerNotConfigured(f"{recipient_id!r} is not a delivery partner")
    adapter = loader.adapter_for(recipient_id)
    try:
        signing.signature_verify(
            secret=adapter.inbound_secret(),
            body=body,
            header=headers.get(signing.SIGNATURE_HEADER, ""),
        )
        event = json.loads(body)
        reference = str(event["reference"])
        status = str(event["status"])
        tracking_code = str(event.get("tracking_code") or "")
    except signing.SignatureInvalid as error:
        logger.warning("partners: %s shipment webhook refused: %s", recipient_id, error)
        return SHIPMENT_REFUSED
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        logger.warning("partners: %s shipment webhook malformed", recipient_id)
        return SHIPMENT_REFUSED
    if status not in hooks.SHIPMENT_STATUSES or len(tracking_code) > 100:
        logger.warning("partners: %s shipment webhook with an unknown status", recipient_id)
        return SHIPMENT_REFUSED
    # Only orders we actually sent to this carrier: a carrier cannot touch other orders.
    sent = PartnerMessage.objects.filter(
        recipient=recipient_id, kind=MessageKind.SHIPMENT_REQUEST, reference=reference
    ).exists()
    if not sent:
        logger.info("partners: %s shipment webhook for an order not sent to it", recipient_id)
        return SHIPMENT_APPLIED  # answered like any other: no hint which orders exist
    with transaction.atomic():
        hooks.shipment_status_emit(
            order_reference=reference, status=status, tracking_code=tracking_code
        )
    return SHIPMENT_APPLIED


def _declared(recipient_id: str) -> bool:
    return any(r.id == recipient_id for r in current_policy().recipients)
