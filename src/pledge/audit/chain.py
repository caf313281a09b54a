"""The hash chain: canonical row bytes and how one row's hash follows from the previous one.

Shared by the writer (services) and the checker (verification), so both agree byte for byte.
The canonical form depends only on the values, never on the database backend, so a log moved
from SQLite to PostgreSQL still verifies.
"""

import hashlib
import json
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii as _string  # C escaper json itself uses

# The prev_hash of row 1.
GENESIS_HASH = "0" * 64

# Bumped if the canonical form ever changes; hashed into every row so old and new rows cannot
# be confused.
CANONICAL_VERSION = "pledge-audit-v1"

# Details are a dict of any shape, so they go through the json module (sorted keys). One
# reusable encoder: json.dumps() with options builds a new one on every call.
_DETAILS_ENCODER = json.JSONEncoder(
    ensure_ascii=True, separators=(",", ":"), allow_nan=False, sort_keys=True
)

# The columns, in the order verify reads them (see selectors.audit_verify).
CHAIN_FIELDS = (
    "sequence",
    "at",
    "action",
    "staff_id",
    "subject_pseudonym",
    "object_type",
    "object_id",
    "purpose",
    "details_json",
    "prev_hash",
    "hash",
)


def canonical_details(details: dict) -> str:
    """Deterministic JSON text of a details dict: sorted keys, no whitespace, ASCII only."""
    return _DETAILS_ENCODER.encode(details)


def timestamp_text(at: datetime) -> str:
    """UTC, ISO 8601, always with microseconds: ``2026-11-27T08:00:00.000000``."""
    if at.utcoffset():
        at = at.astimezone(UTC)
    # Fixed precision (isoformat() alone drops a zero microsecond part); [:26] drops "+00:00".
    return at.isoformat(timespec="microseconds")[:26]


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
    """The row as the compact JSON array ``[version, sequence, at, action, ..., details]``.

    Byte for byte what ``json.dumps(array, ensure_ascii=True, separators=(",", ":"))`` gives
    (a test holds it to that), written out with json's own string escaper because building
    an encoder per row was most of the cost of verifying a million rows.
    """
    return (
        f'["{CANONICAL_VERSION}",{sequence:d},"{timestamp_text(at)}",{_string(action)},'
        f"{_string(staff_id)},{_string(subject_pseudonym)},{_string(object_type)},"
        f"{_string(object_id)},{_string(purpose)},{_string(details_json)}]"
    ).encode("ascii")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256(prev_hash || canonical row bytes), as lowercase hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()
