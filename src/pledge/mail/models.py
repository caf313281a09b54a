"""The mail outbox: every e-mail Pledge sends, encrypted with its recipient's vault key.

A message is written in the same transaction as the change it reports (a registration, an
order), and delivered afterwards by a task or ``pledge mail deliver``. Its life:

    PENDING --claim--> SENDING --SMTP accepted--> SENT --outbox retention--> (contents purged)
       ^                  |
       +---SMTP failed----+ (attempts + 1, next_attempt_at later; FAILED after the last attempt)
    PENDING/SENDING --subject shredded--> CANCELLED

A worker claims a message with a lease (``lease_until``); a worker that dies mid-send leaves a
lease that runs out, after which another worker may claim the message again. The row keeps no
plaintext: recipient, subject line and bodies are sealed with the subject's profile key, so a
shredded subject's mail is noise, and ``outbox_purge`` empties them after the retention period.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from pledge.leases import LeaseColumns
from pledge.policy.registry import personal_data
from pledge.vault.fields import EncryptedTextField


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "recipient": "user.contact.email",
        # What we wrote to the person: correspondence between them and the shop.
        "subject_line": "user.content.private",
        "body_text": "user.content.private",
        "body_html": "user.content.private",
    },
    non_personal=[
        "id",
        # A SHA-256 digest of the caller's key, which is made of ids (never an address).
        "idempotency_digest",
        "template",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "lease_token",
        # An exception class name and SMTP code, never the server's text (it may echo the address).
        "last_error",
        "created_at",
        "sent_at",
        "purged_at",
    ],
)
class OutboxMessage(LeaseColumns):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    idempotency_digest = models.CharField(max_length=64, unique=True)
    template = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    # Null once purged (or cancelled): the row stays as a record that a mail went out.
    recipient = EncryptedTextField(subject_field="subject_id", key="profile", null=True)
    subject_line = EncryptedTextField(subject_field="subject_id", key="profile", null=True)
    body_text = EncryptedTextField(subject_field="subject_id", key="profile", null=True)
    body_html = EncryptedTextField(subject_field="subject_id", key="profile", null=True)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_outbox_due"),
            models.Index(fields=["status", "sent_at"], name="mail_outbox_sent"),
        ]

    def __str__(self) -> str:  # never the recipient
        return f"outbox message {self.id} ({self.status})"
