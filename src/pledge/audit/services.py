"""Writes to the audit log: append events to the hash chain, sign checkpoints.

Callers record *that* something happened, with ids and codes, never the personal data itself:
``details`` holds non-personal facts only (counts, policy ids, reason codes) and is refused
when it looks otherwise (see ``guards``). Call these inside the caller's own
``transaction.atomic`` so the event commits or rolls back with the change it describes; call
them last in that transaction, because the chain lock is held until it commits.
"""

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from pledge.policy.schema import UnknownPolicyId
from pledge.policy.selectors import current_policy

from .chain import GENESIS_HASH, canonical_row, chain_message
from .conf import checkpoint_every
from .guards import AuditRecordRejected, check_actor, check_details, check_text
from .models import AuditAction, AuditCheckpoint, AuditEvent
from .pseudonyms import ERASED_SUBJECT_PSEUDONYM, set_pseudonym_source, subject_pseudonym_for
from .signing import SigningKeyMissing, sign_checkpoint

__all__ = [
    "ERASED_SUBJECT_PSEUDONYM",
    "AuditEntry",
    "AuditRecordRejected",
    "audit_checkpoint",
    "audit_record",
    "audit_record_many",
    "set_pseudonym_source",
    "subject_pseudonym_for",
]

logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that serialises appends: any fixed 64-bit number that no
# other code uses; this one spells "pledgeAL".
CHAIN_LOCK_KEY = 0x706C65646765414C

# SQLite transaction modes whose BEGIN already takes the database's write lock.
_SQLITE_WRITE_LOCKED_AT_BEGIN = frozenset({"IMMEDIATE", "EXCLUSIVE"})

_OBJECT_TYPE = re.compile(r"[a-z][a-z0-9_.]{0,63}")


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One event for ``audit_record_many``; the fields mean what ``audit_record``'s do."""

    action: AuditAction | str
    staff_id: Any = None
    subject_pseudonym: str | None = None
    object_type: str = ""
    object_id: Any = ""
    purpose: str = ""
    details: dict | None = None


