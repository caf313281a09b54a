"""Delivering outbox messages to partners: at most one success, whoever runs and whoever dies.

The pattern of the mail outbox (pledge.mail.delivery): a worker *claims* a due message in a
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

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from pledge.vault.erased import is_erased
from pledge.vault.keys import key_scope

from . import conf
from .adapters.base import DeliveryFailed
from .loader import PartnerNotConfigured, adapter_for
from .models import MessageStatus, PartnerMessage

logger = logging.getLogger(__name__)


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
    claim = _claim(message_id=message_id)
    return None if claim is None else _send(*claim)


def deliver_due(*, limit: int | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    while limit is None or sum(counts.values()) < limit:
        claim = _claim()
        if claim is None:
            break
        status = _send(*claim)
        counts[status] = counts.get(status, 0) + 1
    return counts


def _claimable(now: datetime) -> Q:
    due = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=MessageStatus.SENDING, lease_until__lt=now)
    return due | abandoned


def _claim(*, message_id: uuid.UUID | None = None):
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        candidates = PartnerMessage.objects.filter(_claimable(now))
        if message_id is not None:
            candidates = candidates.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        pk = candidates.order_by("next_attempt_at").values_list("pk", flat=True).first()
        if pk is None:
            return None
        won = PartnerMessage.objects.filter(_claimable(now), pk=pk).update(
            status=MessageStatus.SENDING,
            lease_until=now + conf.lease(),
            lease_token=token,
            attempts=F("attempts") + 1,
        )
    if won != 1:
        return None
    return PartnerMessage.objects.get(pk=pk), token


def _send(message: PartnerMessage, token: uuid.UUID) -> MessageStatus:
    with key_scope():
        payload = message.payload
    if payload is None or is_erased(payload):
        # Erased before we got to it (Art. 17): there is nobody's data left to send.
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
