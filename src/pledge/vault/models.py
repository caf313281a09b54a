"""The vault's own tables: subjects and their wrapped keys. They live in the ``vault`` database.

Nothing here is readable personal data: a subject is a random id, a key is random bytes wrapped
with the master key. The personal data is in the main database, encrypted with these keys.
"""

import uuid

from django.db import models

from pledge.policy.registry import personal_data


class KeyKind(models.TextChoices):
    # Two keys, so an erasure can destroy the profile and keep what the law makes us keep.
    PROFILE = "profile", "profile"  # account, contact and marketing data
    RETENTION = "retention", "retention"  # invoice name and address (art. 52 AWR, 7 years)


@personal_data(
    # A pseudonym (Recital 26 GDPR): it identifies nobody by itself, but links a person's rows.
    personal={"id": "user.unique_id"},
)
class Subject(models.Model):
    """A person whose data Pledge holds: customer, newsletter subscriber, contact-form sender."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    def __str__(self) -> str:
        return str(self.id)


@personal_data(
    personal={"subject": "user.unique_id"},
    non_personal=["id", "kind", "wrapped_key", "master_version", "created_at"],
)
class SubjectKey(models.Model):
    """A subject's data-encryption key, wrapped (AES-256-GCM) with a master key version."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=16, choices=KeyKind.choices)
    wrapped_key = models.BinaryField()
    master_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind"], name="vault_one_key_per_kind"),
        ]
        indexes = [models.Index(fields=["master_version"], name="vault_key_master_version")]

    def __str__(self) -> str:
        return f"{self.subject_id}/{self.kind} (master v{self.master_version})"
