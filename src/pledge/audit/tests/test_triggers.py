"""On PostgreSQL the database itself refuses to change or remove audit rows."""
# ruff: noqa: S608  (SQL on a constant table name: these tests tamper with it on purpose)

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from pledge.audit.models import AuditCheckpoint, AuditEvent
from pledge.audit.services import audit_checkpoint

from .factories import EVENT_TABLE, shop_day

append_only = importlib.import_module("pledge.audit.migrations.0002_append_only")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


def test_a_plain_update_of_an_audit_row_is_refused():
    shop_day(3)
    message = AuditEvent.objects.get(sequence=2).message.replace('"consent_change"', '"logout"')
    assert refused(f"UPDATE {EVENT_TABLE} SET message = %s WHERE sequence = 2", [message])
    assert refused(f"UPDATE {EVENT_TABLE} SET hash = %s WHERE sequence = 2", ["0" * 64])
    assert AuditEvent.objects.get(sequence=2).message != message


def test_a_plain_delete_of_an_audit_row_is_refused():
    shop_day(3)
    assert refused(f"DELETE FROM {EVENT_TABLE} WHERE sequence = 2")
    assert AuditEvent.objects.count() == 3


def test_the_orm_cannot_update_or_delete_audit_rows_either():
    shop_day(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).delete()
    assert AuditEvent.objects.count() == 3


def test_checkpoints_cannot_be_changed_or_removed():
    shop_day(3)
    checkpoint = audit_checkpoint()
    assert refused("UPDATE audit_auditcheckpoint SET sequence = 1 WHERE id = %s", [checkpoint.id])
    assert refused("DELETE FROM audit_auditcheckpoint")
    assert AuditCheckpoint.objects.get().sequence == 3


def test_truncate_is_refused_where_the_truncate_trigger_is_installed():
    # Test databases go without it (Django empties tables with TRUNCATE between tests), so
    # install it here, inside this test's transaction, exactly as the migration does.
    shop_day(3)
    with connection.cursor() as cursor:
        cursor.execute(append_only.CREATE_TRUNCATE_TRIGGER.format(table=EVENT_TABLE))
    assert refused(f"TRUNCATE {EVENT_TABLE}")
    assert AuditEvent.objects.count() == 3


def test_inserting_is_still_allowed():
    shop_day(3)
    assert AuditEvent.objects.count() == 3
