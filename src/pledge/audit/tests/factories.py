"""Audit events as the shop would record them, and the tampering an attacker would do."""
# ruff: noqa: S608  (SQL on a constant table name: these tests tamper with it on purpose)

import contextlib
import uuid

from django.db import connection

from pledge.audit.models import AuditEvent
from pledge.audit.services import AuditEntry, audit_record_many, subject_pseudonym_for

EVENT_TABLE = AuditEvent._meta.db_table
TRIGGERED_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


def shop_day(count: int = 20) -> list[AuditEvent]:
    """A day at the shop: customers sign in and change consents, support views an order."""
    customer = subject_pseudonym_for(subject_id=uuid.uuid4())
    support = uuid.uuid4()
    kinds = [
        AuditEntry(action="login", subject_pseudonym=customer),
        AuditEntry(
            action="consent_change",
            subject_pseudonym=customer,
            details={"category": "analytics", "given": False},
        ),
        AuditEntry(
            action="personal_data_viewed",
            staff_id=support,
            purpose="order_fulfilment",
            object_type="shop.order",
            object_id="2026-000417",
            details={"fields": ["address", "phone_number"]},
        ),
        AuditEntry(
            action="disclosure",
            subject_pseudonym=customer,
            purpose="order_fulfilment",
            object_type="shop.order",
            object_id="2026-000417",
            details={"recipient": "postnl", "categories": ["user.contact.address"]},
        ),
        AuditEntry(action="logout", subject_pseudonym=customer),
    ]
    return audit_record_many(entries=[kinds[i % len(kinds)] for i in range(count)])


@contextlib.contextmanager
def as_table_owner():
    """Tamper the way only the table owner can: with the append-only triggers switched off."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            for table in TRIGGERED_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield cursor
        if postgresql:
            for table in TRIGGERED_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def shift_up(cursor, *, from_sequence: int) -> None:
    """Renumber rows from_sequence... one up, freeing a slot (two steps: sequence is unique)."""
    cursor.execute(
        f"UPDATE {EVENT_TABLE} SET sequence = -(sequence + 1) WHERE sequence >= %s",
        [from_sequence],
    )
    cursor.execute(f"UPDATE {EVENT_TABLE} SET sequence = -sequence WHERE sequence < 0")
