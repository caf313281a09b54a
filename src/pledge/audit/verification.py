"""Walking the chain: find the first row that was changed, removed or inserted.

Pure functions over rows (tuples in ``chain.CHAIN_FIELDS`` order) and checkpoints, so they can
be tested without a database and run over a streamed query without model instances.

How each kind of tampering shows:

- changed: the row's hash no longer matches its content; or, when the hash was recomputed
  too, the next row no longer points back to it.
- removed: a gap in the sequence numbers, or fewer rows than a signed checkpoint covers.
- inserted: the row after it points back to the row before it (the chain "skips" it), or its
  sequence number repeats one already seen.

A consistent rewrite of every row after the last checkpoint cannot be told from the truth:
that is what checkpoints (and copying them elsewhere) are for.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .chain import GENESIS_HASH, canonical_row
from .signing import checkpoint_message, signature_valid


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    kind: str  # "changed", "removed", "inserted" or "checkpoint"
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Checkpoint:
    id: int
    sequence: int
    hash: str
    at: datetime
    key_id: str
    signature: str


@dataclass(frozen=True)
class VerifyReport:
    rows: int
    head_sequence: int
    checkpoints: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def changed(sequence: int, why: str) -> ChainProblem:
    return ChainProblem(sequence, "changed", f"audit row {sequence} was changed: {why}")


def removed(sequence: int, why: str) -> ChainProblem:
    return ChainProblem(sequence, "removed", f"audit row {sequence} was removed: {why}")


def inserted(sequence: int, why: str) -> ChainProblem:
    return ChainProblem(sequence, "inserted", f"audit row {sequence} was inserted: {why}")


def check_signatures(
    checkpoints: Iterable[Checkpoint], keys: Mapping
) -> tuple[list[Checkpoint], list[ChainProblem]]:
    """Split checkpoints into those whose signature holds and problems for the others."""
    valid, problems = [], []
    for checkpoint in checkpoints:
        message = checkpoint_message(
            sequence=checkpoint.sequence, head_hash=checkpoint.hash, at=checkpoint.at
        )
        if signature_valid(
            keys, key=checkpoint.key_id, signature=checkpoint.signature, message=message
        ):
            valid.append(checkpoint)
            continue
        problems.append(
            ChainProblem(
                checkpoint.sequence,
                "checkpoint",
                f"audit checkpoint {checkpoint.id} at row {checkpoint.sequence} has an invalid "
                "signature (forged, altered, or signed by an untrusted key)",
            )
        )
    return valid, problems


def walk_chain(
    rows: Iterable[tuple], *, signed_heads: Mapping[int, str]
) -> tuple[int, int, ChainProblem | None]:
    """Check every link; return (rows seen, last sequence, first problem or None).

    ``signed_heads`` maps a sequence number to the hash a valid checkpoint signed for it.
    """
    # Locals, and as little work per row as possible: this loop runs a million times.
    sha256, canonical_of = hashlib.sha256, canonical_row
    checkpoints = iter(sorted(signed_heads.items()))
    next_signed, signed_hash = next(checkpoints, (0, ""))
    # The hash the next row must point back to, and the one before it (to spot an insertion).
    link, before_link = GENESIS_HASH, None
    expected = 1
    last_checkpoint = 0
    rows = iter(rows)
    for row in rows:
        sequence, prev_hash, row_hash = row[0], row[9], row[10]
        if sequence != expected:
            return expected, sequence, _out_of_sequence(sequence, expected)
        if (
            prev_hash != link
            or sha256(prev_hash.encode() + canonical_of(*row[:9])).hexdigest() != row_hash
        ):
            content_ok = sha256(prev_hash.encode() + canonical_of(*row[:9])).hexdigest() == row_hash
            problem = _diagnose(row, next(rows, None), content_ok, link, before_link)
            return expected, sequence, problem
        if sequence == next_signed:
            if signed_hash != row_hash:
                why = f"it differs from the signed checkpoint (rows {last_checkpoint + 1}-"
                return expected, sequence, changed(sequence, f"{why}{sequence} were rewritten)")
            last_checkpoint = sequence
            next_signed, signed_hash = next(checkpoints, (0, ""))
        before_link = link
        link = row_hash
        expected += 1
    last = expected - 1
    if next_signed > last:
        beyond = max(signed_heads)
        why = f"a signed checkpoint covers row {beyond} but the chain ends at {last}"
        return last, last, removed(last + 1, why)
    return last, last, None


def _out_of_sequence(sequence: int, expected: int) -> ChainProblem:
    if sequence > expected:
        gap = f"rows {expected}-{sequence - 1} are" if sequence - expected > 1 else "it is"
        return removed(expected, f"{gap} missing before row {sequence}")
    return inserted(sequence, "its sequence number repeats")


def _diagnose(
    row: tuple, following: tuple | None, content_ok: bool, link: str, before_link: str | None
) -> ChainProblem:
    """Name the culprit once row ``row`` fails to chain or to match its hash."""
    sequence, prev_hash = row[0], row[9]
    if before_link is not None and prev_hash == before_link:
        # This row points past its predecessor to the row before it: the predecessor is new.
        return inserted(sequence - 1, f"row {sequence} chains past it to the row before")
    if following is not None and following[9] == link:
        return inserted(sequence, "the next row chains past it to the row before")
    if not content_ok:
        return changed(sequence, "its hash does not match its content")
    if sequence == 1:
        return changed(1, "it does not start from the genesis hash")
    # Its content and hash agree, yet the previous row's hash is not what it chains to: the
    # previous row was rewritten together with its hash.
    return changed(sequence - 1, f"row {sequence} does not chain to its hash")