def audit_record(
    *,
    action: AuditAction | str,
    staff_id: Any = None,
    subject_pseudonym: str | None = None,
    object_type: str = "",
    object_id: Any = "",
    purpose: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log.

    ``staff_id``: the acting staff account's id; ``subject_pseudonym``: the acting subject, as
    derived by ``subject_pseudonym_for(subject_id=...)``; neither when the system acted.
    ``object_type``/``object_id``: what was acted on (refer to a person by pseudonym, with
    ``object_type="subject"``). ``purpose``: a policy purpose id, required for
    ``personal_data_viewed`` and ``disclosure``. ``details``: non-personal facts only, at
    most 2 KB of JSON (str, int, bool, None, list, dict). Raises ``AuditRecordRejected``.
    """
    entry = AuditEntry(
        action=action,
        staff_id=staff_id,
        subject_pseudonym=subject_pseudonym,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=details,
    )
    return audit_record_many(entries=[entry])[0]


def audit_record_many(*, entries: Iterable[AuditEntry]) -> list[AuditEvent]:
    """Append several events under one lock, chained in memory and inserted in one go.

    All or nothing: one rejected entry rejects the batch before anything is written.
    """
    # Vet everything before taking the lock, so other writers wait only for the insert.
    vetted = [_vet(entry) for entry in entries]
    if not vetted:
        return []
    using = router.db_for_write(AuditEvent)
    # No savepoint of its own: inside a caller's transaction the events commit or roll back
    # with the change they record, and a failed append fails that transaction as it should.
    with transaction.atomic(using=using, savepoint=False):
        sequence, prev_hash = _lock_chain_and_read_head(using)
        first = sequence + 1
        # One clock reading under the lock keeps time order equal to chain order.
        at = timezone.now()
        events = []
        for action, staff, pseudonym, object_type, object_id, purpose, details_json in vetted:
            sequence += 1
            message = chain_message(
                prev_hash,
                canonical_row(
                    sequence,
                    at,
                    action,
                    staff,
                    pseudonym,
                    object_type,
                    object_id,
                    purpose,
                    details_json,
                ),
            )
            row_hash = hashlib.sha256(message).hexdigest()
            events.append(AuditEvent(message=message.decode("ascii"), hash=row_hash))
            prev_hash = row_hash
        AuditEvent.objects.using(using).bulk_create(events, batch_size=500)
        every = checkpoint_every()
        if every and sequence // every > (first - 1) // every:
            _automatic_checkpoint(using, sequence=sequence, head_hash=prev_hash)
    return events


def audit_checkpoint() -> AuditCheckpoint | None:
    """Sign the current head of the chain; None when the log is still empty.

    Raises ``SigningKeyMissing`` when no signing key is configured.
    """
    using = router.db_for_write(AuditCheckpoint)
    with transaction.atomic(using=using):
        sequence, head_hash = _lock_chain_and_read_head(using)
        if sequence == 0:
            return None
        return _write_checkpoint(using, sequence=sequence, head_hash=head_hash)


def _write_checkpoint(using: str, *, sequence: int, head_hash: str) -> AuditCheckpoint:
    at = timezone.now()
    key, signature = sign_checkpoint(sequence=sequence, head_hash=head_hash, at=at)
    return AuditCheckpoint.objects.using(using).create(
        sequence=sequence, hash=head_hash, at=at, key_id=key, signature=signature
    )


def _automatic_checkpoint(using: str, *, sequence: int, head_hash: str) -> None:
    # A missing key must not lose the event (or fail the sign-in it records); the system
    # check audit.W001 and this warning tell the operator instead.
    try:
        _write_checkpoint(using, sequence=sequence, head_hash=head_hash)
    except SigningKeyMissing:
        logger.warning("audit checkpoint at row %s skipped: no signing key configured", sequence)


def _lock_chain_and_read_head(using: str) -> tuple[int, str]:
    """Take the chain lock until the surrounding transaction ends; return the head under it.

    Two writers that both read head N and both append N+1 would fork the chain (the unique
    sequence makes one of them fail instead; the lock makes them wait their turn). The head
    must be read after the lock is granted, in a statement of its own: under READ COMMITTED
    (Django's default) each statement sees what was committed before it started.
    """
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    head_sql = f"SELECT sequence, hash FROM {table} ORDER BY sequence DESC LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Released at commit or rollback. Both statements go in one round trip (no
            # parameters, so the driver may send them together); each has its own snapshot.
            cursor.execute(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY:d}); {head_sql}")
            cursor.nextset()
        elif connection.vendor == "sqlite":
            # SQLite has one writer at a time. A transaction begun IMMEDIATE (Pledge's setting)
            # holds that lock from its BEGIN; otherwise a write that changes nothing takes it
            # now instead of at the insert, so the head read below is already under it.
            if connection.transaction_mode not in _SQLITE_WRITE_LOCKED_AT_BEGIN:
                cursor.execute(f"UPDATE {table} SET sequence = sequence WHERE 0 = 1")  # noqa: S608
            cursor.execute(head_sql)
        else:
            raise NotImplementedError(f"the audit chain lock supports no {connection.vendor}")
        head = cursor.fetchone()
    return (head[0], head[1]) if head else (0, GENESIS_HASH)


def _vet(entry: AuditEntry) -> tuple[str, str, str, str, str, str, str]:
    try:
        action = AuditAction(entry.action).value
    except ValueError:
        raise AuditRecordRejected(f"unknown audit action {entry.action!r}") from None
    staff, pseudonym = check_actor(
        staff_id=entry.staff_id, subject_pseudonym=entry.subject_pseudonym
    )
    object_type = entry.object_type or ""
    object_id = str(entry.object_id) if entry.object_id not in (None, "") else ""
    if object_type and not _OBJECT_TYPE.fullmatch(object_type):
        raise AuditRecordRejected("object_type is a model label or kind, like 'shop.order'")
    check_text("object_id", object_id, max_length=128)
    details_json = check_details(entry.details)
    purpose = entry.purpose or ""
    check_text("purpose", purpose, max_length=64)
    _check_purpose(action, purpose=purpose, staff=staff, details=entry.details or {})
    return action, staff, pseudonym, object_type, object_id, purpose, details_json


def _check_purpose(action: str, *, purpose: str, staff: str, details: dict) -> None:
    policy = current_policy()
    if purpose:
        try:
            policy.purpose(purpose)
        except UnknownPolicyId:
            raise AuditRecordRejected(f"purpose {purpose!r} is not in the policy") from None
    if action == AuditAction.PERSONAL_DATA_VIEWED and not (purpose and staff):
        # Art. 5(2) accountability: every staff view of personal data names who and why.
        raise AuditRecordRejected("personal_data_viewed needs staff_id and purpose")
    if action == AuditAction.DISCLOSURE:
        recipient = details.get("recipient")
        if not purpose or not isinstance(recipient, str):
            raise AuditRecordRejected("disclosure needs purpose and details['recipient']")
        try:
            policy.recipient(recipient)
        except UnknownPolicyId:
            raise AuditRecordRejected(f"recipient {recipient!r} is not in the policy") from None
