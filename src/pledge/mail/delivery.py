"""Delivering outbox messages exactly once, however many workers run and whichever of them dies.

A worker first *claims* a message: in one short transaction it moves it from PENDING (due) to
SENDING with a lease and a fresh lease token. On PostgreSQL the candidate row is locked with
``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers take different messages instead of
queueing behind one; on SQLite the write lock taken at BEGIN serialises claims. The claim itself
is a conditional UPDATE, so even without row locks only one worker can win it.

The SMTP transaction runs outside any database transaction. Only the holder of the lease token
may then record the outcome: SENT, or PENDING again with an attempt more and a later
``next_attempt_at``. A worker killed mid-send leaves a SENDING row whose lease runs out; any
worker may then claim it again (django.tasks itself would leave that task RUNNING forever).

The one window no database can close is a crash after the SMTP server accepted the message and
before SENT was written: the message is then sent again, with the same ``Message-ID`` header
(derived from the message id), so the receiving side can recognise the duplicate.
"""

import logging
import smtplib
import uuid
from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from pledge.leases import LeasedOutbox
from pledge.vault.erased import is_erased
from pledge.vault.keys import key_scope

from . import conf
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

_CONTENT_FIELDS = ("recipient", "subject_line", "body_text", "body_html")
_OUTBOX = LeasedOutbox(OutboxMessage, OutboxStatus.PENDING, OutboxStatus.SENDING, conf.lease)


def enqueue(message_id: uuid.UUID, *, run_after: datetime | None = None) -> None:
    """Hand a message to the task queue; by id only, never personal data in task arguments."""
    from .tasks import outbox_message_send  # tasks imports services, which imports us

    task = (
        outbox_message_send if run_after is None else outbox_message_send.using(run_after=run_after)
    )
    try:
        task.enqueue(str(message_id))
    except Exception as error:
        # The row is safely stored; `pledge mail deliver` picks it up. No traceback: a queue
        # client's error may carry its connection URL.
        logger.warning(
            "mail outbox: could not enqueue message %s (%s); `pledge mail deliver` will send it",
            message_id,
            type(error).__name__,
        )


def deliver_one(*, message_id: uuid.UUID) -> OutboxStatus | None:
    claim = _OUTBOX.claim(message_id=message_id)
    if claim is None:
        return None
    return _send(*claim)


def deliver_due(*, limit: int | None = None) -> dict[str, int]:
    return _OUTBOX.drain(_send, limit=limit)


def message_id_header(message_id: uuid.UUID) -> str:
    """The same Message-ID on every attempt, so a repeated SMTP delivery can be recognised."""
    return f"<{message_id}@{conf.message_id_domain()}>"


def _send(message: OutboxMessage, token: uuid.UUID) -> OutboxStatus:
    with key_scope():
        contents = {name: getattr(message, name) for name in _CONTENT_FIELDS}
    if any(value is None or is_erased(value) for value in contents.values()):
        # The subject was erased before we got to it (or the contents are gone): nobody to
        # write to any more, and nothing to retry.
        _finish(message, token, status=OutboxStatus.CANCELLED, clear_contents=True)
        return OutboxStatus.CANCELLED
    email = EmailMultiAlternatives(
        subject=contents["subject_line"],
        body=contents["body_text"],
        from_email=conf.from_address(),
        to=[contents["recipient"]],
        headers={
            "Message-ID": message_id_header(message.id),
            "Content-Language": message.language,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies, please
        },
    )
    email.attach_alternative(contents["body_html"], "text/html")
    try:
        email.send()  # the default mailer (settings.MAILERS)
    except (smtplib.SMTPException, OSError) as error:
        return _failed(message, token, error)
    _finish(message, token, status=OutboxStatus.SENT, sent_at=timezone.now())
    return OutboxStatus.SENT


def _failed(message: OutboxMessage, token: uuid.UUID, error: Exception) -> OutboxStatus:
    # Only the class and the SMTP code: the server's text may echo the address.
    code = getattr(error, "smtp_code", None)
    reason = type(error).__name__ + (f" {code}" if code else "")
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused) or (
        isinstance(code, int) and 500 <= code < 600
    )
    if permanent or message.attempts >= conf.max_attempts():
        _finish(message, token, status=OutboxStatus.FAILED, last_error=reason)
        logger.error(
            "mail outbox: message %s failed for good after %d attempts (%s)",
            message.id,
            message.attempts,
            reason,
        )
        return OutboxStatus.FAILED
    next_attempt_at = timezone.now() + conf.retry_delay(message.attempts)
    _finish(
        message,
        token,
        status=OutboxStatus.PENDING,
        last_error=reason,
        next_attempt_at=next_attempt_at,
    )
    logger.warning(
        "mail outbox: message %s not sent (%s), attempt %d; next attempt at %s",
        message.id,
        reason,
        message.attempts,
        next_attempt_at.isoformat(),
    )
    enqueue(message.id, run_after=next_attempt_at)
    return OutboxStatus.PENDING


def _finish(
    message: OutboxMessage,
    token: uuid.UUID,
    *,
    status: OutboxStatus,
    clear_contents: bool = False,
    **changes,
) -> None:
    """Record the outcome, if we still hold the lease."""
    if clear_contents:
        changes.update(dict.fromkeys(_CONTENT_FIELDS), purged_at=timezone.now())
    with transaction.atomic():
        recorded = OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
            status=status, lease_until=None, lease_token=None, **changes
        )
    if not recorded:
        # Our lease ran out and another worker took the message over; it records the outcome.
        logger.warning("mail outbox: lost the lease on message %s before recording it", message.id)
