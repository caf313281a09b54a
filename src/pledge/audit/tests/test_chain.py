"""The row is its message: the canonical bytes, the columns the database generates from them,
and the upgrade of a log written in the earlier forms."""
# ruff: noqa: S608  (SQL on a constant table name: these tests tamper with it on purpose)

import hashlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction

from pledge.audit.chain import (
    CANONICAL_FIELDS,
    GENESIS_HASH,
    canonical_details,
    canonical_row,
    chain_hash,
    chain_message,
    timestamp_micros,
    timestamp_text,
)
from pledge.audit.models import AuditEvent
from pledge.audit.selectors import _DatabaseChain, audit_verify

from .factories import EVENT_TABLE, as_table_owner, rewrite, shop_day


def test_the_canonical_time_is_utc_microseconds_whatever_the_zone():
    utc = datetime(2026, 11, 27, 8, 0, 0, 5, tzinfo=UTC)
    amsterdam = utc.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert timestamp_micros(utc) == timestamp_micros(amsterdam) == 1_795_766_400_000_005
    assert timestamp_text(utc) == timestamp_text(amsterdam) == "2026-11-27T08:00:00.000005"


def test_canonical_bytes_are_a_compact_ascii_json_array():
    at = datetime(2026, 11, 27, 8, 0, 0, 5, tzinfo=UTC)
    row = canonical_row(
        7, at, "login", "", "h1:abc", "", "", "", canonical_details({"b": 1, "a": "é"})
    )
    assert row == (
        b'["pledge-audit-v3",7,1795766400000005,"login","","h1:abc","","","",'
        b'"{\\"a\\":\\"\\\\u00e9\\",\\"b\\":1}"]'
    )
    assert chain_hash(GENESIS_HASH, row) == hashlib.sha256(GENESIS_HASH.encode() + row).hexdigest()


AWKWARD = ['quote " and \\ backslash', "ünïcödé €", "\U0001f600", "'; --", "\x1e\x1f", ""]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("microsecond", [0, 123456])
def test_the_database_generates_every_column_from_the_hashed_message(microsecond):
    at = datetime(2026, 1, 2, 3, 4, 5, microsecond, tzinfo=UTC)
    prev_hash, expected = GENESIS_HASH, []
    for sequence, text in enumerate(AWKWARD, start=1):
        values = (sequence, at, "login", text, text, text, text, text, '{"a":"\\u00e9"}')
        message = chain_message(prev_hash, canonical_row(*values))
        row_hash = hashlib.sha256(message).hexdigest()
        AuditEvent.objects.create(message=message.decode("ascii"), hash=row_hash)
        expected.append((values, prev_hash, row_hash, message))
        prev_hash = row_hash
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [tuple(getattr(e, f) for f in CANONICAL_FIELDS) for e in stored] == [
        values for values, *_ in expected
    ]
    assert [e.prev_hash for e in stored] == [prev for _values, prev, *_ in expected]
    with transaction.atomic():
        source = _DatabaseChain("default", 2)
        rows = list(source.rows(None))
        batches = list(source.batches(1))
    assert rows == [(values[0], h, message) for values, _p, h, message in expected]
    assert [batch.count for batch in batches] == [2, 2, 2]
    assert audit_verify().ok


@pytest.mark.django_db
def test_the_database_refuses_a_message_that_is_not_json():
    # A raw record separator (or any control character) is not JSON: the generated columns
    # cannot be computed, so the row cannot be written at all.
    shop_day(6)
    row = AuditEvent.objects.get(sequence=4)
    message = row.message.replace('"order_fulfilment"', '"order\x1efulfilment"')
    with pytest.raises(DatabaseError), transaction.atomic(), as_table_owner() as cursor:
        cursor.execute(
            f"UPDATE {EVENT_TABLE} SET message = %s, hash = %s WHERE sequence = 4",
            [message, hashlib.sha256(message.encode()).hexdigest()],
        )
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_changed_time_is_found():
    shop_day(5)
    at = AuditEvent.objects.get(sequence=3).at
    with as_table_owner() as cursor:
        rewrite(cursor, 3, at=at.replace(microsecond=(at.microsecond + 1) % 1_000_000))
    assert AuditEvent.objects.get(sequence=3).at != at
    report = audit_verify()
    assert (report.problem.kind, report.problem.sequence) == ("changed", 3)


@pytest.mark.django_db
def test_a_row_that_holds_no_audit_message_is_found():
    shop_day(5)
    with as_table_owner() as cursor:
        cursor.execute(
            f"INSERT INTO {EVENT_TABLE} (message, hash) VALUES (%s, %s)",
            ["0" * 64 + '{"not": "an audit message"}', "0" * 64],
        )
    report = audit_verify()
    assert report.problem.kind == "inserted"
    assert "no readable audit message" in str(report.problem)


@pytest.mark.django_db
def test_text_after_a_nul_character_is_hashed_too():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL text cannot hold a NUL character")
    shop_day(5)
    with as_table_owner() as cursor:
        cursor.execute(
            f"UPDATE {EVENT_TABLE} SET message = message || char(0) || 'x' WHERE sequence = 3"
        )
    report = audit_verify()
    assert (report.problem.kind, report.problem.sequence) == ("changed", 3)
