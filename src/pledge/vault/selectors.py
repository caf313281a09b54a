"""Reads of the vault. Nothing here returns key material."""

import datetime
import uuid

from pledge.policy.selectors import current_policy

from .exceptions import vault_reachable
from .models import SubjectKey
from .routers import VAULT_DATABASE
from .tombstones import Tombstone, tombstones_read


def subject_key_kinds(subject_id: uuid.UUID) -> frozenset[str]:
    """The key kinds a subject still has, asked of the vault now (never of a request's cached
    keys): empty once fully erased (or never created)."""
    with vault_reachable():
        return frozenset(
            SubjectKey.objects.using(VAULT_DATABASE)
            .filter(subject_id=subject_id)
            .values_list("kind", flat=True)
        )


def subject_tombstones(subject_id: uuid.UUID) -> list[Tombstone]:
    """The erasures recorded for one subject, oldest first (reads the whole log: not hot)."""
    return [t for t in tombstones_read() if t.subject_id == subject_id]


def erasure_final_at(tombstone: Tombstone) -> datetime.datetime:
    """When the last vault backup holding the shredded key is destroyed.

    Until then a restore could bring the key back; the tombstone replay is what erases it
    again. The period is the policy's ``storage.vault_backup_retention``.
    """
    retention = current_policy().storage.vault_backup_retention
    return tombstone.at + datetime.timedelta(days=retention.days)
