"""The ``pledge`` console command: Django's ``manage.py`` with Pledge's own commands.

``start()`` is how every entry point sets Django up (this command, ``pledge.wsgi``,
``pledge.asgi``): a configuration the shop cannot work with stops it with one line on stderr,
``pledge: cannot start: ...``, and exit status 1, instead of a traceback or a shop that fails
on every page later.
"""

import os
import sys

_ALIASES = {"privacy-lint": "privacy_lint"}

# Commands that start without checking that the master keys open the vault: `check` reports
# that itself (vault.E004, vault.E005), and the others only print help or write migration files.
_WITHOUT_KEY_CHECK = {"check", "help", "version", "makemigrations"}


def start(*, set_prefix: bool = True, check_master_keys: bool = True) -> None:
    """``django.setup()``, then whether the master keys open the keys stored in the vault."""
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledge.settings")

    try:
        import django

        django.setup(set_prefix=set_prefix)
        if check_master_keys:
            _master_keys_verify()
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: one clear message, no traceback.
        sys.stderr.write(f"pledge: cannot start: {error}\n")
        raise SystemExit(1) from None


def _master_keys_verify() -> None:
    from django.db import connections

    from pledge.vault.checks import master_keys_verify
    from pledge.vault.exceptions import VaultUnavailable
    from pledge.vault.routers import VAULT_DATABASE

    try:
        master_keys_verify()
    except VaultUnavailable:
        # An outage is no reason to refuse: pages without personal data still work, the rest
        # answers 503 until the vault is back. Say that the keys went unchecked.
        sys.stderr.write(
            "pledge: warning: the master key is not checked: the vault database cannot be reached\n"
        )
    finally:
        # Opened in the thread that imports the server's application, which serves no request:
        # nothing would ever close it.
        connections[VAULT_DATABASE].close()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        # Django command names are module names; the documented spelling uses a hyphen.
        argv[1] = _ALIASES.get(argv[1], argv[1])
    if len(argv) > 1 and argv[1] == "demo":
        # The demo may run with the known demo secret; everything else defaults to production.
        os.environ.setdefault("PLEDGE_ENV", "demo")

    command = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else "help"
    start(check_master_keys=command not in _WITHOUT_KEY_CHECK)

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
