"""Proof of consent (Art. 7(1) GDPR): one row per decision, never changed afterwards."""

import uuid

from django.db import models

from pledge.policy.registry import personal_data


class ConsentSource(models.TextChoices):
    BANNER = "banner", "banner"
    SETTINGS = "settings", "settings"
    GPC = "gpc", "Global Privacy Control"
    API = "api", "API"


@personal_data(
    personal={
        "consent_id": "user.device.cookie_id",
        "granted": "user.privacy_preferences",
        "refused": "user.privacy_preferences",
        "user_id": "user.unique_id",
    },
    non_personal=[
        "id",
        "policy_version",
        "banner_sha256",
        "language",
        "source",
        "created_at",
    ],
)
class ConsentRecord(models.Model):
    """A visitor's decision as it was made: what was shown, what was granted and refused.

    Append-only: a new decision is a new row, so the history proves what applied when. No IP
    address and no user agent: the random ``consent_id`` in the visitor's cookie is the link.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consent_id = models.CharField(max_length=64, db_index=True)
    granted = models.JSONField(default=list)  # cookie category ids
    refused = models.JSONField(default=list)
    policy_version = models.CharField(max_length=64)
    # SHA-256 of the banner wording in the visitor's language, as rendered for them.
    banner_sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    source = models.CharField(max_length=16, choices=ConsentSource.choices)
    # The account the consent id was linked to at sign-in; None for an anonymous visitor.
    user_id = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"consent record {self.id} ({self.source})"


@personal_data(
    personal={"consent_id": "user.device.cookie_id", "user_id": "user.unique_id"},
    non_personal=["id", "created_at"],
)
class ConsentLink(models.Model):
    """A consent id seen at sign-in: from then on that browser's decisions name the account."""

    id = models.BigAutoField(primary_key=True)
    consent_id = models.CharField(max_length=64, db_index=True)
    user_id = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consent_id", "user_id"], name="consent_link_once")
        ]

    def __str__(self) -> str:
        return f"consent link {self.id}"
