"""``pledge audit verify`` and ``pledge audit checkpoint``.

verify: walk the chain; exit 0 when intact, 1 with one line per problem (the first bad row,
a forged or deleted checkpoint, a malformed line of the checkpoints file). With
``--checkpoints FILE`` it also holds the chain to the lines ``checkpoint`` printed, kept
outside the database.
checkpoint: sign the chain head (run it from cron, and ship its output line elsewhere: a copy
outside this database is what proves a later rewrite).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from pledge.audit.selectors import VERIFY_CHUNK_SIZE, audit_verify
from pledge.audit.services import audit_checkpoint
from pledge.audit.signing import SigningKeyMissing
from pledge.audit.verification import NOTHING_TO_SIGN, KeptCheckpoint, read_kept_checkpoints


class Command(BaseCommand):
    help = "Verify the tamper-evident audit log, or sign a checkpoint of its head."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser("verify", help="check every row and checkpoint")
        verify.add_argument("--chunk-size", type=int, default=VERIFY_CHUNK_SIZE)
        verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="also check against the lines `pledge audit checkpoint` printed, kept outside "
            "the database (- for standard input)",
        )
        subcommands.add_parser("checkpoint", help="sign the current head of the chain")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self.verify(chunk_size=options["chunk_size"], checkpoints=options["checkpoints"])
        else:
            self.checkpoint()

    def verify(self, *, chunk_size: int, checkpoints: str | None) -> None:
        kept, malformed = [], []
        if checkpoints is not None:
            try:
                kept, malformed = _read_kept(checkpoints)
            except OSError as error:
                self._failed([f"cannot read {checkpoints}: {error.strerror or error}"])
        report = audit_verify(chunk_size=chunk_size, kept=kept)
        if malformed or report.problems:
            self._failed([*malformed, *map(str, report.problems)])
        summary = (
            f"audit log intact: {report.rows} rows up to row {report.head_sequence}, "
            f"{report.checkpoints} signed checkpoints"
        )
        if checkpoints is not None:
            summary += f", checked against {report.kept} kept checkpoints"
        self.stdout.write(summary)

    def _failed(self, problems: list[str]) -> None:
        for problem in problems:
            self.stderr.write(f"audit verify failed: {problem}")
        sys.exit(1)

    def checkpoint(self) -> None:
        try:
            checkpoint = audit_checkpoint()
        except SigningKeyMissing as error:
            raise CommandError(str(error)) from None
        if checkpoint is None:
            self.stdout.write(NOTHING_TO_SIGN)
            return
        self.stdout.write(
            json.dumps(
                {
                    "checkpoint": checkpoint.id,
                    "sequence": checkpoint.sequence,
                    "hash": checkpoint.hash,
                    "at": checkpoint.at.isoformat(),
                    "key_id": checkpoint.key_id,
                    "signature": checkpoint.signature,
                }
            )
        )


def _read_kept(path: str) -> tuple[list[KeptCheckpoint], list[str]]:
    """The kept checkpoints in ``path`` (``-``: standard input), and its malformed lines."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        return read_kept_checkpoints(stream, file="standard input")
    with open(path, "rb") as lines:
        return read_kept_checkpoints(lines, file=path)
