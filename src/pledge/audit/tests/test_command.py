import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pledge.audit.models import AuditCheckpoint, AuditEvent

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


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_of_an_intact_log_exits_0_and_says_so():
    shop_day(10)
    out, _ = run("verify")
    assert out.strip() == "audit log intact: 10 rows up to row 10, 0 signed checkpoints"


def failed_verify() -> list[str]:
    """Run ``audit verify`` on a log that must not verify: its output lines (exit code 1)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert out.getvalue() == ""
    return err.getvalue().strip().splitlines()


def test_verify_of_a_tampered_log_exits_1_naming_the_row_in_one_line():
    shop_day(10)
    with as_table_owner() as cursor:
        rewrite(cursor, 3, object_id="2026-000001")
    assert failed_verify() == [
        "audit verify failed: audit row 3 was changed: its hash does not match its content"
    ]


def test_verify_of_a_log_with_a_removed_row_exits_1_naming_it():
    shop_day(10)
    with as_table_owner() as cursor:
        cursor.execute(f"DELETE FROM {EVENT_TABLE} WHERE sequence = 4")  # noqa: S608
    assert failed_verify() == [
        "audit verify failed: audit row 4 was removed: it is missing before row 5"
    ]


def test_verify_of_a_log_with_an_inserted_row_exits_1_naming_it():
    shop_day(10)
    # An event nobody recorded, slipped in as row 6 with a hash that matches it; the rows from
    # 6 on move one up.
    forged = forged_row(sequence=6, prev_hash=AuditEvent.objects.get(sequence=5).hash)
    with as_table_owner() as cursor:
        shift_up(cursor, from_sequence=6)
    forged.save()
    assert failed_verify() == [
        "audit verify failed: audit row 6 was inserted: row 7 chains past it to the row before"
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses such a row")
def test_verify_of_a_row_with_a_text_sequence_number_exits_1_naming_it():
    shop_day(10)
    with as_table_owner() as cursor:
        row_hash = insert_with_sequence_item(
            cursor, item='"abc"', prev_hash=AuditEvent.objects.get(sequence=10).hash
        )
    assert failed_verify() == [
        "audit verify failed: an audit row was inserted after row 10: its sequence number is "
        f"text, not an integer (the row with hash '{row_hash}')"
    ]


def test_checkpoint_signs_the_head_and_prints_it_for_safekeeping_elsewhere():
    shop_day(4)
    out, _ = run("checkpoint")
    printed = json.loads(out)
    stored = AuditCheckpoint.objects.get()
    assert printed["sequence"] == stored.sequence == 4
    assert printed["signature"] == stored.signature
    out, _ = run("verify")
    assert "1 signed checkpoints" in out


def test_checkpoint_of_an_empty_log_signs_nothing():
    out, _ = run("checkpoint")
    assert "nothing to sign" in out
    assert not AuditCheckpoint.objects.exists()


def test_checkpoint_without_a_key_in_production_is_a_clear_error(audit_settings):
    shop_day(2)
    audit_settings.PLEDGE_ENV = "production"
    audit_settings.PLEDGE_AUDIT_SIGNING_KEY = ""
    with pytest.raises(CommandError, match="PLEDGE_AUDIT_SIGNING_KEY"):
        run("checkpoint")
