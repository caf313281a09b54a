"""Each kind of tampering is found and the first bad row named, on SQLite and PostgreSQL."""
# ruff: noqa: S608  (SQL on a constant table name: these tests tamper with it on purpose)

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import DatabaseError, connection, transaction

from pledge.audit.models import AuditCheckpoint, AuditEvent
from pledge.audit.selectors import audit_verify
from pledge.audit.services import audit_checkpoint
from pledge.audit.signing import checkpoint_message, key_id

from .factories import (
    EVENT_TABLE,
    as_table_owner,
    forged_row,
    insert_with_sequence_item,
    rewrite,
    shift_up,
    shop_day,
)

pytestmark = pytest.mark.django_db


def problem_of(report):
    assert report.problem is not None, "tampering went unnoticed"
    return report.problem.kind, report.problem.sequence


def hash_of(sequence: int) -> str:
    return AuditEvent.objects.get(sequence=sequence).hash


def test_an_untouched_chain_verifies():
    shop_day(25)
    audit_checkpoint()
    report = audit_verify(chunk_size=7)  # several chunks
    assert report.ok
    assert (report.rows, report.head_sequence, report.checkpoints) == (25, 25, 1)


def test_an_empty_log_verifies():
    assert audit_verify().ok


def test_a_changed_row_is_named():
    shop_day(20)
    with as_table_owner() as cursor:
        rewrite(cursor, 8, purpose="marketing")
    assert AuditEvent.objects.get(sequence=8).purpose == "marketing"  # what a reader now sees
    assert problem_of(audit_verify()) == ("changed", 8)


def test_a_changed_row_with_a_recomputed_hash_is_named():
    shop_day(20)
    with as_table_owner() as cursor:
        rewrite(
            cursor,
            8,
            rehash=True,
            action="login",
            staff_id="",
            subject_pseudonym="",
            object_type="",
            object_id="",
            purpose="",
            details_json="{}",
        )
    assert problem_of(audit_verify()) == ("changed", 8)


def test_a_changed_hash_alone_is_named():
    shop_day(20)
    with as_table_owner() as cursor:
        cursor.execute(f"UPDATE {EVENT_TABLE} SET hash = %s WHERE sequence = 8", ["a" * 64])
    assert problem_of(audit_verify()) == ("changed", 8)


def test_a_changed_first_row_is_named():
    shop_day(5)
    with as_table_owner() as cursor:
        rewrite(cursor, 1, action="logout")
    assert problem_of(audit_verify()) == ("changed", 1)


def test_a_changed_last_row_is_named():
    shop_day(5)
    with as_table_owner() as cursor:
        rewrite(cursor, 5, subject_pseudonym="other")
    assert problem_of(audit_verify()) == ("changed", 5)


@pytest.mark.parametrize("gone", [[1], [9], [9, 10, 11]])
def test_a_removed_row_is_named(gone):
    shop_day(20)
    with as_table_owner() as cursor:
        cursor.execute(
            f"DELETE FROM {EVENT_TABLE} WHERE sequence >= %s AND sequence <= %s",
            [gone[0], gone[-1]],
        )
    report = audit_verify()
    assert problem_of(report) == ("removed", gone[0])
    assert f"row {gone[0]} was removed" in str(report.problem)


def test_removed_newest_rows_are_caught_by_a_checkpoint():
    shop_day(20)
    audit_checkpoint()
    with as_table_owner() as cursor:
        cursor.execute(f"DELETE FROM {EVENT_TABLE} WHERE sequence > 17")
    assert problem_of(audit_verify()) == ("removed", 18)


def test_an_inserted_row_with_a_correct_hash_is_named():
    shop_day(20)
    forged = forged_row(sequence=9, prev_hash=hash_of(8))
    with as_table_owner() as cursor:
        shift_up(cursor, from_sequence=9)
    forged.save()
    report = audit_verify()
    assert problem_of(report) == ("inserted", 9)
    assert "row 9 was inserted" in str(report.problem)


def test_an_inserted_row_with_a_made_up_hash_is_named():
    shop_day(20)
    forged = forged_row(sequence=9, prev_hash="e" * 64, valid_hash=False)
    with as_table_owner() as cursor:
        shift_up(cursor, from_sequence=9)
    forged.save()
    assert problem_of(audit_verify()) == ("inserted", 9)


# SQLite's json_extract reads whatever the message's JSON holds where the sequence number
# belongs; the column's integer affinity turns only integral values into integers.
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's bigint column refuses such a row"
)


