"""Writes of the vault: creating subjects, erasing them, rotating the master key.

Erasure spans two databases and a file, so it cannot be one transaction. It is a fixed sequence
of idempotent steps instead, each safe to repeat, so a crash at any point is repaired by running
it again (or by ``pledge vault replay-erasures``):

1. append the tombstone (outside both databases, survives a restore);
2. null the subject's lookup blind indexes in the main database (one UPDATE per model);
3. delete the subject's keys in the vault: every ciphertext under them is now noise;
4. null the lookup blind indexes once more.

Step 2 comes before step 3, so a crash between them leaves no findable index behind keys that
are gone. Step 4 is for a save that raced the erasure: a request that loaded the row (and
cached its keys) before step 2 writes the old index back when it saves. ``BlindIndexField``
asks the vault, not the request's cache, before it writes a lookup index, so only a save that
asked before step 3 still writes one, and step 4 nulls it, unless that save's transaction
commits later still. Each pass is one UPDATE per model, whatever the subject's history.
"""

import uuid
from collections.abc import Iterable
from itertools import batched

from django.db import transaction
from django.db.models import Q

from pledge.audit.services import AuditAction, audit_record

from . import conf
from .exceptions import VaultUnavailable, vault_reachable
from .keys import forget_subject, forget_subjects, new_subject_keys, unwrap_key, wrap_key
from .models import KeyKind, Subject, SubjectKey
from .registry import erasable_indexes
from .routers import VAULT_DATABASE
from .tombstones import tombstone_append, tombstones_read

BATCH = 500  # subject ids per statement: well under SQLite's and PostgreSQL's parameter limits


def subject_create() -> uuid.UUID:
    """A new subject with a fresh profile key and retention key; returns its id.

    Call it before writing the person's rows: the vault commits first, so a failure later leaves
    at most an unused subject, never personal data without a key.
    """
    subject_id = uuid.uuid4()
    rows = new_subject_keys(subject_id)
    try:
        with vault_reachable(), transaction.atomic(using=VAULT_DATABASE):
            Subject.objects.using(VAULT_DATABASE).create(id=subject_id)
            SubjectKey.objects.using(VAULT_DATABASE).bulk_create(rows)
    except VaultUnavailable:
        forget_subject(subject_id)
        raise
    return subject_id


def subject_shred(subject_id: uuid.UUID, *, keys: Iterable[str] = (KeyKind.PROFILE,)) -> None:
    """Erase a subject's data under the given keys (default: the profile key only).

    The retention key (invoice name and address) is shredded later, when its legal period has
    run out: ``subject_shred(subject_id, keys=("retention",))``.
    """
    subject_id = _uuid(subject_id)
    kinds = _kinds(keys)
    tombstone_append(subject_id, kinds=kinds)  # step 1
    _erase([subject_id], kinds)  # steps 2 to 4
    # Accountability (Art. 5(2)): the tamper-evident log shows that and when the person was
    # erased. By their subject id, which the tombstone and the records kept under the retention
    # key hold anyway; their pseudonym died with the profile key.
    audit_record(
        action=AuditAction.ERASURE,
        object_type="vault.subject",
        object_id=str(subject_id),
        details={"keys": sorted(kinds)},
    )


def erasures_replay() -> int:
    """Apply every tombstone again (after a restore of either database); idempotent.

    Returns the number of erased subjects the log holds.
    """
    by_kinds: dict[frozenset[str], set[uuid.UUID]] = {}
    erased: dict[uuid.UUID, set[str]] = {}
    for tombstone in tombstones_read():
        erased.setdefault(tombstone.subject_id, set()).update(tombstone.kinds)
    for subject_id, kinds in erased.items():
        by_kinds.setdefault(frozenset(kinds), set()).add(subject_id)
    for kinds, subject_ids in by_kinds.items():
        for batch in batched(sorted(subject_ids), BATCH, strict=False):
            _erase(batch, kinds)
    # A restore may have taken the log back too: say that the erasures were applied again.
    audit_record(
        action=AuditAction.ERASURE,
        object_type="vault.tombstones",
        details={"replayed_subjects": len(erased)},
    )
    return len(erased)


def master_key_rotate(*, batch_size: int = BATCH) -> int:
    """Re-wrap every subject key with the newest master key; the data is not touched.

    Returns how many keys were re-wrapped. Safe to interrupt and run again: each batch commits
    on its own and only keys under an older version are picked up.
    """
    newest = conf.master_keyring().newest_version
    rewrapped = 0
    stale = SubjectKey.objects.using(VAULT_DATABASE).exclude(master_version=newest)
    while True:
        with transaction.atomic(using=VAULT_DATABASE):
            batch = list(stale.select_for_update().order_by("pk")[:batch_size])
            if not batch:
                return rewrapped
            for row in batch:
                key = unwrap_key(
                    row.wrapped_key,
                    subject_id=row.subject_id,
                    kind=row.kind,
                    master_version=row.master_version,
                )
                row.wrapped_key, row.master_version = wrap_key(
                    key, subject_id=row.subject_id, kind=row.kind
                )
            SubjectKey.objects.using(VAULT_DATABASE).bulk_update(
                batch, ["wrapped_key", "master_version"]
            )
            rewrapped += len(batch)


def _erase(subject_ids: Iterable[uuid.UUID], kinds: frozenset[str]) -> None:
    """Steps 2 to 4 of an erasure (see the module docstring); each is safe to repeat."""
    subject_ids = list(subject_ids)
    _indexes_null(subject_ids, kinds)
    _keys_delete(subject_ids, kinds)
    _indexes_null(subject_ids, kinds)  # a save that raced the erasure wrote one back


def _indexes_null(subject_ids: Iterable[uuid.UUID], kinds: frozenset[str]) -> None:
    subject_ids = list(subject_ids)
    with transaction.atomic(using="default"):
        for erasable in erasable_indexes(kinds):
            still_set = Q()
            for attname in erasable.index_attnames:
                still_set |= Q(**{f"{attname}__isnull": False})
            erasable.model._base_manager.using("default").filter(
                still_set, **{f"{erasable.subject_attname}__in": subject_ids}
            ).update(**dict.fromkeys(erasable.index_attnames))


def _keys_delete(subject_ids: Iterable[uuid.UUID], kinds: frozenset[str]) -> None:
    subject_ids = list(subject_ids)
    with vault_reachable(), transaction.atomic(using=VAULT_DATABASE):
        SubjectKey.objects.using(VAULT_DATABASE).filter(
            subject_id__in=subject_ids, kind__in=kinds
        ).delete()
        # A subject without any key left is gone altogether.
        Subject.objects.using(VAULT_DATABASE).filter(id__in=subject_ids, keys__isnull=True).delete()
    forget_subjects(subject_ids)


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _kinds(values: Iterable[str]) -> frozenset[str]:
    kinds = frozenset(str(value) for value in ([values] if isinstance(values, str) else values))
    unknown = kinds - set(KeyKind.values)
    if not kinds or unknown:
        raise ValueError(f"keys must be a non-empty subset of {KeyKind.values}, not {set(kinds)}")
    return kinds
