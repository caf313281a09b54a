"""``pledge audit verify`` and ``pledge audit checkpoint``.

verify: walk the chain; exit 0 when intact, 1 with one line naming the first bad row.
checkpoint: sign the chain head (run it from cron, and ship its output line elsewhere: a copy
outside this database is what proves a later rewrite).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from pledge.audit.selectors import VERIFY_CHUNK_SIZE, audit_verify
from pledge.audit.services import audit_checkpoint
from pledge.audit.signing import SigningKeyMissing


class Command(BaseCommand):
    help = "Verify the tamper-evident audit log, or sign a checkpoint of its head."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser("verify", help="check every row and checkpoint")
        verify.add_argument("--chunk-size", type=int, default=VERIFY_CHUNK_SIZE)
        subcommands.add_parser("checkpoint", help="sign the current head of the chain")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self.verify(chunk_size=options["chunk_size"])
        else:
            self.checkpoint()

    def verify(self, *, chunk_size: int) -> None:
        report = audit_verify(chunk_size=chunk_size)
        if report.problem is not None:
            self.stderr.write(f"audit verify failed: {report.problem}")
            sys.exit(1)
        self.stdout.write(
            f"audit log intact: {report.rows} rows up to row {report.head_sequence}, "
            f"{report.checkpoints} signed checkpoints"
        )

    def checkpoint(self) -> None:
        try:
            checkpoint = audit_checkpoint()
        except SigningKeyMissing as error:
            raise CommandError(str(error)) from None
        if checkpoint is None:
            self.stdout.write("audit log is empty: nothing to sign")
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