@sqlite_only
@pytest.mark.parametrize(
    ("item", "place", "shown"),
    [
        ('"abc"', "after row 20", "is text, not an integer"),
        ("[21]", "after row 20", "is text, not an integer"),
        ("1e22", "after row 20", "1e+22 is not an integer"),
        ("-1e22", "before row 1", "-1e+22 is not an integer"),
        ("1.5", "after row 1", "1.5 is not an integer"),
        ("0.5", "before row 1", "0.5 is not an integer"),
    ],
)
def test_a_row_without_an_integer_sequence_number_is_named_as_inserted(item, place, shown):
    shop_day(20)
    with as_table_owner() as cursor:
        row_hash = insert_with_sequence_item(cursor, item=item, prev_hash=hash_of(20))
    problem = audit_verify(chunk_size=7).problem
    assert problem is not None, "tampering went unnoticed"
    assert problem.kind == "inserted"
    assert str(problem) == (
        f"an audit row was inserted {place}: its sequence number {shown} "
        f"(the row with hash '{row_hash}')"
    )


@sqlite_only
def test_a_row_replaced_by_one_without_an_integer_sequence_number_is_named():
    # Row 3 becomes "3.5" and every later row is chained to it again with fresh hashes: each
    # link holds and there are as many rows as the numbers 1-6, yet row 3 is gone.
    shop_day(6)
    with as_table_owner() as cursor:
        link = rewrite(cursor, 3, rehash=True, sequence_item="3.5")
        for number in (4, 5, 6):
            link = rewrite(cursor, number, rehash=True, prev_hash=link)
    report = audit_verify()
    assert problem_of(report) == ("inserted", 3)
    assert "inserted after row 2: its sequence number 3.5 is not an integer" in str(report.problem)


@pytest.mark.postgresql
@pytest.mark.parametrize("item", ['"abc"', "1e22", "1.5"])
def test_postgresql_refuses_a_row_without_an_integer_sequence_number(item):
    shop_day(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        insert_with_sequence_item(cursor, item=item, prev_hash=hash_of(2))
    assert AuditEvent.objects.count() == 2
    assert audit_verify().ok


def test_a_row_appended_with_a_repeated_sequence_number_is_named():
    shop_day(10)
    with as_table_owner() as cursor:
        # Only possible once the unique constraint is gone; drop it as an owner could.
        index = _unique_sequence_constraint(cursor)
        if cursor.db.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {EVENT_TABLE} DROP CONSTRAINT {index}")
        else:
            pytest.skip("SQLite cannot drop a column's unique constraint in place")
    forged_row(sequence=6, prev_hash=hash_of(5)).save()
    assert problem_of(audit_verify()) == ("inserted", 6)


def _unique_sequence_constraint(cursor) -> str:
    if cursor.db.vendor != "postgresql":
        return ""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [EVENT_TABLE],
    )
    return cursor.fetchone()[0]


def test_a_rewrite_of_the_whole_chain_is_caught_by_the_signed_checkpoint():
    shop_day(12)
    audit_checkpoint()
    # Rewrite from row 4 on with fresh, consistent hashes: only the signature can tell.
    rows = list(AuditEvent.objects.order_by("sequence"))
    prev_hash = rows[2].hash
    with as_table_owner() as cursor:
        for row in rows[3:]:
            purpose = "account" if row.purpose else ""
            prev_hash = rewrite(
                cursor, row.sequence, rehash=True, prev_hash=prev_hash, purpose=purpose
            )
    report = audit_verify()
    assert problem_of(report) == ("changed", 12)
    assert "signed checkpoint" in str(report.problem)


def test_a_checkpoint_with_a_forged_signature_fails():
    shop_day(6)
    checkpoint = audit_checkpoint()
    forged = bytes.fromhex(checkpoint.signature)
    forged = bytes([forged[0] ^ 1]) + forged[1:]
    with as_table_owner() as cursor:
        cursor.execute(
            "UPDATE audit_auditcheckpoint SET signature = %s WHERE id = %s",
            [forged.hex(), checkpoint.id],
        )
    report = audit_verify()
    assert problem_of(report) == ("checkpoint", 6)
    assert "invalid signature" in str(report.problem)


def test_a_checkpoint_signed_with_another_key_fails():
    shop_day(6)
    intruder = Ed25519PrivateKey.generate()
    head = AuditEvent.objects.get(sequence=6)
    checkpoint = AuditCheckpoint(
        sequence=6, hash=head.hash, at=head.at, key_id=key_id(intruder.public_key())
    )
    message = checkpoint_message(sequence=6, head_hash=head.hash, at=head.at)
    checkpoint.signature = intruder.sign(message).hex()
    checkpoint.save()
    assert problem_of(audit_verify()) == ("checkpoint", 6)


def test_a_checkpoint_moved_to_another_row_fails():
    shop_day(6)
    checkpoint = audit_checkpoint()
    with as_table_owner() as cursor:
        cursor.execute(
            "UPDATE audit_auditcheckpoint SET sequence = 3, hash = %s WHERE id = %s",
            [hash_of(3), checkpoint.id],
        )
    assert problem_of(audit_verify()) == ("checkpoint", 3)


def test_the_first_problem_is_reported_when_there_are_several():
    shop_day(20)
    with as_table_owner() as cursor:
        rewrite(cursor, 15, action="login")
        cursor.execute(f"DELETE FROM {EVENT_TABLE} WHERE sequence = 6")
    assert problem_of(audit_verify()) == ("removed", 6)
