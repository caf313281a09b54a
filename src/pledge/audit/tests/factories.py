"""Audit events as the shop would record them, and the tampering an attacker would do."""
# ruff: noqa: S608  (SQL on a constant table name: these tests tamper with it on purpose)

import contextlib
import hashlib
import uuid
from datetime import UTC, datetime

from django.db import connection

from pledge.audit.chain import (
    CANONICAL_FIELDS,
    CANONICAL_VERSION,
    canonical_row,
    chain_message,
)
from pledge.audit.models import AuditCheckpoint, AuditEvent
from pledge.audit.services import AuditEntry, audit_record_many, subject_pseudonym_for

EVENT_TABLE = AuditEvent._meta.db_table
CHECKPOINT_TABLE = AuditCheckpoint._meta.db_table
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


def rewrite(
    cursor,
    number: int,
    /,
    *,
    rehash: bool = False,
    prev_hash=None,
    sequence_item: str | None = None,
    **values,
) -> str:
    """Change row ``number``'s stored message as someone with write access could: some of
    its values (and its prev_hash; with ``sequence_item``, the JSON text where its sequence
    number was), and with ``rehash`` its hash to match. The new hash."""
    row = AuditEvent.objects.get(sequence=number)
    fields = {name: getattr(row, name) for name in CANONICAL_FIELDS} | values
    canonical = canonical_row(*fields.values())
    if sequence_item is not None:
        canonical = with_sequence_item(canonical, fields["sequence"], sequence_item)
    message = chain_message(prev_hash or row.prev_hash, canonical)
    new_hash = hashlib.sha256(message).hexdigest() if rehash else row.hash
    cursor.execute(
        f"UPDATE {EVENT_TABLE} SET message = %s, hash = %s WHERE id = %s",
        [message.decode("ascii"), new_hash, row.id],
    )
    return new_hash


def shift_up(cursor, *, from_sequence: int) -> None:
    """Renumber rows from_sequence... one up in their messages, freeing a slot (from the top
    down: the sequence number is unique). Their hashes are left as they were."""
    numbers = AuditEvent.objects.filter(sequence__gte=from_sequence).values_list(
        "sequence", flat=True
    )
    for sequence in sorted(numbers, reverse=True):
        rewrite(cursor, sequence, sequence=sequence + 1)


def forged_row(*, sequence: int, prev_hash: str, valid_hash: bool = True) -> AuditEvent:
    """An event nobody recorded: support viewing an order, slipped in at ``sequence``."""
    at = AuditEvent.objects.filter(sequence__lt=sequence).order_by("-sequence").first().at
    canonical = canonical_row(
        sequence,
        at,
        "personal_data_viewed",
        "intruder",
        "",
        "shop.order",
        "2026-000417",
        "order_fulfilment",
        "{}",
    )
    message = chain_message(prev_hash, canonical)
    row_hash = hashlib.sha256(message).hexdigest() if valid_hash else "f" * 64
    return AuditEvent(message=message.decode("ascii"), hash=row_hash)


def with_sequence_item(canonical: bytes, sequence: int, item: str) -> bytes:
    """``canonical`` with the JSON text ``item`` (``"abc"``, ``1e22``...) where its integer
    ``sequence`` was: a message only a hand-made INSERT or UPDATE can store."""
    head = f'["{CANONICAL_VERSION}",{sequence:d},'.encode("ascii")
    assert canonical.startswith(head)
    return f'["{CANONICAL_VERSION}",{item},'.encode("ascii") + canonical[len(head) :]


def insert_with_sequence_item(cursor, *, item: str, prev_hash: str) -> str:
    """Insert, with plain SQL, an event whose message holds ``item`` where its sequence number
    belongs, chained to ``prev_hash`` and with a hash that matches it. Its hash."""
    canonical = canonical_row(0, datetime.now(UTC), "login", "intruder", "", "", "", "", "{}")
    message = chain_message(prev_hash, with_sequence_item(canonical, 0, item))
    row_hash = hashlib.sha256(message).hexdigest()
    cursor.execute(
        f"INSERT INTO {EVENT_TABLE} (message, hash) VALUES (%s, %s)",
        [message.decode("ascii"), row_hash],
    )
    return row_hash


def rewrite_consistently(cursor, *, from_sequence: int, **values) -> None:
    """Rewrite every row from ``from_sequence`` on with ``values`` and fresh hashes, each
    chained to the one before: every link holds, only a signed checkpoint can tell."""
    numbers = AuditEvent.objects.filter(sequence__gte=from_sequence).order_by("sequence")
    link = AuditEvent.objects.get(sequence=from_sequence - 1).hash if from_sequence > 1 else None
    for number in numbers.values_list("sequence", flat=True):
        link = rewrite(cursor, number, rehash=True, prev_hash=link, **values)


def delete_checkpoints(cursor) -> None:
    """Delete every signed checkpoint, as anyone who can write the table could."""
    cursor.execute(f"DELETE FROM {CHECKPOINT_TABLE}")
