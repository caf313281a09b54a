"""Walking the chain: find the first row that was changed, removed or inserted.

Works on a ``ChainSource`` (the database, see ``selectors``; or anything else in tests) and the
checkpoints, never on model instances. A row is its stored message, ``prev_hash || canonical
row``, and its hash; every column an auditor reads is generated from the message by the
database (``models.MessageItem``), so hashing the message covers all of them.

Speed: the rows come in batches of consecutive sequence numbers that the database aggregated
into a few long strings (``chain.batch_sql``), and an intact batch is checked with a handful
of whole-batch operations that run in C: its sequence numbers against the range, the
recomputed hashes against the stored ones as one string, each message's prev_hash against the
previous row's hash. From the first batch that is not intact the walk goes row by row
(``chain.rows_sql``) to name the culprit.

How each kind of tampering shows:

- changed: the row's hash no longer matches its content; or, when the hash was recomputed
  too, the next row no longer points back to it.
- removed: a gap in the sequence numbers, or fewer rows than a signed checkpoint covers.
- inserted: the row after it points back to the row before it (the chain "skips" it), or its
  sequence number repeats one already seen, or is no integer at all (SQLite reads whatever
  the message's JSON holds there: text, or a number like 1.5 or 1e22; such a row is named
  where it sorts, by its hash).

A consistent rewrite of every row after the last checkpoint cannot be told from the truth:
that is what checkpoints (and copying them elsewhere) are for. Nor can the table alone tell
that checkpoints were deleted along with such a rewrite: the checkpoint lines kept outside the
database (``read_kept_checkpoints``) join the stored ones as signed heads, and each must still
be in the table.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .chain import GENESIS_HASH, HASH_LENGTH, MESSAGE_HEAD, RECORD_SEPARATOR_BYTE, timestamp_text
from .signing import checkpoint_message, signature_valid

_HEXDIGEST = type(hashlib.sha256()).hexdigest


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    kind: str  # "changed", "removed", "inserted" or "checkpoint"
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Checkpoint:
    id: int | None
    sequence: int
    hash: str
    at: datetime
    key_id: str
    signature: str

    @property
    def name(self) -> str:
        return f"audit checkpoint {self.id}"


@dataclass(frozen=True)
class KeptCheckpoint(Checkpoint):
    """A line ``pledge audit checkpoint`` printed, kept outside the database: line ``line``
    of ``file``."""

    line: int
    file: str

    @property
    def name(self) -> str:
        number = "" if self.id is None else f" {self.id}"
        return f"kept checkpoint{number} (line {self.line} of {self.file})"


@dataclass(frozen=True)
class VerifyReport:
    rows: int
    head_sequence: int
    checkpoints: int
    # Along the chain: by sequence number, then in the order they were found.
    problems: tuple[ChainProblem, ...] = ()
    kept: int = 0

    @property
    def problem(self) -> ChainProblem | None:
        """The first problem along the chain."""
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems


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
                f"{checkpoint.name} at row {checkpoint.sequence} has an invalid signature "
                "(forged, altered, or signed by an untrusted key)",
            )
        )
    return valid, problems


def merge_signed_heads(
    checkpoints: Iterable[Checkpoint],
) -> tuple[dict[int, str], list[ChainProblem]]:
    """The hash signed for each sequence number, from checkpoints whose signature holds.

    The first checkpoint given for a sequence number is the one the chain must match; one that
    signed another hash for it is a problem (only whoever holds the signing key can have made
    the two), since the walk can hold the chain to one hash per row.
    """
    first: dict[int, Checkpoint] = {}
    problems = []
    for checkpoint in checkpoints:
        signed = first.setdefault(checkpoint.sequence, checkpoint)
        if signed.hash != checkpoint.hash:
            problems.append(
                ChainProblem(
                    checkpoint.sequence,
                    "checkpoint",
                    f"{checkpoint.name} at row {checkpoint.sequence} signed another hash "
                    f"than {signed.name}",
                )
            )
    return {sequence: signed.hash for sequence, signed in first.items()}, problems


def not_in_table(
    kept: Iterable[KeptCheckpoint], stored: Iterable[Checkpoint]
) -> list[ChainProblem]:
    """Problems for the kept checkpoints that the table no longer holds.

    A checkpoint is held when a stored one has its sequence number, hash, key and signature
    (the signature covers its time): the table's ids may differ after a restore.
    """
    held = {_signed_content(checkpoint) for checkpoint in stored}
    return [
        ChainProblem(
            checkpoint.sequence,
            "checkpoint",
            f"{checkpoint.name} at row {checkpoint.sequence} is not in the audit checkpoint "
            "table: checkpoints were deleted",
        )
        for checkpoint in kept
        if _signed_content(checkpoint) not in held
    ]


def _signed_content(checkpoint: Checkpoint) -> tuple:
    return checkpoint.sequence, checkpoint.hash, checkpoint.key_id, checkpoint.signature.lower()


# What ``pledge audit checkpoint`` prints for an empty log: a file of its output may hold it.
NOTHING_TO_SIGN = "audit log is empty: nothing to sign"
_KEPT_FIELDS = ("sequence", "hash", "at", "key_id", "signature")
_HASH_TEXT = re.compile(r"[0-9a-f]{64}")


class _Malformed(ValueError):
    pass


def read_kept_checkpoints(
    lines: Iterable[bytes | str], *, file: str
) -> tuple[list[KeptCheckpoint], list[str]]:
    """The checkpoints in lines ``pledge audit checkpoint`` printed, and one error for each
    line that is not such a line, naming its number (1 is the first). Blank lines and the
    command's "nothing to sign" are skipped. Nothing of a line is echoed: it could be anything.
    """
    kept, errors = [], []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            line = line.decode("utf-8", "replace")  # then it is no JSON: reported below
        line = line.strip()
        if not line or line == NOTHING_TO_SIGN:
            continue
        try:
            kept.append(_kept_checkpoint(line, number=number, file=file))
        except _Malformed as error:
            errors.append(f"{file} line {number}: {error}")
    return kept, errors


def _kept_checkpoint(line: str, *, number: int, file: str) -> KeptCheckpoint:
    try:
        fields = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: deeply nested brackets
        fields = None
    if not isinstance(fields, dict):
        raise _Malformed("not a JSON object as `pledge audit checkpoint` prints")
    for name in _KEPT_FIELDS:
        if name not in fields:
            raise _Malformed(f'"{name}" is missing')
    checkpoint_id = fields.get("checkpoint")  # the table's id: named in messages if present
    sequence, head_hash = fields["sequence"], fields["hash"]
    if checkpoint_id is not None and not _whole_number(checkpoint_id):
        raise _Malformed('"checkpoint" is not a checkpoint id')
    if not _whole_number(sequence) or sequence < 1:
        raise _Malformed('"sequence" is not a row number')
    if not isinstance(head_hash, str) or not _HASH_TEXT.fullmatch(head_hash):
        raise _Malformed('"hash" is not 64 lowercase hex digits')
    try:
        at = datetime.fromisoformat(fields["at"])
        timestamp_text(at)  # what the signature covers; out of range in UTC for some times
    except (TypeError, ValueError, OverflowError):
        raise _Malformed('"at" is not an ISO 8601 time') from None
    for name in ("key_id", "signature"):
        if not isinstance(fields[name], str):
            raise _Malformed(f'"{name}" is not text')
    return KeptCheckpoint(
        checkpoint_id,
        sequence,
        head_hash,
        at,
        fields["key_id"],
        fields["signature"],
        line=number,
        file=file,
    )


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Batch:
    """The rows with sequence numbers ``first`` to ``first + size - 1``, as the database
    aggregated them (``chain.batch_sql``): ``count`` rows (those with an integer sequence
    number), the lowest and highest sequence number, their prev_hashes (generated from the
    messages) and hashes joined by commas, and their messages joined by
    ``RECORD_SEPARATOR_BYTE``."""

    first: int
    count: int
    lowest: int | None
    highest: int | None
    prev_hashes: str | None
    hashes: str | None
    messages: bytes | None


class ChainSource(Protocol):
    """Where the walk reads the chain from (``selectors`` implements it over the database)."""

    def batches(self, first: int) -> Iterator[Batch]:
        """Consecutive batches from ``first`` on, ending after the first short one."""

    def rows(self, first: int | None) -> Iterator[tuple]:
        """``(sequence, hash, message)`` from ``first`` on (None: every row)."""

    def below_one(self) -> bool:
        """Whether any row has a sequence number below 1."""

    def beyond(self, last: int) -> bool:
        """Whether any row has a sequence number above ``last``."""

    def unreadable(self) -> int | None:
        """The id of a row whose message yields no sequence number, if there is one."""


def walk_chain(
    source: ChainSource, *, signed_heads: Mapping[int, str]
) -> tuple[int, int, ChainProblem | None]:
    """Check every link; return (rows seen, last sequence, first problem or None).

    ``signed_heads`` maps a sequence number to the hash a valid checkpoint signed for it.
    """
    walk = _Walk(signed_heads)
    batches = source.batches(1)
    failed = False
    try:
        for batch in batches:
            if not walk.batch_intact(batch):
                failed = True
                break
    finally:
        batches.close()
    if failed or source.beyond(walk.expected - 1) or source.below_one():
        # Row by row from the first batch that is not intact (or from the start, should a row
        # sit before sequence number 1): name the first bad row.
        if source.below_one():
            walk = _Walk(signed_heads)
            rows = source.rows(None)
        else:
            rows = source.rows(walk.expected)
        try:
            problem = walk.rows(rows)
        finally:
            rows.close()
        if problem is not None:
            return walk.expected, problem.sequence, problem
    last = walk.expected - 1
    unreadable = source.unreadable()
    if unreadable is not None:
        # Not in any range the walk reads: its message is no audit message of this form.
        why = f"row id {unreadable} holds no readable audit message (inserted, or overwritten)"
        return last, last, inserted(last + 1, why)
    if walk.next_signed > last:
        beyond = max(signed_heads)
        why = f"a signed checkpoint covers row {beyond} but the chain ends at {last}"
        return last, last, removed(last + 1, why)
    return last, last, None


class _Walk:
    """Where the walk is: the next sequence number, the hash it must chain to, checkpoints."""

    def __init__(self, signed_heads: Mapping[int, str]):
        self.signed = sorted(signed_heads.items())
        self.signed_index = 0
        self.next_signed = self.signed[0][0] if self.signed else 0
        self.last_checkpoint = 0
        self.expected = 1
        # The hash the next row must point back to, and the one before it (to spot an insertion).
        self.link, self.before_link = GENESIS_HASH, None

    def batch_intact(self, batch: Batch) -> bool:
        """Whole-batch checks in C; on True the walk moves past the batch, else it is as was.

        The split yields ``count`` messages only when no message holds a record separator (JSON
        escapes it; the database refuses a message that is not JSON) and, on SQLite, every
        sequence number in the range is an integer (``count`` leaves the others out). Each
        message's form is covered by its hash; the row walk also checks it, to name a row that
        is not a message.
        The hashes are compared as one string, each 64 characters and comma-free, and so are the
        prev_hashes: the database's (generated from the messages, SQLite) or, when the batch has
        none (PostgreSQL, where aggregating them cost more than the cut here), each message's
        first 64 characters.
        """
        first, count = batch.first, batch.count
        if first != self.expected or count < 1:
            return False
        try:
            hashes, messages = batch.hashes, batch.messages
            pieces = messages.split(RECORD_SEPARATOR_BYTE)
            intact = (
                len(pieces) == count
                # Sequence numbers are unique: count, lowest and highest make them consecutive.
                and batch.lowest == first
                and batch.highest == first + count - 1
                and ",".join(map(_HEXDIGEST, map(hashlib.sha256, pieces))) == hashes
            )
            if intact:
                prev_hashes = batch.prev_hashes
                if prev_hashes is None:
                    prev_hashes = b",".join([piece[:HASH_LENGTH] for piece in pieces]).decode()
                intact = prev_hashes == (self.link + "," + hashes)[:-65]
        # A NULL where a value belongs; or a message that starts with no hash (not UTF-8).
        except (AttributeError, TypeError, ValueError):
            return False
        if not intact:
            return False
        last = first + count - 1
        index = self.signed_index
        while index < len(self.signed) and self.signed[index][0] <= last:
            sequence, signed_hash = self.signed[index]
            offset = (sequence - first) * 65
            if offset < 0 or hashes[offset : offset + 64] != signed_hash:
                return False  # the row walk names it
            index += 1
        while self.signed_index < index:
            self._passed_checkpoint()
        self.expected = last + 1
        self.before_link = prev_hashes[-64:]
        self.link = hashes[-64:]
        return True

    def rows(self, rows: Iterator[tuple]) -> ChainProblem | None:
        """Walk rows one by one; the first problem, or None when every row checks out."""
        for stored in rows:
            row = _row(stored)
            sequence, prev_hash, row_hash, _message = row
            expected = self.expected
            if not isinstance(sequence, int):
                return _not_an_integer(sequence, row_hash, expected)
            if sequence != expected:
                return _out_of_sequence(sequence, expected)
            content = _content_ok(row)
            if prev_hash != self.link or not content:
                following = next(rows, None)
                following = None if following is None else _row(following)
                return _diagnose(row, following, content, self.link, self.before_link)
            if sequence == self.next_signed:
                signed_hash = self.signed[self.signed_index][1]
                if signed_hash != row_hash:
                    why = f"it differs from the signed checkpoint (rows {self.last_checkpoint + 1}-"
                    return changed(sequence, f"{why}{sequence} were rewritten)")
                self._passed_checkpoint()
            self.before_link = self.link
            self.link = row_hash
            self.expected = expected + 1
        return None

    def _passed_checkpoint(self) -> None:
        self.last_checkpoint = self.next_signed
        self.signed_index += 1
        more = self.signed_index < len(self.signed)
        self.next_signed = self.signed[self.signed_index][0] if more else 0


def _row(stored: tuple) -> tuple:
    """``(sequence, prev_hash, hash, message)`` from a stored ``(sequence, hash, message)``."""
    sequence, row_hash, message = stored
    prev_hash = message[:HASH_LENGTH].decode("ascii", "replace") if message else None
    return sequence, prev_hash, row_hash, message


def _content_ok(row: tuple) -> bool:
    """Is the row a v3 message whose hash is the stored one?"""
    _sequence, _prev_hash, row_hash, message = row
    if not isinstance(message, bytes) or not message[HASH_LENGTH:].startswith(MESSAGE_HEAD):
        return False
    return hashlib.sha256(message).hexdigest() == row_hash


def _not_an_integer(sequence, row_hash, expected: int) -> ChainProblem:
    """A row whose message holds no integer sequence number; it sorts before row ``expected``.

    It has no row number to name, so its hash names it. Text there is not echoed: it could be
    anything, and this line ends up in logs.
    """
    place = f"after row {expected - 1}" if expected > 1 else "before row 1"
    value = "is text, not" if isinstance(sequence, str) else f"{sequence!r:.32} is not"
    return ChainProblem(
        expected,
        "inserted",
        f"an audit row was inserted {place}: its sequence number {value} an integer "
        f"(the row with hash {row_hash!r:.70})",
    )


def _out_of_sequence(sequence: int, expected: int) -> ChainProblem:
    if sequence > expected:
        gap = f"rows {expected}-{sequence - 1} are" if sequence - expected > 1 else "it is"
        return removed(expected, f"{gap} missing before row {sequence}")
    return inserted(sequence, "its sequence number repeats")


def _diagnose(
    row: tuple, following: tuple | None, content_ok: bool, link: str, before_link: str | None
) -> ChainProblem:
    """Name the culprit once row ``row`` fails to chain or to match its hash."""
    sequence, prev_hash = row[0], row[1]
    if before_link is not None and prev_hash == before_link:
        # This row points past its predecessor to the row before it: the predecessor is new.
        return inserted(sequence - 1, f"row {sequence} chains past it to the row before")
    if following is not None and following[1] == link:
        return inserted(sequence, "the next row chains past it to the row before")
    if not content_ok:
        return changed(sequence, "its hash does not match its content")
    if sequence == 1:
        return changed(1, "it does not start from the genesis hash")
    # Its content and hash agree, yet the previous row's hash is not what it chains to: the
    # previous row was rewritten together with its hash.
    return changed(sequence - 1, f"row {sequence} does not chain to its hash")
