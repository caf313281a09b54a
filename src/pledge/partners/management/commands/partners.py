"""``pledge partners deliver [--loop]`` and ``pledge partners purge``: the partner outbox."""

import time

from django.core.management.base import BaseCommand

from pledge.partners.services import outbox_deliver_due, outbox_purge


class Command(BaseCommand):
    help = "Deliver due partner messages (new, retries, expired leases), or purge old payloads."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        deliver = commands.add_parser("deliver", help="send every due message")
        deliver.add_argument("--loop", action="store_true", help="keep running")
        deliver.add_argument("--interval", type=float, default=30.0)
        commands.add_parser("purge", help="empty payloads older than the outbox retention")

    def handle(self, *args, action: str, **options):
        if action == "purge":
            self.stdout.write(f"emptied {outbox_purge()} partner messages")
            return
        while True:
            counts = outbox_deliver_due()
            if counts:
                summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
                self.stdout.write(f"partner outbox: {summary}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
