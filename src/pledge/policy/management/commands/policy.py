"""``pledge policy check|diff|export|register|publish``."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from pledge.policy.diff import policy_diff
from pledge.policy.fideslang_export import export_fideslang
from pledge.policy.loader import load_policy
from pledge.policy.problems import PolicyError
from pledge.policy.register import render_register
from pledge.policy.services import policy_publish


class Command(BaseCommand):
    help = "Check, compare, export and publish the privacy policy file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = actions.add_parser(
            "check", help="validate a policy file (default: the one in force)"
        )
        check.add_argument("file", nargs="?")
        diff = actions.add_parser("diff", help="what changed between two policy files")
        diff.add_argument("old")
        diff.add_argument("new")
        diff.add_argument(
            "--fail-on-material", action="store_true", help="exit 2 when a material change is found"
        )
        export = actions.add_parser("export", help="export for other privacy tooling")
        export.add_argument("--format", choices=["fideslang"], default="fideslang")
        export.add_argument("file", nargs="?")
        register = actions.add_parser("register", help="the Art. 30 record of processing")
        register.add_argument("--format", choices=["md", "csv"], default="md")
        register.add_argument("--language", choices=["nl", "en"], default="nl")
        register.add_argument("file", nargs="?")
        publish = actions.add_parser("publish", help="record the policy in force as published")
        publish.add_argument("file", nargs="?")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except PolicyError as error:
            self.stderr.write(error.report())
            sys.exit(1)

    def _load(self, file: str | None):
        return load_policy(Path(file or settings.PLEDGE_POLICY))

    def _check(self, file=None, **options):
        policy = self._load(file)
        self.stdout.write(
            f"{file or settings.PLEDGE_POLICY}: policy {policy.policy.version} is valid "
            f"({len(policy.purposes)} purposes, {len(policy.recipients)} recipients, "
            f"{len(policy.cookies)} cookies)."
        )

    def _diff(self, old, new, fail_on_material=False, **options):
        changes = policy_diff(self._load(old), self._load(new))
        for change in changes:
            self.stdout.write(str(change))
        material = sum(change.material for change in changes)
        self.stdout.write(f"{len(changes)} change(s), {material} material.")
        if fail_on_material and material:
            sys.exit(2)

    def _export(self, file=None, format="fideslang", **options):
        self.stdout.write(export_fideslang(self._load(file)), ending="")

    def _register(self, file=None, format="md", language="nl", **options):
        self.stdout.write(
            render_register(self._load(file), fmt=format, language=language), ending=""
        )

    def _publish(self, file=None, **options):
        record, created = policy_publish(path=file)
        state = "published" if created else "already published"
        self.stdout.write(f"Policy {record.version} {state} ({record.sha256[:12]}).")
