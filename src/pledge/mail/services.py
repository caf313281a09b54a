"""Writes of the mail app: queue a message, deliver due messages, purge delivered contents.

Other apps send mail only through ``mail_queue``, inside their own ``transaction.atomic``: the
message is stored with their change and handed to a worker only when it commits, so a
registration that rolls back sends no mail.
"""

import hashlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pledge.policy.selectors import current_policy

from . import delivery
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


class MailRejected(ValueError):
    """A message that cannot be queued (bad address, unknown language, unusable template).

    The text names the problem, never the value (it may be an e-mail address).
    """


def mail_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    subject_id: uuid.UUID,
    idempotency_key: str,
) -> uuid.UUID:
    """Render ``template`` in ``language``, store it encrypted in the outbox, send on commit.

    ``template`` names three templates of the calling app: ``<template>_subject.txt``,
    ``<template>.txt`` and ``<template>.html``. ``idempotency_key`` is made of ids (e.g.
    ``"accounts.verify_email:<user id>:<token id>"``): the same key again returns the message
    queued first and sends nothing more. Returns the message id.
    """
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        raise MailRejected("the recipient is not a valid e-mail address") from None
    if language not in dict(settings.LANGUAGES):
        raise MailRejected(f"language {language!r} is not one of the shop's languages")
    if not idempotency_key:
        raise MailRejected("an idempotency key is required")
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()

    existing = _queued_with(digest)
    if existing is not None:
        return existing
    subject_line, body_text, body_html = _render(template, context, language)
    now = timezone.now()
    message = OutboxMessage(
        subject_id=subject_id,
        idempotency_digest=digest,
        template=template,
        language=language,
        recipient=to,
        subject_line=subject_line,
        body_text=body_text,
        body_html=body_html,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        # Queued concurrently under the same key: the other one wins, we send nothing more.
        existing = _queued_with(digest)
        if existing is None:
            raise
        return existing
    # Ids only into the queue; a queue that is down loses nothing (`pledge mail deliver`).
    transaction.on_commit(lambda: delivery.enqueue(message.id), robust=True)
    return message.id


def outbox_deliver(*, message_id: uuid.UUID) -> OutboxStatus | None:
    """Deliver one message if it is due and nobody holds it; returns its status afterwards.

    ``None`` means there was nothing to do (sent already, claimed by a live worker, not yet due).
    """
    return delivery.deliver_one(message_id=message_id)


def outbox_deliver_due(*, limit: int | None = None) -> dict[str, int]:
    """Deliver every due message (new, retries, expired leases); counts by resulting status."""
    return delivery.deliver_due(limit=limit)


def outbox_purge() -> int:
    """Empty the contents of messages delivered longer ago than the policy's outbox retention.

    The row stays, with its status and dates and without personal data, as the record that a
    mail went out. Cancelled and failed messages are emptied after the same period since they
    were queued. Returns the number of messages emptied.
    """
    cutoff = timezone.now() - _retention()
    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT, sent_at__lt=cutoff)
    given_up = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.FAILED, OutboxStatus.CANCELLED], created_at__lt=cutoff
    )
    purged = 0
    for queryset in (sent, given_up):
        with transaction.atomic():
            # Setting encrypted fields to NULL needs no key: no instance is loaded or decrypted.
            purged += queryset.filter(purged_at__isnull=True).update(
                recipient=None,
                subject_line=None,
                body_text=None,
                body_html=None,
                purged_at=timezone.now(),
            )
    if purged:
        logger.info("mail outbox: emptied %d delivered messages", purged)
    return purged


def _retention() -> timedelta:
    return timedelta(days=current_policy().storage.outbox_retention.days)


def _queued_with(digest: str) -> uuid.UUID | None:
    return (
        OutboxMessage.objects.filter(idempotency_digest=digest).values_list("id", flat=True).first()
    )


def _render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    # One line: a newline in a subject would start a new header.
    subject = " ".join(subject.split())
    if not subject:
        raise MailRejected(f"template {template!r} renders an empty subject")
    return subject, body_text, body_html
