"""``pledge demo``: migrate SQLite, seed the Pixeljet demo shop, serve it on loopback."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from pledge.frame.seeding import demo_seeders


def demo_site_url(host: str, port: int) -> str:
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Set up and serve the Pixeljet demo shop (SQLite, no other service needed)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up and seed only")

    def handle(self, *args, host: str, port: int, no_serve: bool, **options):
        if settings.PLEDGE_ENV != "demo":
            raise CommandError("pledge demo runs only with PLEDGE_ENV=demo (its data is not real).")
        for database in settings.DATABASES:
            call_command("migrate", database=database, interactive=False, verbosity=0)
        autodiscover_modules("demo")
        for seed in demo_seeders():
            self.stdout.write(f"  {seed()}")
        self.stdout.write(self.style.SUCCESS("Pixeljet demo shop is ready."))
        if no_serve:
            return
        site_url = demo_site_url(host, port)
        self.stdout.write(f"Serving on {site_url}/ (Ctrl+C stops).")
        # Mails written outside a request (order confirmation on the payment webhook, "shipped")
        # link to the site address: the one served here, not the default port. The environment
        # carries it to the task worker and the server's worker processes.
        if not os.environ.get("SITE_URL"):
            os.environ["SITE_URL"] = settings.SHOP_SITE_URL = site_url
        # Background work (mail delivery and its retries) runs in a real task worker, as in
        # production; the demo's mails land as files in var/mail.
        worker = subprocess.Popen([sys.executable, "-m", "pledge.cli", "db_worker"])
        try:
            self._serve(host, port)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _serve(self, host: str, port: int) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        Granian(
            "pledge.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            log_access=False,  # an access log line would hold IP addresses
        ).serve()
