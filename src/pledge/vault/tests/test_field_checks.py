"""``pledge check`` refuses a model whose encrypted fields could not be bound to a subject and row.

Each model is declared inside its test, in an app registry of its own (``isolate_apps``), so
the broken models never reach the shop's registry.
"""

import uuid

from django.db import models
from django.test.utils import isolate_apps

from pledge.vault.fields import EncryptedJSONField, EncryptedTextField


def _check_ids(model, field_name: str) -> list[str]:
    return [error.id for error in model._meta.get_field(field_name).check()]


@isolate_apps("pledge.vault")
def test_a_well_declared_encrypted_field_passes():
    class Contact(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        subject_id = models.UUIDField()
        note = EncryptedTextField(subject_field="subject_id", key="profile")
        invoice = EncryptedJSONField(subject_field="subject_id", key="retention", null=True)

        class Meta:
            app_label = "vault"

    assert _check_ids(Contact, "note") == []
    assert _check_ids(Contact, "invoice") == []


@isolate_apps("pledge.vault")
def test_an_unknown_key_kind_is_vault_e001():
    class Contact(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        subject_id = models.UUIDField()
        note = EncryptedTextField(subject_field="subject_id", key="forever")

        class Meta:
            app_label = "vault"

    assert _check_ids(Contact, "note") == ["vault.E001"]


@isolate_apps("pledge.vault")
def test_a_subject_field_that_is_missing_or_no_uuid_is_vault_e002():
    class Contact(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        customer_number = models.IntegerField()
        note = EncryptedTextField(subject_field="customer_number", key="profile")
        memo = EncryptedTextField(subject_field="subject", key="profile")

        class Meta:
            app_label = "vault"

    assert _check_ids(Contact, "note") == ["vault.E002"]
    assert _check_ids(Contact, "memo") == ["vault.E002"]


@isolate_apps("pledge.vault")
def test_a_primary_key_not_made_by_the_application_is_vault_e003():
    class Numbered(models.Model):  # an AutoField: the database picks the key after the insert
        subject_id = models.UUIDField()
        note = EncryptedTextField(subject_field="subject_id", key="profile")

        class Meta:
            app_label = "vault"

    class WithoutDefault(models.Model):
        id = models.UUIDField(primary_key=True)
        subject_id = models.UUIDField()
        note = EncryptedTextField(subject_field="subject_id", key="profile")

        class Meta:
            app_label = "vault"

    assert _check_ids(Numbered, "note") == ["vault.E003"]
    assert _check_ids(WithoutDefault, "note") == ["vault.E003"]
