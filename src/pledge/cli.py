"""The ``pledge`` console command: Django's ``manage.py`` with Pledge's own commands."""

import os
import sys

_ALIASES = {"privacy-lint": "privacy_lint"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        # Django command names are module names; the documented spelling uses a hyphen.
        argv[1] = _ALIASES.get(argv[1], argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledge.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo may run with the known demo secret; everything else defaults to production.
        os.environ.setdefault("PLEDGE_ENV", "demo")

    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: one clear message, no traceback.
        sys.stderr.write(f"pledge: cannot start: {error}\n")
        raise SystemExit(1) from None

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
