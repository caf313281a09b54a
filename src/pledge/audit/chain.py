"""The hash chain: canonical row bytes and how one row's hash follows from the previous one.

Shared by the writer (services) and the checker (verification), so both agree byte for byte.
The canonical form depends only on the values, never on the database backend, so a log moved
from SQLite to PostgreSQL still verifies.

Canonical form v2 (``pledge-audit-v2``): the version and the nine columns, as UTF-8 text,
joined by the ASCII unit separator (0x1F)::

    pledge-audit-v2 US sequence US at US action US staff_id US subject_pseudonym US object_type
    US object_id US purpose US details_json

``sequence`` in decimal, ``at`` in UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``, without the
fraction when it is zero (Python's ``str()`` of the naive UTC time, which is also exactly the
text Django stores in SQLite, so SQLite hashes the stored text as it is). No value can contain
the separator (``guards`` refuses control characters and ``details_json`` is ASCII-escaped
JSON), so a row's bytes name each column unambiguously; verify insists on exactly
``SEPARATORS`` separators in ``prev_hash || canonical`` and treats any other count as a change.
The form is that simple so the database can build the very same bytes while verify reads the
rows (see ``message_sql``): concatenation in SQL instead of escaping in Python is what makes
verify cost about as much as the hashing itself.

Rows written before v2 (``pledge-audit-v1``, a compact JSON array) still verify: see
``canonical_row_v1`` and ``verification``.
"""

import hashlib
import json
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii as _string  # C escaper json itself uses

# The prev_hash of row 1.
GENESIS_HASH = "0" * 64

# Bumped if the canonical form ever changes; hashed into every row so old and new rows cannot
# be confused.
CANONICAL_VERSION = "pledge-audit-v2"
CANONICAL_VERSION_V1 = "pledge-audit-v1"

# Between the fields of the canonical form; never inside one.
SEPARATOR = "\x1f"
SEPARATOR_BYTE = SEPARATOR.encode("ascii")
# In prev_hash || canonical: version + nine columns make ten fields, so nine separators.
SEPARATORS = 9

# Details are a dict of any shape, so they go through the json module (sorted keys). One
# reusable encoder: json.dumps() with options builds a new one on every call.
_DETAILS_ENCODER = json.JSONEncoder(
    ensure_ascii=True, separators=(",", ":"), allow_nan=False, sort_keys=True
)

# The columns a row's hash covers, in canonical order.
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
# Those plus the two chain columns.
CHAIN_FIELDS = (*CANONICAL_FIELDS, "prev_hash", "hash")


def canonical_details(details: dict) -> str:
    """Deterministic JSON text of a details dict: sorted keys, no whitespace, ASCII only."""
    return _DETAILS_ENCODER.encode(details)


def timestamp_text(at: datetime) -> str:
    """UTC, ISO 8601, always with microseconds: ``2026-11-27T08:00:00.000000``."""
    if at.utcoffset():
        at = at.astimezone(UTC)
    # Fixed precision (isoformat() alone drops a zero microsecond part); [:26] drops "+00:00".
    return at.isoformat(timespec="microseconds")[:26]


def canonical_time(at: datetime) -> str:
    """``at`` in UTC as ``str()`` gives it: ``2026-11-27 08:00:00.000005``, no zero fraction."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return str(at)


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
    """The row's canonical bytes (v2): the version and the columns joined by ``SEPARATOR``."""
    return SEPARATOR.join(
        (
            CANONICAL_VERSION,
            str(int(sequence)),
            canonical_time(at),
            action,
            staff_id,
            subject_pseudonym,
            object_type,
            object_id,
            purpose,
            details_json,
        )
    ).encode("utf-8")


def canonical_row_v1(
    sequence: int,
    at: str,
    action: str,
    staff_id: str,
    subject_pseudonym: str,
    object_type: str,
    object_id: str,
    purpose: str,
    details_json: str,
) -> bytes:
    """A v1 row's canonical bytes: ``[version, sequence, at, action, ..., details]`` as compact
    JSON (``at`` already as ``timestamp_text``). Only to verify rows written before v2."""
    return (
        f'["{CANONICAL_VERSION_V1}",{sequence:d},"{at}",{_string(action)},'
        f"{_string(staff_id)},{_string(subject_pseudonym)},{_string(object_type)},"
        f"{_string(object_id)},{_string(purpose)},{_string(details_json)}]"
    ).encode("ascii")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256(prev_hash || canonical row bytes), as lowercase hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


