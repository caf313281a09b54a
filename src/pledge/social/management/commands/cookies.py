"""``pledge cookies audit``: crawl the site in real Chromium and hold it to the cookie policy.

Starts a throw-away demo shop on loopback, visits the main pages with no choice made, after
"reject all" and after "accept all", and exits 1 naming every cookie or third-party host that the
policy does not declare for that state. No request leaves this machine (see crawler.py).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pledge.social.crawler import CHROMIUM, StateReport, crawl
from pledge.social.rules import allowance_for, cookie_allowed
from pledge.social.server import SiteDidNotStart, running_demo_site


class Command(BaseCommand):
    help = "Check the cookies and third-party requests of the running site against the policy."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        audit = subcommands.add_parser("audit", help="crawl the demo shop in three consent states")
        audit.add_argument("--base-url", help="crawl this running site instead of starting one")

    def handle(self, *args, subcommand: str, base_url: str | None = None, **options):
        if not Path(CHROMIUM).exists():
            self.stderr.write(
                f"cookies audit needs Chromium at {CHROMIUM} (apt-get install chromium)"
            )
            sys.exit(1)
        try:
            if base_url:
                reports = crawl(base_url.rstrip("/"))
            else:
                with running_demo_site() as started_url:
                    reports = crawl(started_url)
        except SiteDidNotStart as error:
            self.stderr.write(f"cookies audit: {error}")
            sys.exit(1)
        console = Console(file=self.stdout, width=120)
        for report in reports:
            console.print(report_table(report))
        failures = [report for report in reports if not report.passed]
        for report in failures:
            if report.error:
                self.stderr.write(f"FAIL {report.error}")
            for violation in report.violations:
                self.stderr.write(f"FAIL {violation}")
        if failures:
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("cookies audit: every state keeps to the policy"))


def report_table(report: StateReport) -> Table:
    from pledge.policy.selectors import current_policy

    allowance = allowance_for(current_policy(), report.state)
    table = Table(title=f"State: {report.state}", title_justify="left")
    for column in ("kind", "name", "domain", "verdict"):
        table.add_column(column)
    if report.error:
        table.add_row("error", escape(report.error), "", "[red]FAIL[/red]")
    for cookie in report.cookies:
        allowed = cookie_allowed(cookie.name, allowance)
        table.add_row("cookie", escape(cookie.name), escape(cookie.domain), _verdict(allowed))
    for host in sorted(report.hosts):
        table.add_row("request", escape(host), "", _verdict(host in allowance.hosts))
    if not (report.error or report.cookies or report.hosts):
        table.add_row("-", "no cookies, no third-party requests", "", _verdict(True))
    return table


def _verdict(allowed: bool) -> str:
    return "[green]allowed[/green]" if allowed else "[red]NOT IN POLICY[/red]"
