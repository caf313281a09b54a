"""Upgrading a log written in the earlier canonical forms (migration 0004)."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pledge.audit.models import AuditEvent
from pledge.audit.selectors import audit_verify

BEFORE = [("audit", "0003_order_change")]
AFTER = [("audit", "0004_message_rows")]
START = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)


def _legacy_v2(row: dict) -> bytes:
    at = row["at"].astimezone(UTC).replace(tzinfo=None)
    fields = [row[name] for name in ("action", "staff_id", "subject_pseudonym", "object_type")]
    fields += [row["object_id"], row["purpose"], row["details_json"]]
    return "\x1f".join(["pledge-audit-v2", str(row["sequence"]), str(at), *fields]).encode()


def _write_legacy_log(apps, count: int) -> list[dict]:
    event = apps.get_model("audit", "AuditEvent")
    prev_hash, rows = "0" * 64, []
    for sequence in range(1, count + 1):
        row = {
            "sequence": sequence,
            "at": START + timedelta(seconds=sequence, microseconds=sequence % 3),
            "action": "login" if sequence % 2 else "personal_data_viewed",
            "staff_id": "" if sequence % 2 else "17",
            "subject_pseudonym": "p1:abc" if sequence % 2 else "",
            "object_type": "" if sequence % 2 else "shop.order",
            "object_id": "" if sequence % 2 else "1042",
            "purpose": "" if sequence % 2 else "order_fulfilment",
            "details_json": '{"a":"\\u00e9"}',
        }
        row_hash = hashlib.sha256(prev_hash.encode() + _legacy_v2(row)).hexdigest()
        event.objects.create(**row, prev_hash=prev_hash, hash=row_hash)
        rows.append(row)
        prev_hash = row_hash
    return rows


@pytest.fixture
def at_0003(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    _as_owner("DELETE FROM audit_auditevent")  # a refused log would refuse the way back up
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _as_owner(sql: str) -> None:
    """Tamper (or clean up) as only the table owner can, with the append-only triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _upgrade():
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)


def test_a_verified_legacy_log_is_rewritten_in_v3_with_every_value_kept(at_0003):
    legacy = _write_legacy_log(at_0003, 7)
    _upgrade()
    stored = list(AuditEvent.objects.order_by("sequence").values(*legacy[0]))
    assert stored == legacy
    assert audit_verify().ok


def test_a_tampered_legacy_log_is_not_upgraded(at_0003):
    _write_legacy_log(at_0003, 5)
    _as_owner("UPDATE audit_auditevent SET purpose = 'account' WHERE sequence = 4")
    with pytest.raises(RuntimeError, match="does not verify at row 4"):
        _upgrade()
