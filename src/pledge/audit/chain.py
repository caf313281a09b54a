"""The hash chain: a row's message, and how one row's hash follows from the previous one.

Shared by the writer (services), the table (models: the readable columns are generated from
the message) and the checker (verification), so all agree byte for byte. The message depends
only on the values, never on the database backend, so a log moved from SQLite to PostgreSQL
still verifies.

A row *is* its message: ``prev_hash`` (64 hex characters) followed by the canonical form v3,
a compact JSON array in ASCII (every other character escaped, as ``json`` does)::

    ["pledge-audit-v3",sequence,at,action,staff_id,subject_pseudonym,object_type,object_id,
     purpose,details_json]

``at`` in microseconds since 1970-01-01 UTC; ``details_json`` as a JSON string (the exact text
of the canonical details, sorted keys). ``hash = SHA-256(message)``. The database stores the
message and the hash; it *generates* ``sequence``, ``at``, ``action`` and the others from the
message (``models.MessageItem``), so no column can say something the hashed bytes do not, and
verify reads one column per row instead of building each row's bytes again. No message can
contain a control character, so batches of messages are joined by the record separator.
"""

import hashlib
import json
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii as _string  # the C escaper json itself uses

# The prev_hash of row 1.
GENESIS_HASH = "0" * 64
HASH_LENGTH = 64

# Hashed into every row, so that rows of another form cannot be taken for these.
CANONICAL_VERSION = "pledge-audit-v3"
# What every message has after its prev_hash; a message without it is not a row of this form.
MESSAGE_HEAD = f'["{CANONICAL_VERSION}",'.encode("ascii")

# Details are a dict of any shape, so they go through the json module (sorted keys). One
# reusable encoder: json.dumps() with options builds a new one on every call.
_DETAILS_ENCODER = json.JSONEncoder(
    ensure_ascii=True, separators=(",", ":"), allow_nan=False, sort_keys=True
)

# The canonical form's items after the version, in order; their index in the JSON array is
# their position here plus one.
CANONICAL_FIELDS = (
    "sequence",
    "at",
    "action",
    "staff_id",
    "subject_pseudonym",
    "object_type",
    "object_id",
    "purpose",
    "details_json",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Between the messages of a batch (ASCII record separator; JSON escapes it inside strings).
RECORD_SEPARATOR_BYTE = b"\x1e"


def canonical_details(details: dict) -> str:
    """Deterministic JSON text of a details dict: sorted keys, no whitespace, ASCII only."""
    return _DETAILS_ENCODER.encode(details)


def timestamp_text(at: datetime) -> str:
    """UTC, ISO 8601, always with microseconds: ``2026-11-27T08:00:00.000000``."""
    if at.utcoffset():
        at = at.astimezone(UTC)
    # Fixed precision (isoformat() alone drops a zero microsecond part); [:26] drops "+00:00".
    return at.isoformat(timespec="microseconds")[:26]


def timestamp_micros(at: datetime) -> int:
    """Microseconds since 1970-01-01 UTC (a naive time is taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def canonical_row(
    sequence: int,
    at: datetime,
    action: str,
    staff_id: str,
    subject_pseudonym: str,
    object_type: str,
    object_id: str,
    purpose: str,
    details_json: str,
) -> bytes:
    """The row's canonical bytes (v3)."""
    return (
        f'["{CANONICAL_VERSION}",{int(sequence):d},{timestamp_micros(at):d},{_string(action)},'
        f"{_string(staff_id)},{_string(subject_pseudonym)},{_string(object_type)},"
        f"{_string(object_id)},{_string(purpose)},{_string(details_json)}]"
    ).encode("ascii")


def chain_message(prev_hash: str, canonical: bytes) -> bytes:
    """What a row stores and what its hash covers: prev_hash || canonical row."""
    return prev_hash.encode("ascii") + canonical


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256(prev_hash || canonical row bytes), as lowercase hex."""
    return hashlib.sha256(chain_message(prev_hash, canonical)).hexdigest()


def _placeholder(vendor: str) -> str:
    return "?" if vendor == "sqlite" else "%s"  # the DB-API drivers' own parameter styles


# SQLite's json_extract gives the sequence number as the JSON has it: a message may hold text
# or a real there (PostgreSQL's bigint column refuses such a row). Only integers are rows.
_SQLITE_NOT_AN_INTEGER = """typeof("sequence") IN ('real', 'text', 'blob')"""


def rows_sql(vendor: str, table: str) -> str:
    """Rows with ``sequence >= ?`` as (sequence, hash, message), by sequence; on SQLite also
    every row whose sequence number is not an integer, wherever it sorts, for the walk to name."""
    where = f'"sequence" >= {_placeholder(vendor)}'
    if vendor == "sqlite":
        where = f"{where} OR {_SQLITE_NOT_AN_INTEGER}"
    return (
        f'SELECT "sequence", "hash", "message" FROM {table} '  # noqa: S608
        f'WHERE {where} ORDER BY "sequence"'
    )


def batch_sql(vendor: str, table: str) -> str:
    """One row for the rows with sequence between ? and ?: their count, lowest and highest
    sequence number and, in sequence order, their prev_hashes and hashes joined by commas and
    their messages joined by ``RECORD_SEPARATOR_BYTE``. (The prev_hashes are the messages'
    first 64 characters, cut out by the database in its own thread rather than in Python.)
    On SQLite the count leaves out a row whose sequence number is not an integer (a real in the
    range), so its message makes one piece too many and the batch is walked row by row."""
    where = f'"sequence" BETWEEN {_placeholder(vendor)} AND {_placeholder(vendor)}'
    if vendor == "postgresql":
        # One sort in an ordered subquery, which the aggregates then read in order (cheaper
        # than ORDER BY inside each string_agg); verify checks the order through the links,
        # and a batch out of order is walked row by row, in order, instead. No prev_hashes:
        # a third aggregate cost the server more than verify takes to cut them from the
        # messages (NULL in their place).
        return (
            'SELECT count(*), min("sequence"), max("sequence"), NULL, '  # noqa: S608
            'string_agg("hash", \',\'), string_agg("message", chr(30)) FROM (SELECT '
            f'"sequence", "hash", "message" FROM {table} WHERE {where} ORDER BY "sequence") '
            "AS batch"
        )
    if vendor == "sqlite":
        # No ordered subquery (SQLite would copy every row through it): the range scan of the
        # unique index on sequence is in sequence order, and verify checks that it was.
        return (
            "SELECT count(CASE typeof(\"sequence\") WHEN 'integer' THEN 1 END), "  # noqa: S608
            'min("sequence"), max("sequence"), '
            "group_concat(\"prev_hash\", ','), group_concat(\"hash\", ','), "
            f'CAST(group_concat("message", char(30)) AS BLOB) FROM {table} WHERE {where}'
        )
    raise NotImplementedError(f"audit verify supports no {vendor}")


def outside_sql(vendor: str, table: str) -> str:
    """Whether any row has a sequence number below 1 or above ? (a row with none is not)."""
    return (
        f'SELECT 1 FROM {table} WHERE "sequence" < 1 '  # noqa: S608
        f'OR "sequence" > {_placeholder(vendor)} LIMIT 1'
    )
