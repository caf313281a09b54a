"""Models for the vault's own tests and benchmark: not in INSTALLED_APPS, no migrations.

Their tables are created with the schema editor (``create_tables``) in whatever database the
test run uses, and they are added to the vault registry so erasure reaches them like any app's.
"""

import uuid

from django.db import connections, models

from pledge.policy.registry import personal_data
from pledge.vault.blind_index import BlindIndexField
from pledge.vault.fields import EncryptedJSONField, EncryptedTextField

APP_LABEL = "vault_tests"


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "email": "user.contact.email",
        "email_index": "user.contact.email",
        "first_name": "user.name.first",
        "last_name": "user.name.last",
        "phone": "user.contact.phone_number",
        "address": "user.contact.address",
        "company": "user.name.last",
        "invoice_address": "user.contact.address",
    },
    non_personal=["id"],
)
class Customer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    email = EncryptedTextField(subject_field="subject_id", key="profile")
    email_index = BlindIndexField(source="email", purpose="customer.email", unique=True)
    first_name = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    last_name = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    phone = EncryptedTextField(subject_field="subject_id", key="profile", null=True, blank=True)
    address = EncryptedJSONField(subject_field="subject_id", key="profile", null=True)
    company = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)
    invoice_address = EncryptedJSONField(subject_field="subject_id", key="retention", null=True)

    class Meta:
        app_label = APP_LABEL


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "email": "user.contact.email",
        "first_name": "user.name.first",
        "last_name": "user.name.last",
        "phone": "user.contact.phone_number",
        "address": "user.contact.address",
        "company": "user.name.last",
        "invoice_address": "user.contact.address",
    },
    non_personal=["id"],
)
class PlainCustomer(models.Model):
    """The same profile unencrypted: the benchmark's baseline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    email = models.TextField()
    first_name = models.TextField(blank=True)
    last_name = models.TextField(blank=True)
    phone = models.TextField(null=True, blank=True)  # noqa: DJ001 (mirrors Customer.phone)
    address = models.JSONField(null=True)
    company = models.TextField(blank=True)
    invoice_address = models.JSONField(null=True)

    class Meta:
        app_label = APP_LABEL


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "invoice_name": "user.name.last",
        "note": "user.content.private",
    },
    non_personal=["id", "number"],
)
class Order(models.Model):
    """History rows: many per subject, encrypted, without blind indexes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    number = models.PositiveIntegerField()
    invoice_name = EncryptedTextField(subject_field="subject_id", key="retention")
    note = EncryptedTextField(subject_field="subject_id", key="profile", blank=True)

    class Meta:
        app_label = APP_LABEL


@personal_data(
    personal={
        "subject_id": "user.unique_id",
        "email": "user.contact.email",
        "email_index": "user.contact.email",
        "email_suppression": "user.privacy_preferences",
    },
    non_personal=["id"],
)
class Subscriber(models.Model):
    """A newsletter subscriber: a lookup index, and a suppression index that outlives erasure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(db_index=True)
    email = EncryptedTextField(subject_field="subject_id", key="profile")
    email_index = BlindIndexField(source="email", purpose="subscriber.email")
    email_suppression = BlindIndexField(
        source="email", purpose="newsletter.suppression", key="suppression"
    )

    class Meta:
        app_label = APP_LABEL


TEST_MODELS = (Customer, PlainCustomer, Order, Subscriber)


def create_tables(using: str = "default") -> None:
    """Create the test tables if missing (a re-used test database already has them)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in TEST_MODELS:
            if model._meta.db_table not in existing:
                editor.create_model(model)
