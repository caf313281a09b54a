# ruff: noqa: S608  (SQL on a constant table name: these tests tamper with it on purpose)
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from pledge.audit.chain import (
    CANONICAL_FIELDS,
    GENESIS_HASH,
    canonical_details,
    canonical_row,
    canonical_row_v1,
    canonical_time,
    chain_hash,
    timestamp_text,
)
from pledge.audit.models import AuditEvent
from pledge.audit.selectors import _DatabaseChain, audit_verify

from .factories import EVENT_TABLE, as_table_owner, shop_day


def test_the_canonical_time_is_utc_with_microseconds_whatever_the_zone():
    utc = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)
    amsterdam = utc.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert timestamp_text(utc) == timestamp_text(amsterdam) == "2026-11-27T08:00:00.000000"
    assert canonical_time(utc) == canonical_time(amsterdam) == "2026-11-27 08:00:00"
    assert canonical_time(utc.replace(microsecond=5)) == "2026-11-27 08:00:00.000005"


def test_canonical_bytes_are_the_fields_joined_by_the_unit_separator():
    at = datetime(2026, 11, 27, 8, 0, 0, 5, tzinfo=UTC)
    row = canonical_row(
        7, at, "login", "", "h1:abc", "", "", "", canonical_details({"b": 1, "a": "é"})
    )
    assert row == (
        b"pledge-audit-v2\x1f7\x1f2026-11-27 08:00:00.000005\x1flogin\x1f\x1fh1:abc\x1f\x1f"
        b'\x1f\x1f{"a":"\\u00e9","b":1}'
    )


AWKWARD = ['quote " and \\ backslash', "ünïcödé €", "\U0001f600", "'; --", ""]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("microsecond", [0, 123456])
def test_the_database_builds_the_very_bytes_the_writer_hashed(microsecond):
    at = datetime(2026, 1, 2, 3, 4, 5, microsecond, tzinfo=UTC)
    prev_hash = GENESIS_HASH
    for sequence, text in enumerate(AWKWARD, start=1):
        fields = ("login", text, text, text, text, text, '{"a":"\\u00e9"}')
        row_hash = chain_hash(prev_hash, canonical_row(sequence, at, *fields))
        AuditEvent.objects.create(
            sequence=sequence,
            at=at,
            action=fields[0],
            staff_id=text,
            subject_pseudonym=text,
            object_type=text,
            object_id=text,
            purpose=text,
            details_json=fields[6],
            prev_hash=prev_hash,
            hash=row_hash,
        )
        prev_hash = row_hash
    with transaction.atomic():
        source = _DatabaseChain("default", 2)
        rows = list(source.rows(None))
        batches = list(source.batches(1))
    expected = [
        (event.sequence, event.prev_hash, event.hash, event.prev_hash.encode() + canonical)
        for event in AuditEvent.objects.order_by("sequence")
        for canonical in [canonical_row(*(getattr(event, f) for f in CANONICAL_FIELDS))]
    ]
    assert rows == expected
    assert [len(batch.messages.split(b"\x1e")) for batch in batches] == [2, 2, 1]
    assert b"\x1e".join(batch.messages for batch in batches) == b"\x1e".join(
        row[3] for row in expected
    )
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_separator_smuggled_into_a_value_is_a_change():
    # A value holding the separator, the hash recomputed over the joined values: the hash
    # matches the bytes the database builds, but they hold one separator too many.
    shop_day(6)
    row = AuditEvent.objects.get(sequence=6)
    staff = "\x1fintruder"
    canonical = canonical_row(6, row.at, row.action, staff, *[""] * 4, "{}")
    assert canonical.count(b"\x1f") == 10
    with as_table_owner() as cursor:
        cursor.execute(
            f"UPDATE {EVENT_TABLE} SET staff_id = %s, subject_pseudonym = '', object_type = '', "
            "object_id = '', purpose = '', details_json = '{}', hash = %s WHERE sequence = 6",
            [staff, chain_hash(row.prev_hash, canonical)],
        )
    report = audit_verify()
    assert (report.problem.kind, report.problem.sequence) == ("changed", 6)


@pytest.mark.django_db
def test_a_changed_time_is_found_even_when_it_reads_the_same():
    shop_day(5)
    with as_table_owner() as cursor:
        if connection.vendor == "sqlite":
            # Django reads "T" and " " alike; the stored text is what is hashed.
            cursor.execute(
                f"UPDATE {EVENT_TABLE} SET at = replace(at, ' ', 'T') WHERE sequence = 3"
            )
        else:
            cursor.execute(
                f"UPDATE {EVENT_TABLE} SET at = at + interval '1 microsecond' WHERE sequence = 3"
            )
    report = audit_verify()
    assert (report.problem.kind, report.problem.sequence) == ("changed", 3)


def _v1_rows(count: int, start_hash: str = GENESIS_HASH, start: int = 1) -> list[AuditEvent]:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    events, prev_hash = [], start_hash
    for sequence in range(start, start + count):
        moment = at + timedelta(seconds=sequence, microseconds=sequence % 2)
        canonical = canonical_row_v1(
            sequence, timestamp_text(moment), "login", "", "h1:abcdefgh", "", "", "", "{}"
        )
        row_hash = chain_hash(prev_hash, canonical)
        events.append(
            AuditEvent(
                sequence=sequence,
                at=moment,
                action="login",
                subject_pseudonym="h1:abcdefgh",
                prev_hash=prev_hash,
                hash=row_hash,
            )
        )
        prev_hash = row_hash
    return events


@pytest.mark.django_db
def test_rows_written_in_the_v1_form_still_verify_and_the_chain_goes_on_in_v2():
    AuditEvent.objects.bulk_create(_v1_rows(7))
    shop_day(6)  # appended in v2, chained to the last v1 row
    report = audit_verify(chunk_size=4)
    assert report.ok, report.problem
    assert report.rows == 13


@pytest.mark.django_db
def test_a_v1_row_after_a_v2_row_is_a_change():
    shop_day(3)
    AuditEvent.objects.bulk_create(
        _v1_rows(2, start_hash=AuditEvent.objects.get(sequence=3).hash, start=4)
    )
    report = audit_verify()
    assert (report.problem.kind, report.problem.sequence) == ("changed", 4)


@pytest.mark.django_db
def test_text_after_a_nul_character_is_hashed_too():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL text cannot hold a NUL character")
    shop_day(5)
    with as_table_owner() as cursor:
        cursor.execute(
            f"UPDATE {EVENT_TABLE} SET purpose = purpose || char(0) || 'x' WHERE sequence = 3"
        )
    assert AuditEvent.objects.get(sequence=3).purpose.endswith("\x00x")
    report = audit_verify()
    assert (report.problem.kind, report.problem.sequence) == ("changed", 3)
