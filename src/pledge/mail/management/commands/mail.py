"""``pledge mail deliver [--loop]`` and ``pledge mail purge``: what cron or a worker runs."""

import time

from django.core.management.base import BaseCommand

from pledge.mail.services import outbox_deliver_due, outbox_purge


class Command(BaseCommand):
    help = "Mail outbox: deliver due messages (new ones and retries); purge delivered contents."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        deliver = actions.add_parser(
            "deliver",
            help="Send every message that is due: new ones, retries, and those whose worker "
            "died mid-send. Safe to run in several places at once.",
        )
        deliver.add_argument(
            "--loop", action="store_true", help="Keep delivering until stopped (a worker)."
        )
        deliver.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds between rounds with --loop (default 5).",
        )
        actions.add_parser(
            "purge",
            help="Empty the recipient, subject and bodies of messages delivered longer ago "
            "than the policy's outbox retention; the rows keep their status and dates.",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "purge":
            count = outbox_purge()
            self.stdout.write(f"Emptied {count} delivered messages.")
            return
        try:
            while True:
                counts = outbox_deliver_due()
                if counts or not options["loop"]:
                    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
                    self.stdout.write(f"Delivered: {summary or 'nothing due'}.")
                if not options["loop"]:
                    return
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            # Between messages nothing is held; mid-send the lease hands the message on.
            self.stdout.write("Stopped.")
