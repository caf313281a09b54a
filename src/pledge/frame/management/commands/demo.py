"""``pledge demo``: migrate SQLite, seed the Pixeljet demo shop, serve it on loopback."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from pledge.frame.seeding import demo_seeders


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
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl+C stops).")
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
