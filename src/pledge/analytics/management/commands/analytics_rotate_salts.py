"""``pledge analytics_rotate_salts``: run daily from cron, so a quiet day's salt goes too."""

from django.core.management.base import BaseCommand

from pledge.analytics.services import salts_rotate


class Command(BaseCommand):
    help = "Delete statistics salts (and their visitor hashes) past the policy's retention."

    def handle(self, *args, **options):
        deleted = salts_rotate()
        self.stdout.write(f"{deleted} salt(s) deleted")
