"""The audit log: an append-only, hash-chained table of events, and signed checkpoints of it.

Rows are never updated or deleted (on PostgreSQL a trigger refuses it, see migration 0002;
everywhere ``pledge audit verify`` detects it). They hold no names or e-mail addresses: the actor
is a staff id or a subject pseudonym, and ``details`` is vetted by ``pledge.audit.guards``.
"""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from pledge.policy.registry import personal_data


class AuditAction(models.TextChoices):
    """The fixed vocabulary of what can happen. A new action is a code change and a migration."""

    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOGOUT = "logout", _("signed out")
    LOCKOUT = "lockout", _("locked out after failed sign-ins")
    PASSWORD_CHANGE = "password_change", _("password changed")
    ACCOUNT_CHANGE = "account_change", _("account changed")
    ROLE_CHANGE = "role_change", _("staff role changed")
    EXPORT = "export", _("personal data exported (Art. 15/20)")
    ERASURE = "erasure", _("personal data erased (Art. 17)")
    CONSENT_CHANGE = "consent_change", _("consent given or withdrawn")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("staff viewed personal data")
    DISCLOSURE = "disclosure", _("personal data disclosed to a recipient")
    POLICY_CHANGE = "policy_change", _("privacy policy changed")
    RETENTION_SWEEP = "retention_sweep", _("retention sweep ran")
    ORDER_CHANGE = "order_change", _("order placed or its status changed")


@personal_data(
    personal={
        # The staff member who acted: their account id, which is account activity of an employee.
        "staff_id": "user.account.activity",
        # A subject is only ever named by a pseudonym derived with their own key.
        "subject_pseudonym": "user.unique_id",
        # The object may be a subject's record (an order, an account): its id is a pseudonymous
        # identifier of that person, so it is classified as one.
        "object_id": "user.unique_id",
    },
    non_personal=[
        "id",
        "sequence",
        "at",
        "action",
        "object_type",
        "purpose",
        "details_json",
        "prev_hash",
        "hash",
    ],
)
class AuditEvent(models.Model):
    """One event; ``hash = SHA-256(prev_hash || canonical row bytes)`` (see ``audit.chain``)."""

    # Position in the chain, 1, 2, 3...; given under the chain lock, never by the database, so
    # the hash can cover it. Unique: should the lock ever be bypassed, a second row with the same
    # number fails to insert instead of forking the chain.
    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    staff_id = models.CharField(max_length=64, blank=True)
    subject_pseudonym = models.CharField(max_length=128, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=128, blank=True)
    purpose = models.CharField(max_length=64, blank=True)
    # Canonical JSON text, exactly as hashed: a JSON column could re-serialise it (PostgreSQL's
    # jsonb reorders keys), and the chain would then no longer verify.
    details_json = models.TextField(default="{}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["subject_pseudonym"], name="audit_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def details(self) -> dict:
        return json.loads(self.details_json)


@personal_data(
    personal={},
    non_personal=["id", "sequence", "hash", "at", "key_id", "signature"],
)
class AuditCheckpoint(models.Model):
    """An Ed25519 signature over the chain head (sequence + hash) at some moment.

    The signing key lives outside the database, so whoever can rewrite the table cannot rewrite
    the chain consistently up to a checkpoint without the signature failing.
    """

    sequence = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    key_id = models.CharField(max_length=32)
    signature = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint at #{self.sequence}"
