"""``pledge audit verify --checkpoints FILE``: the chain against checkpoint lines kept elsewhere.

Someone who can write the database (on SQLite, anyone who can write the file) can delete every
checkpoint row and rewrite the whole chain consistently: verify alone cannot tell, since it
cannot know how many checkpoints there should be. The lines ``pledge audit checkpoint``
printed, kept outside the database, can.
"""

import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from pledge.audit.models import AuditCheckpoint, AuditEvent
from pledge.audit.services import audit_checkpoint
from pledge.audit.signing import checkpoint_message, key_id

from .factories import (
    EVENT_TABLE,
    as_table_owner,
    delete_checkpoints,
    rewrite_consistently,
    shop_day,
)

pytestmark = pytest.mark.django_db

INVALID = "has an invalid signature (forged, altered, or signed by an untrusted key)"


def checkpoint_line() -> str:
    """Sign the head as cron would, and return the line the command printed."""
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    return out.getvalue().strip()


def kept_file(tmp_path, *lines: str) -> str:
    path = tmp_path / "kept-checkpoints.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def verify(*args: str) -> tuple[int, list[str], list[str]]:
    """Run ``audit verify``: its exit code, output lines and error lines."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    else:
        code = 0
    return code, out.getvalue().splitlines(), err.getvalue().splitlines()


def kept(line: str, number: int, path: str) -> str:
    return f"kept checkpoint {json.loads(line)['checkpoint']} (line {number} of {path})"


def test_an_intact_chain_verifies_against_the_kept_lines(tmp_path):
    shop_day(6)
    first = checkpoint_line()
    shop_day(6)
    second = checkpoint_line()
    shop_day(3)  # rows after the last checkpoint
    path = kept_file(tmp_path, first, second)
    assert verify("--checkpoints", path) == (
        0,
        [
            "audit log intact: 15 rows up to row 15, 2 signed checkpoints, "
            "checked against 2 kept checkpoints"
        ],
        [],
    )


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_deleted_checkpoints_and_a_consistent_rewrite_fail_only_against_the_kept_lines(
    tmp_path, monkeypatch, source
):
    shop_day(6)
    first = checkpoint_line()
    shop_day(6)
    second = checkpoint_line()
    with as_table_owner() as cursor:
        delete_checkpoints(cursor)
        rewrite_consistently(cursor, from_sequence=4, object_id="2026-000001")
    # What the table alone says: nothing wrong (the gap the kept lines close).
    assert verify() == (0, ["audit log intact: 12 rows up to row 12, 0 signed checkpoints"], [])

    if source == "stdin":
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{first}\n{second}\n"))
        path, argument = "standard input", "-"
    else:
        path = argument = kept_file(tmp_path, first, second)
    gone = "is not in the audit checkpoint table: checkpoints were deleted"
    assert verify("--checkpoints", argument) == (
        1,
        [],
        [
            f"audit verify failed: {kept(first, 1, path)} at row 6 {gone}",
            "audit verify failed: audit row 6 was changed: it differs from the signed "
            "checkpoint (rows 1-6 were rewritten)",
            f"audit verify failed: {kept(second, 2, path)} at row 12 {gone}",
        ],
    )


def test_deleted_newest_rows_and_checkpoints_fail_against_the_kept_line(tmp_path):
    shop_day(12)
    line = checkpoint_line()
    with as_table_owner() as cursor:
        delete_checkpoints(cursor)
        cursor.execute(f"DELETE FROM {EVENT_TABLE} WHERE sequence > 10")  # noqa: S608
    assert verify()[0] == 0
    path = kept_file(tmp_path, line)
    assert verify("--checkpoints", path) == (
        1,
        [],
        [
            "audit verify failed: audit row 11 was removed: a signed checkpoint covers row 12 "
            "but the chain ends at 10",
            f"audit verify failed: {kept(line, 1, path)} at row 12 is not in the audit "
            "checkpoint table: checkpoints were deleted",
        ],
    )


def _flip_signature_bit(fields: dict) -> dict:
    signature = bytes.fromhex(fields["signature"])
    return fields | {"signature": (bytes([signature[0] ^ 1]) + signature[1:]).hex()}


def _other_row(fields: dict) -> dict:
    return fields | {"sequence": 3, "hash": AuditEvent.objects.get(sequence=3).hash}


def _signed_by_an_intruder(fields: dict) -> dict:
    intruder = Ed25519PrivateKey.generate()
    row = AuditEvent.objects.get(sequence=3)
    message = checkpoint_message(sequence=3, head_hash=row.hash, at=row.at)
    return fields | {
        "sequence": 3,
        "hash": row.hash,
        "at": row.at.isoformat(),
        "key_id": key_id(intruder.public_key()),
        "signature": intruder.sign(message).hex(),
    }


@pytest.mark.parametrize("forge", [_flip_signature_bit, _other_row, _signed_by_an_intruder])
def test_a_forged_kept_line_is_refused(tmp_path, forge):
    shop_day(6)
    line = checkpoint_line()
    forged = forge(json.loads(line))
    path = kept_file(tmp_path, line, json.dumps(forged))
    assert verify("--checkpoints", path) == (
        1,
        [],
        [f"audit verify failed: {kept(line, 2, path)} at row {forged['sequence']} {INVALID}"],
    )


def test_malformed_lines_are_named_by_number_in_one_line_each(tmp_path):
    shop_day(6)
    line = checkpoint_line()
    fields = json.loads(line)
    lines = [
        line,
        "",  # blank lines are skipped
        "audit log is empty: nothing to sign",  # what the command printed before any event
        "{not json",
        "[6]",
        json.dumps({key: value for key, value in fields.items() if key != "signature"}),
        json.dumps(fields | {"sequence": "6"}),
        json.dumps(fields | {"sequence": 0}),
        json.dumps(fields | {"hash": "xyz"}),
        json.dumps(fields | {"at": "yesterday"}),
        json.dumps(fields | {"at": "0001-01-01T00:00:00+01:00"}),  # no such time in UTC
        json.dumps(fields | {"signature": ["ab"]}),
        json.dumps(fields | {"checkpoint": "first"}),
        "[" * 100_000,
    ]
    path = tmp_path / "kept-checkpoints.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe{}\n")
    code, out, err = verify("--checkpoints", str(path))
    assert (code, out) == (1, [])
    prefix = f"audit verify failed: {path} line"
    assert err == [
        f"{prefix} 4: not a JSON object as `pledge audit checkpoint` prints",
        f"{prefix} 5: not a JSON object as `pledge audit checkpoint` prints",
        f'{prefix} 6: "signature" is missing',
        f'{prefix} 7: "sequence" is not a row number',
        f'{prefix} 8: "sequence" is not a row number',
        f'{prefix} 9: "hash" is not 64 lowercase hex digits',
        f'{prefix} 10: "at" is not an ISO 8601 time',
        f'{prefix} 11: "at" is not an ISO 8601 time',
        f'{prefix} 12: "signature" is not text',
        f'{prefix} 13: "checkpoint" is not a checkpoint id',
        f"{prefix} 14: not a JSON object as `pledge audit checkpoint` prints",
        f"{prefix} 15: not a JSON object as `pledge audit checkpoint` prints",
    ]


def test_an_unreadable_checkpoints_file_is_one_line(tmp_path):
    shop_day(2)
    path = tmp_path / "missing.jsonl"
    assert verify("--checkpoints", str(path)) == (
        1,
        [],
        [f"audit verify failed: cannot read {path}: No such file or directory"],
    )


def test_a_stored_checkpoint_that_signed_another_hash_than_a_kept_line_is_named(tmp_path):
    # Whoever holds the signing key rewrites the chain and signs its new head in place of the
    # deleted checkpoint: both signatures hold, for two different heads of row 6.
    shop_day(6)
    line = checkpoint_line()
    with as_table_owner() as cursor:
        delete_checkpoints(cursor)
        rewrite_consistently(cursor, from_sequence=4, object_id="2026-000001")
    resigned = audit_checkpoint()
    assert verify()[0] == 0
    path = kept_file(tmp_path, line)
    assert verify("--checkpoints", path) == (
        1,
        [],
        [
            f"audit verify failed: {kept(line, 1, path)} at row 6 is not in the audit "
            "checkpoint table: checkpoints were deleted",
            f"audit verify failed: audit checkpoint {resigned.id} at row 6 signed another hash "
            f"than {kept(line, 1, path)}",
            "audit verify failed: audit row 6 was changed: it differs from the signed "
            "checkpoint (rows 1-6 were rewritten)",
        ],
    )
    assert AuditCheckpoint.objects.count() == 1