# ``prev_hash || canonical row`` computed by each database from the stored columns, so a
# change to any column changes the bytes verify hashes.
# SQLite: the stored values as they are ("at" is the text Django stored), joined with ||,
# which keeps every byte of a value (printf would stop at a NUL character) and makes the whole
# message NULL should a column be NULL.
_SQLITE_MESSAGE = " || char(31) || ".join(
    (f"\"prev_hash\" || '{CANONICAL_VERSION}'", *(f'"{name}"' for name in CANONICAL_FIELDS))
)
# PostgreSQL: timestamptz rendered in UTC whatever the session's time zone or DateStyle; ||
# makes the whole message NULL should any column be NULL.
_PG_AT = (
    """CASE WHEN date_trunc('second', "at") = "at" """
    """THEN to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') """
    """ELSE to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') END"""
)
_PG_MESSAGE = (
    f'"prev_hash" || \'{CANONICAL_VERSION}\' || chr(31) || "sequence"::text || '
    f"chr(31) || {_PG_AT} || chr(31) || "
    + " || chr(31) || ".join(f'"{name}"' for name in CANONICAL_FIELDS[2:])
)
# Between the messages of a batch (ASCII record separator).
RECORD_SEPARATOR_BYTE = b"\x1e"


def message_expression(vendor: str) -> str:
    if vendor == "postgresql":
        return _PG_MESSAGE
    if vendor == "sqlite":
        return _SQLITE_MESSAGE
    raise NotImplementedError(f"audit verify supports no {vendor}")


def _placeholder(vendor: str) -> str:
    return "?" if vendor == "sqlite" else "%s"  # the DB-API drivers' own parameter styles


def rows_sql(vendor: str, table: str) -> str:
    """Rows with ``sequence >= ?`` as (sequence, prev_hash, hash, message), by sequence."""
    message = message_expression(vendor)
    if vendor == "sqlite":
        message = f"CAST({message} AS BLOB)"
    return (
        f'SELECT "sequence", "prev_hash", "hash", {message} '  # noqa: S608
        f'FROM {table} WHERE "sequence" >= {_placeholder(vendor)} ORDER BY "sequence"'
    )


def batch_sql(vendor: str, table: str) -> str:
    """One row for the rows with sequence between ? and ?: their count and, in sequence order,
    their sequence numbers, prev_hashes and hashes joined by commas and their messages joined
    by ``RECORD_SEPARATOR_BYTE``."""
    where = f'"sequence" BETWEEN {_placeholder(vendor)} AND {_placeholder(vendor)}'
    if vendor == "postgresql":
        return (
            "SELECT count(*), string_agg(\"sequence\"::text, ','), "  # noqa: S608
            "string_agg(\"prev_hash\", ','), string_agg(\"hash\", ','), string_agg(m, chr(30)) "
            f'FROM (SELECT "sequence", "prev_hash", "hash", {_PG_MESSAGE} AS m '
            f'FROM {table} WHERE {where} ORDER BY "sequence") AS batch'
        )
    if vendor == "sqlite":
        # No ordered subquery (SQLite would copy every row through it): the range scan of the
        # unique index on sequence is in sequence order, and verify checks that it was. A NULL
        # message is left out by group_concat, so the batch does not check out.
        return (
            "SELECT count(*), group_concat(\"sequence\", ','), "  # noqa: S608
            "group_concat(\"prev_hash\", ','), group_concat(\"hash\", ','), "
            f"CAST(group_concat({_SQLITE_MESSAGE}, char(30)) AS BLOB) FROM {table} WHERE {where}"
        )
    raise NotImplementedError(f"audit verify supports no {vendor}")


def outside_sql(vendor: str, table: str) -> str:
    """Whether any row has a sequence number below 1 or above ? (a row with none is not)."""
    return (
        f'SELECT 1 FROM {table} WHERE "sequence" < 1 '  # noqa: S608
        f'OR "sequence" > {_placeholder(vendor)} LIMIT 1'
    )
