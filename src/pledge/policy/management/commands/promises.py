"""``pledge promises``: what became of each promise of the 2018 statement, and its proof."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pledge.policy.problems import PolicyError
from pledge.policy.promises import (
    PromiseBook,
    PromiseStatus,
    default_promises_path,
    load_promises,
    promise_problems,
    seed_path,
)

_STYLES = {
    PromiseStatus.KEPT: "green",
    PromiseStatus.PENDING: "yellow",
    PromiseStatus.REPLACED: "cyan",
}
_QUOTE_LENGTH = 70


class Command(BaseCommand):
    help = "List the seed statement's promises with their status and proof; fail on a false claim."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", help="the promises file (default: next to the policy file, *-promises.toml)"
        )

    def handle(self, *args, path=None, **options):
        path = Path(path) if path else default_promises_path()
        try:
            book = load_promises(path)
        except PolicyError as error:
            raise CommandError(error.report()) from None
        console = Console(file=self.stdout, width=_width(self.stdout), highlight=False)
        console.print(_table(book))
        console.print(_summary(book))
        seed = seed_path(book, path)
        seed_text = seed.read_text(encoding="utf-8") if seed.is_file() else None
        problems = promise_problems(book, seed_text=seed_text)
        if seed_text is None:
            problems.append(f"the seed statement {seed} cannot be read")
        if problems:
            for problem in problems:
                console.print(f"[red]problem[/red] {escape(problem)}")
            raise CommandError(f"{len(problems)} problem(s) in {path}")


def _table(book: PromiseBook) -> Table:
    table = Table(title="The 2018 statement's promises", show_lines=False)
    table.add_column("promise", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("quote")
    table.add_column("tests, or the feature that will keep it", overflow="fold")
    for promise in book.promises:
        proof = [escape(_short_test(test)) for test in promise.tests]
        if promise.feature is not None:
            proof.append(f"feature: {promise.feature.label}")
        if promise.note is not None:
            proof.append(f"note: {escape(_shorten(promise.note))}")
        status = f"[{_STYLES[promise.status]}]{promise.status}[/]"
        table.add_row(promise.id, status, escape(_shorten(promise.quote)), "\n".join(proof))
    return table


def _summary(book: PromiseBook) -> str:
    counts = book.by_status()
    parts = [f"{status}: {counts[status]}" for status in PromiseStatus]
    return f"{len(book.promises)} promises, " + ", ".join(parts)


def _short_test(test_id: str) -> str:
    # src/pledge/policy/tests/test_x.py::Class::test -> policy/test_x.py::Class::test
    file_part, _, names = test_id.partition("::")
    app = file_part.removeprefix("src/pledge/").split("/tests/")[0]
    return f"{app}/{Path(file_part).name}::{names}"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LENGTH else text[: _QUOTE_LENGTH - 1].rstrip() + "…"


def _width(stream) -> int | None:
    # A terminal gets its own width; a pipe or a test's buffer a wide fixed one, so no cell is cut.
    return None if getattr(stream, "isatty", lambda: False)() else 200
