"""Reads of the audit log: events by subject or object, the chain head, and verification."""

from django.db import router, transaction
from django.db.models import QuerySet

from .chain import CHAIN_FIELDS, GENESIS_HASH
from .models import AuditCheckpoint, AuditEvent
from .signing import SigningKeyMissing, verify_keys
from .verification import (
    ChainProblem,
    Checkpoint,
    VerifyReport,
    check_signatures,
    walk_chain,
)

VERIFY_CHUNK_SIZE = 5000


def audit_events_for_subject(*, subject_pseudonym: str) -> QuerySet[AuditEvent]:
    """What a subject did, e.g. for their Art. 15 access request."""
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


def audit_verify(*, chunk_size: int = VERIFY_CHUNK_SIZE) -> VerifyReport:
    """Walk the whole chain and check every checkpoint signature.

    Streams rows as tuples, never model instances, so memory stays flat for millions of rows.
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
    if checkpoints:
        try:
            keys = verify_keys()
        except SigningKeyMissing as error:
            problems.append(ChainProblem(0, "checkpoint", f"cannot check checkpoints: {error}"))
    valid, forged = check_signatures(checkpoints, keys)
    problems += forged
    signed_heads = {checkpoint.sequence: checkpoint.hash for checkpoint in valid}
    # Inside a transaction the PostgreSQL cursor is server-side and need not be kept (WITH
    # HOLD) past a commit, which would copy the whole result on the server first.
    with transaction.atomic(using=using):
        rows = (
            AuditEvent.objects.using(using)
            .order_by("sequence")
            .values_list(*CHAIN_FIELDS)
            .iterator(chunk_size=chunk_size)
        )
        count, head, problem = walk_chain(rows, signed_heads=signed_heads)
    if problem is not None:
        problems.append(problem)
    first = min(problems, key=lambda p: p.sequence) if problems else None
    return VerifyReport(rows=count, head_sequence=head, checkpoints=len(checkpoints), problem=first)
