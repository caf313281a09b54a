"""The erasure log: ids of shredded subjects, in an append-only file outside both databases.

A restore of the databases from a backup brings erased keys back; this file does not go back
with them, so ``pledge vault replay-erasures`` can shred them again. It holds no personal data:
a random subject id, the key kinds and a time. One JSON object per line, each appended with
O_APPEND (one write, so concurrent writers never interleave) and fsynced before the erasure
goes on, so a crash cannot lose an erasure that has started.
"""

import datetime
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import conf


@dataclass(frozen=True)
class Tombstone:
    subject_id: uuid.UUID
    kinds: frozenset[str]
    at: datetime.datetime


def tombstone_append(subject_id: uuid.UUID, *, kinds: frozenset[str], path: Path | None = None):
    path = path or conf.tombstone_path()
    now = datetime.datetime.now(datetime.UTC)
    line = json.dumps(
        {"v": 1, "subject": str(subject_id), "keys": sorted(kinds), "at": now.isoformat()},
        separators=(",", ":"),
    )
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        # A new file's directory entry must be durable too, or a crash could lose the file.
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return Tombstone(subject_id, frozenset(kinds), now)


def tombstones_read(path: Path | None = None) -> Iterator[Tombstone]:
    path = path or conf.tombstone_path()
    if not path.exists():
        return
    with path.open("rb") as handle:
        for raw in handle:
            entry = _parse(raw)
            if entry is not None:
                yield Tombstone(
                    uuid.UUID(entry["subject"]),
                    frozenset(entry["keys"]),
                    datetime.datetime.fromisoformat(entry["at"]),
                )


def _parse(raw: bytes) -> dict | None:
    # A line torn by a power loss mid-write has no newline, and the next append continues it.
    # The torn erasure never got past step 1 and its caller saw it fail; the line after it is
    # whole, so parse from the last record start.
    try:
        return json.loads(raw)
    except ValueError:
        start = raw.rfind(b'{"v":')
        try:
            return json.loads(raw[start:]) if start > 0 else None
        except ValueError:
            return None
