"""Reads of the audit log: events by subject or object, the chain head, and verification."""

import contextlib
import queue
import threading
from collections.abc import Iterator, Sequence

from django.db import connections, router, transaction
from django.db.models import QuerySet

from .chain import GENESIS_HASH, batch_sql, outside_sql, rows_sql
from .models import AuditCheckpoint, AuditEvent
from .pseudonyms import ERASED_SUBJECT_PSEUDONYM
from .signing import SigningKeyMissing, verify_keys
from .verification import (
    Batch,
    ChainProblem,
    Checkpoint,
    KeptCheckpoint,
    VerifyReport,
    check_signatures,
    merge_signed_heads,
    not_in_table,
    walk_chain,
)

VERIFY_CHUNK_SIZE = 5000


def audit_events_for_subject(*, subject_pseudonym: str) -> QuerySet[AuditEvent]:
    """What a subject did, e.g. for their Art. 15 access request.

    The pseudonym every erased subject shares names nobody: it finds nothing.
    """
    if subject_pseudonym == ERASED_SUBJECT_PSEUDONYM:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(subject_pseudonym=subject_pseudonym).order_by("sequence")


def audit_events_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """What happened to an object: who viewed it, why, and what was disclosed."""
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "sequence"
    )


def audit_head() -> tuple[int, str]:
    """(sequence, hash) of the newest row; (0, genesis hash) for an empty log."""
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return head or (0, GENESIS_HASH)


def audit_verify(
    *, chunk_size: int = VERIFY_CHUNK_SIZE, kept: Sequence[KeptCheckpoint] = ()
) -> VerifyReport:
    """Walk the whole chain and check every checkpoint signature.

    ``kept``: checkpoints kept outside the database (``verification.read_kept_checkpoints``).
    Their signatures are checked like the stored ones'; the chain must match each, and the
    table must still hold each.

    Reads the rows in batches the database aggregates (see ``_DatabaseChain``), never model
    instances, so memory stays flat for millions of rows.
    """
    using = router.db_for_read(AuditEvent)
    # Checkpoints first: every row a checkpoint covers was committed before it, so the walk
    # below (a later snapshot) sees them even while new events are being appended.
    checkpoints = [
        Checkpoint(*values)
        for values in AuditCheckpoint.objects.using(using)
        .order_by("sequence", "id")
        .values_list("id", "sequence", "hash", "at", "key_id", "signature")
    ]
    problems: list[ChainProblem] = []
    keys = {}
    if checkpoints or kept:
        try:
            keys = verify_keys()
        except SigningKeyMissing as error:
            problems.append(ChainProblem(0, "checkpoint", f"cannot check checkpoints: {error}"))
    valid_kept, forged_kept = check_signatures(kept, keys)
    valid, forged = check_signatures(checkpoints, keys)
    problems += forged_kept + forged + not_in_table(valid_kept, checkpoints)
    # Kept ones first: where a stored checkpoint signed another hash for a row, the copy kept
    # outside the database is the one the chain is held to.
    signed_heads, conflicts = merge_signed_heads([*valid_kept, *valid])
    problems += conflicts
    with transaction.atomic(using=using):
        source = _DatabaseChain(using, chunk_size)
        count, head, problem = walk_chain(source, signed_heads=signed_heads)
    if problem is not None:
        problems.append(problem)
    problems.sort(key=lambda found: found.sequence)  # stable: ties keep the order found
    return VerifyReport(
        rows=count,
        head_sequence=head,
        checkpoints=len(checkpoints),
        problems=tuple(problems),
        kept=len(kept),
    )


class _DatabaseChain:
    """The audit table as a ``verification.ChainSource``, read with the DB-API driver itself.

    The ORM's per-row cost was most of verify's: the database aggregates a batch of rows'
    stored messages into a few strings, read in one fetch. A thread fetches the
    next batch while the caller hashes this one: the driver lets go of the GIL while the
    database works, so reading and hashing overlap. Use it inside a transaction (the
    PostgreSQL row walk is a server-side cursor), one walk at a time.
    """

    def __init__(self, using: str, chunk_size: int):
        connection = connections[using]
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        self.size = chunk_size
        self.table = table = connection.ops.quote_name(AuditEvent._meta.db_table)
        self.batch_sql = batch_sql(self.vendor, table)
        self.rows_sql = rows_sql(self.vendor, table)
        self.outside_sql = outside_sql(self.vendor, table)
        self.unreadable_sql = f'SELECT "id" FROM {table} WHERE "sequence" IS NULL LIMIT 1'  # noqa: S608

    def _cursor(self):
        return self.raw.cursor()

    def _fetch_batch(self, cursor, first: int) -> Batch:
        cursor.execute(self.batch_sql, (first, first + self.size - 1))
        count, lowest, highest, prev_hashes, hashes, messages = cursor.fetchone()
        if isinstance(messages, str):  # PostgreSQL sends text: one encode for the batch
            messages = messages.encode("utf-8")
        return Batch(first, count, lowest, highest, prev_hashes, hashes, messages)

    def batches(self, first: int) -> Iterator[Batch]:
        ready: queue.Queue = queue.Queue(maxsize=2)
        stop = threading.Event()

        def fetch() -> None:
            start = first
            try:
                cursor = self._cursor()
                try:
                    while not stop.is_set():
                        batch = self._fetch_batch(cursor, start)
                        ready.put(batch)
                        if batch.count < self.size:
                            break
                        start += self.size
                finally:
                    cursor.close()
            except BaseException as error:
                ready.put(error)
            ready.put(None)

        thread = threading.Thread(target=fetch, name="pledge-audit-verify", daemon=True)
        thread.start()
        try:
            while (batch := ready.get()) is not None:
                if isinstance(batch, BaseException):
                    raise batch
                if batch.count:
                    yield batch
        finally:
            stop.set()
            while thread.is_alive():  # unblock a put(), then wait until it let go of the cursor
                with contextlib.suppress(queue.Empty):
                    ready.get(timeout=0.05)
            thread.join()

    def rows(self, first: int | None) -> Iterator[tuple]:
        if self.vendor == "postgresql":
            cursor = self.raw.cursor(name="pledge_audit_verify")
            cursor.itersize = self.size
        else:
            cursor = self.raw.cursor()
        try:
            cursor.execute(self.rows_sql, (-(2**63) if first is None else first,))
            while rows := cursor.fetchmany(self.size):
                for sequence, row_hash, message in rows:
                    if isinstance(message, str):
                        message = message.encode("utf-8")
                    yield sequence, row_hash, message
        finally:
            cursor.close()

    def below_one(self) -> bool:
        return self._outside(0, below_only=True)

    def beyond(self, last: int) -> bool:
        return self._outside(last)

    def unreadable(self) -> int | None:
        cursor = self._cursor()
        try:
            cursor.execute(self.unreadable_sql)
            found = cursor.fetchone()
            return None if found is None else found[0]
        finally:
            cursor.close()

    def _outside(self, last: int, *, below_only: bool = False) -> bool:
        cursor = self._cursor()
        try:
            # Below 1 or above last; "below only" asks with an upper bound no row can pass.
            cursor.execute(self.outside_sql, (2**63 - 1 if below_only else last,))
            return cursor.fetchone() is not None
        finally:
            cursor.close()
