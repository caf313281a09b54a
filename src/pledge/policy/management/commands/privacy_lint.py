"""``pledge privacy-lint``: every model field is classified and the policy knows its category."""

import sys

from django.core.management.base import BaseCommand

from pledge.policy.lint import privacy_lint
from pledge.policy.selectors import current_policy


class Command(BaseCommand):
    help = "Fail when a model field is unclassified or the policy and the models disagree."

    def handle(self, *args, **options):
        problems = privacy_lint(current_policy())
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            self.stderr.write(f"privacy-lint: {len(problems)} problem(s).")
            sys.exit(1)
        self.stdout.write("privacy-lint: every field is classified and matches the policy.")
