"""``pledge orders expire-unpaid``: cancel orders whose payment never came (run from cron)."""

from django.core.management.base import BaseCommand

from pledge.shop.tasks import orders_unpaid_expire


class Command(BaseCommand):
    help = "Order maintenance: expire-unpaid cancels orders left unpaid too long."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["expire-unpaid"])

    def handle(self, *args, action: str, **options) -> None:
        cancelled = orders_unpaid_expire.call()
        self.stdout.write(f"{cancelled} unpaid order(s) cancelled, their stock back on sale.")
