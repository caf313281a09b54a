"""What partners keeps: payments, the disclosure log, the partner outbox, review objections.

No payer data from a payment provider is stored (Mollie returns the payer's name and IBAN; the
policy declares neither for us to keep). Outgoing messages are sealed with the subject's
profile key, so an erased customer's undelivered message is noise and is not sent.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from pledge.leases import LeaseColumns
from pledge.policy.registry import personal_data
from pledge.vault.fields import EncryptedJSONField


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("open")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")
    REFUNDED = "refunded", _("refunded")


@personal_data(
    personal={
        # The provider's transaction id and the method chosen: the policy's "payment data".
        "provider_id": "user.payment",
        "method": "user.payment",
    },
    non_personal=[
        "id",
        "recipient",
        # The order number and amount are kept as plain bookkeeping (as on the shop's Order).
        "order_reference",
        "amount",
        "amount_refunded",
        "currency",
        "status",
        "language",
        "return_url",
        "created_at",
        "updated_at",
    ],
)
class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.CharField(max_length=64)
    provider_id = models.CharField(max_length=100, unique=True)
    order_reference = models.CharField(max_length=64, db_index=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    amount_refunded = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.OPEN
    )
    method = models.CharField(max_length=32)
    language = models.CharField(max_length=8, default="nl")
    return_url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"payment {self.id} ({self.status})"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class MessageKind(models.TextChoices):
    SHIPMENT_REQUEST = "shipment_request", _("shipment request")
    SUPPLIER_ORDER = "supplier_order", _("supplier order")
    REVIEW_INVITE = "review_invite", _("review invitation")
    AUTHORITY_DISCLOSURE = "authority_disclosure", _("disclosure to an authority")


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        # The fields the payload builder let through: names, address, lines, a print file.
        "payload": "user.contact.address",
    },
    non_personal=[
        "id",
        "recipient",
        "kind",
        "reference",
        "idempotency_digest",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "lease_token",
        # An exception class and HTTP status, never the partner's reply text.
        "last_error",
        "created_at",
        "delivered_at",
        "purged_at",
    ],
)
class PartnerMessage(LeaseColumns):
    """One message to a partner, stored sealed and delivered after the commit (the outbox)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    recipient = models.CharField(max_length=64)
    kind = models.CharField(max_length=32, choices=MessageKind.choices)
    reference = models.CharField(max_length=64, db_index=True)
    idempotency_digest = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=32)
    # Null once purged after the outbox retention.
    payload = EncryptedJSONField(subject_field="subject_id", key="profile", null=True)
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="partners_outbox_due")]

    def __str__(self) -> str:  # never the payload
        return f"partner message {self.id} to {self.recipient} ({self.status})"


@personal_data(
    personal={
        # Whose data went out, for their "My account" view and their access request (Art. 15).
        "subject_id": "user.unique_id",
        "staff_id": "user.unique_id",
    },
    non_personal=[
        "id",
        "recipient",
        "purpose",
        "legal_basis",
        "categories",
        "order_reference",
        "channel",
        "message",
        "payment",
        "legal_ground",
        "case_reference",
        "withheld_from_subject",
        "created_at",
    ],
)
class Disclosure(models.Model):
    """That data went to a recipient: who, why, on which basis, which categories (no values).

    Art. 30(1)(d) and Art. 15(1)(c): the recipients to whom data have been disclosed. Written in
    the same transaction as the message that carries the data.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    recipient = models.CharField(max_length=64)
    purpose = models.CharField(max_length=64)
    legal_basis = models.CharField(max_length=32)
    categories = models.JSONField(default=list)
    order_reference = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField(max_length=32)
    message = models.ForeignKey(
        PartnerMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Disclosures to an authority: the statutory ground and the authority's case number.
    legal_ground = models.CharField(max_length=200, blank=True)
    case_reference = models.CharField(max_length=100, blank=True)
    # The authority may forbid telling the person (e.g. during a criminal investigation).
    withheld_from_subject = models.BooleanField(default=False)
    staff_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"disclosure {self.id} to {self.recipient} for {self.purpose}"


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "objected": "user.privacy_preferences",
        "changed_at": "user.privacy_preferences",
    },
    non_personal=["id"],
)
class ReviewObjection(models.Model):
    """The person's Art. 21 objection to review invitations (legitimate interest)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(unique=True)
    objected = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review objection {self.id}"
