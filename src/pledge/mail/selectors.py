"""Reads of the mail outbox. These return decrypted personal data: for the person's own export
and for tests, never for logs."""

import uuid

from pledge.vault.keys import key_scope

from .models import OutboxMessage


def outbox_messages_for(*, subject_id: uuid.UUID) -> list[dict]:
    """Every outbox message of one subject, oldest first, as plain data.

    Contents read as ``None`` once purged and as ``ERASED`` once the subject is shredded.
    """
    messages = []
    with key_scope():
        for message in OutboxMessage.objects.filter(subject_id=subject_id).order_by(
            "created_at", "id"
        ):
            messages.append(
                {
                    "id": message.id,
                    "template": message.template,
                    "language": message.language,
                    "status": message.status,
                    "recipient": message.recipient,
                    "subject": message.subject_line,
                    "body_text": message.body_text,
                    "body_html": message.body_html,
                    "attempts": message.attempts,
                    "created_at": message.created_at,
                    "next_attempt_at": message.next_attempt_at,
                    "sent_at": message.sent_at,
                    "purged_at": message.purged_at,
                }
            )
    return messages
