"""Delivering outbox messages to partners: at most one success, whoever runs and whoever dies.

The claim is the one both outboxes share (pledge.leases): a worker *claims* a due message in a
short transaction (PENDING -> SENDING, a lease and a fresh token; on PostgreSQL the candidate
is locked with SKIP LOCKED), sends it outside any transaction, and records the outcome only
while it still holds the lease. A killed worker's lease runs out and the message is claimed
again. The one window no database can close (the partner accepted, we died before writing
DELIVERED) repeats the request with the same ``Idempotency-Key`` (the message id), so the
partner can recognise it.
"""

import logging
import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from pledge.leases import LeasedOutbox
from pledge.vault.erased import is_erased
from pledge.vault.keys import key_scope

from . import conf
from .adapters.base import DeliveryFailed
from .loader import PartnerNotConfigured, adapter_for
from .models import MessageKind, MessageStatus, PartnerMessage
from .selectors import review_objected

logger = logging.getLogger(__name__)
_OUTBOX = LeasedOutbox(PartnerMessage, MessageStatus.PENDING, MessageStatus.SENDING, conf.lease)


def enqueue(message_id: uuid.UUID, *, run_after: datetime | None = None) -> None:
    """Hand a message to the task queue by id; a lost task is picked up by ``deliver_due``."""
    from .tasks import partner_message_send

    task = (
        partner_message_send
        if run_after is None
        else partner_message_send.using(run_after=run_after)
    )
    try:
        task.enqueue(str(message_id))
    except Exception as error:  # the row is stored; `pledge partners deliver` sends it
        logger.warning(
            "partners outbox: could not enqueue message %s (%s)", message_id, type(error).__name__
        )


def deliver_one(*, message_id: uuid.UUID) -> MessageStatus | None:
    claim = _OUTBOX.claim(message_id=message_id)
    return None if claim is None else _send(*claim)


def deliver_due(*, limit: int | None = None) -> dict[str, int]:
    return _OUTBOX.drain(_send, limit=limit)


def _send(message: PartnerMessage, token: uuid.UUID) -> MessageStatus:
    with key_scope():
        payload = message.payload
    if payload is None or is_erased(payload):
        # Erased before we got to it (Art. 17): there is nobody's data left to send.
        _finish(message, token, status=MessageStatus.CANCELLED, payload=None)
        return MessageStatus.CANCELLED
    if message.kind == MessageKind.REVIEW_INVITE and review_objected(subject_id=message.subject_id):
        # The person objected while the invitation waited (a retry): from the objection on,
        # nothing more goes to the review collector (Art. 21(3)).
        _finish(message, token, status=MessageStatus.CANCELLED, payload=None)
        return MessageStatus.CANCELLED
    try:
        adapter = adapter_for(message.recipient)
        adapter.message_deliver(message=message, payload=payload)
    except PartnerNotConfigured:
        return _failed(message, token, DeliveryFailed("PartnerNotConfigured"))
    except DeliveryFailed as error:
        return _failed(message, token, error)
    _finish(message, token, status=MessageStatus.DELIVERED, delivered_at=timezone.now())
    return MessageStatus.DELIVERED


def _failed(message: PartnerMessage, token: uuid.UUID, error: DeliveryFailed) -> MessageStatus:
    if error.permanent or message.attempts >= conf.max_attempts():
        _finish(message, token, status=MessageStatus.FAILED, last_error=error.reason)
        logger.error(
            "partners outbox: message %s to %s failed for good after %d attempts (%s)",
            message.id,
            message.recipient,
            message.attempts,
            error.reason,
        )
        return MessageStatus.FAILED
    next_attempt_at = timezone.now() + conf.retry_delay(message.attempts)
    _finish(
        message,
        token,
        status=MessageStatus.PENDING,
        last_error=error.reason,
        next_attempt_at=next_attempt_at,
    )
    logger.warning(
        "partners outbox: message %s to %s not delivered (%s), attempt %d; next at %s",
        message.id,
        message.recipient,
        error.reason,
        message.attempts,
        next_attempt_at.isoformat(),
    )
    enqueue(message.id, run_after=next_attempt_at)
    return MessageStatus.PENDING


def _finish(message: PartnerMessage, token: uuid.UUID, *, status: MessageStatus, **changes):
    """Record the outcome, if we still hold the lease."""
    if "payload" in changes:
        changes["purged_at"] = timezone.now()
    with transaction.atomic():
        recorded = PartnerMessage.objects.filter(pk=message.pk, lease_token=token).update(
            status=status, lease_until=None, lease_token=None, **changes
        )
    if not recorded:
        logger.warning("partners outbox: lost the lease on message %s", message.id)
