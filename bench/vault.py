"""Benchmark of the vault: what encryption costs on a read, and whether erasure is flat.

    python3 -m uv run python bench/vault.py [--reads 500] [--rounds 31] [--clock wall|cpu]
        [--postgresql postgres://root@127.0.0.1:5432]

Runs with PLEDGE_ENV=test against fresh SQLite files (main and vault database) in a temporary
directory, or with --postgresql against two throwaway databases on that server (created and
dropped again), where the vault query of a request's first read is a network round trip.
Not part of CI. It prints, measured in the same run:

(a) reading a customer profile with 6 encrypted fields, as a ratio to the same read of the same
    6 fields stored in plain text (same ``objects.get(pk=...)``, same loop; the encrypted model
    also carries its e-mail blind index), in interleaved rounds: the time shown is the best
    round's, the ratio the median of the rounds' own ratios (variant over its baseline in the
    same round, so a slow moment on a shared machine hits both sides alike). A profile is
    encrypted under the subject's profile key only, as accounts.CustomerProfile is (the
    retention key is for invoices), so the invoice address column is not loaded. For
    comparison, without a goal, the same read of six fields that mix both keys (five profile
    fields and the invoice address under the retention key), which unwraps two keys on a
    request's first read.
    "first read in a request" opens a new key scope for every read, so it includes fetching the
    subject's keys from the vault database and unwrapping them; its baseline opens a scope for
    every read as well. "key cached" reads within one scope whose keys are already loaded, and
    so does its baseline. Goal: <= 1.3x for both. A line under the first read shows what the
    vault query alone costs in it (timed in one more pass, as a share of the plain read).
(b) ``subject_shred`` of a subject with 10,000 encrypted history rows, as a ratio to one with
    10 rows. Goal: <= 1.5x (erasure must not grow with the history: one UPDATE per model for
    the blind indexes, one DELETE for the keys).
"""

import argparse
import contextlib
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=500, help="profile reads per round")
    parser.add_argument(
        "--rounds", type=int, default=31, help="interleaved rounds (median ratio, best time)"
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: this process's CPU time (user + system), for a machine busy with other work",
    )
    parser.add_argument("--history", type=int, default=10_000, help="rows of the large subject")
    parser.add_argument("--small", type=int, default=10, help="rows of the small subject")
    parser.add_argument("--repeat", type=int, default=5, help="subjects shredded per size")
    parser.add_argument(
        "--postgresql", metavar="URL", help="a PostgreSQL server instead of SQLite files"
    )
    return parser.parse_args()


@contextlib.contextmanager
def databases(directory: Path, server: str | None):
    """(main URL, vault URL): SQLite files, or two throwaway databases on ``server``."""
    if not server:
        yield (
            f"sqlite:///{directory / 'pledge.sqlite3'}",
            f"sqlite:///{directory / 'vault.sqlite3'}",
        )
        return
    import psycopg

    names = [f"pledge_bench_vault_{os.getpid()}_{kind}" for kind in ("main", "vault")]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(f"{server}/{name}" for name in names)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def set_up_django(directory: Path, main_url: str, vault_url: str) -> None:
    os.environ.update(
        PLEDGE_ENV="test",
        PLEDGE_VAR_DIR=str(directory),
        DATABASE_URL=main_url,
        VAULT_DATABASE_URL=vault_url,
        CONN_MAX_AGE="600",  # one connection for the whole run, as an app server keeps it
        PLEDGE_TOMBSTONE_PATH=str(directory / "tombstones.jsonl"),
        DJANGO_SETTINGS_MODULE="pledge.settings",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.core.management import call_command

    from pledge.vault.registry import register_model
    from pledge.vault.tests.models import TEST_MODELS, create_tables

    call_command("migrate", database="default", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    create_tables()
    for model in TEST_MODELS:
        register_model(model)


PROFILE = {
    "email": "sanne.de.vries@example.nl",
    "first_name": "Sanne",
    "last_name": "de Vries",
    "phone": "+31 6 1234 5678",
    "address": {"street": "Prinsengracht 263", "postal_code": "1016 GV", "city": "Amsterdam"},
    "invoice_address": {"name": "S. de Vries", "street": "Prinsengracht 263", "city": "Amsterdam"},
}
# The profile as accounts keeps it: no invoice address (that is on invoices, retention key).
PROFILE_ONLY = {
    **{k: v for k, v in PROFILE.items() if k != "invoice_address"},
    "company": "Pixeljet",
}


def bench_reads(reads: int, rounds: int, clock, *, mixed_keys: bool) -> dict[str, float]:
    """Seconds per profile read, best of ``rounds`` interleaved rounds, for each variant, and
    under ``ratio:<variant>`` the median of its per-round ratios to its baseline.

    Every round runs every variant once, in turn, so drift on the machine (other processes,
    frequency scaling) reaches them alike. Each variant has its own baseline, read the same way:
    "per request" opens a key scope around every read, as ``KeyCacheMiddleware`` does, so the
    encrypted read fetches and unwraps the subject's keys each time; "key cached" reads within
    one scope whose keys were loaded before the clock starts.
    """
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from pledge.vault import keys
    from pledge.vault.keys import key_scope
    from pledge.vault.services import subject_create
    from pledge.vault.tests.models import Customer, PlainCustomer

    # The row holds both; each variant loads only its six fields (a profile table has no
    # invoice address at all).
    profile, unread = (PROFILE, "company") if mixed_keys else (PROFILE_ONLY, "invoice_address")
    fields = tuple(profile)

    customers, plain = [], []
    with key_scope():
        for n in range(200):
            subject_id = subject_create()
            email = f"klant{n}.{unread}@example.nl"
            customers.append(
                Customer.objects.create(subject_id=subject_id, **{**profile, "email": email}).pk
            )
            plain.append(PlainCustomer.objects.create(subject_id=subject_id, **profile).pk)

    def read(model, pk) -> None:
        row = model.objects.defer(unread).get(pk=pk)
        for name in fields:
            getattr(row, name)

    def per_request(model, pks) -> None:
        for n in range(reads):
            with key_scope():
                read(model, pks[n % len(pks)])

    def one_scope(model, pks) -> None:
        for n in range(reads):
            read(model, pks[n % len(pks)])

    # The variants must measure what they say: one vault query per request, none once cached.
    vault = connections["vault"]
    with key_scope(), CaptureQueriesContext(vault) as queries:
        read(Customer, customers[0])
        read(Customer, customers[0])
    assert len(queries) == 1, f"a request's first read made {len(queries)} vault queries"

    def vault_query_time() -> float:
        # One more pass of the first-read variant with the vault query itself timed: the
        # share of a request's first read that is the separate key database (the rest is
        # unwrapping and decrypting, which "key cached" shows without it).
        spent = 0.0
        fetch = keys._fetch_one

        def timed(subject_id):
            nonlocal spent
            started = clock()
            try:
                return fetch(subject_id)
            finally:
                spent += clock() - started

        keys._fetch_one = timed
        try:
            per_request(Customer, customers)
        finally:
            keys._fetch_one = fetch
        return spent / reads

    variants = {
        "plain_per_request": lambda: per_request(PlainCustomer, plain),
        "per_request": lambda: per_request(Customer, customers),
        "plain_key_cached": lambda: one_scope(PlainCustomer, plain),
        "key_cached": lambda: one_scope(Customer, customers),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    with key_scope():
        one_scope(Customer, customers)  # loads every subject's keys into this outer scope
        for _ in range(rounds):
            for name, variant in variants.items():
                gc.collect()
                start = clock()
                variant()
                times[name].append((clock() - start) / reads)
        vault_query = min(vault_query_time() for _ in range(3))
    result = {name: min(values) for name, values in times.items()}
    for name in ("per_request", "key_cached"):
        pairs = zip(times[name], times[f"plain_{name}"], strict=True)
        result[f"ratio:{name}"] = statistics.median(mine / plain for mine, plain in pairs)
    result["vault_query"] = vault_query
    return result


def bench_shred(small: int, large: int, repeat: int) -> dict[str, float]:
    from django.db import connections

    from pledge.vault.keys import key_scope
    from pledge.vault.services import subject_create, subject_shred
    from pledge.vault.tests.models import Customer, Order

    def subject_with(rows: int):
        subject_id = subject_create()
        Customer.objects.create(
            subject_id=subject_id, **{**PROFILE, "email": f"{subject_id}@example.nl"}
        )
        Order.objects.bulk_create(
            (
                Order(subject_id=subject_id, number=n, invoice_name="S. de Vries", note="Inpakken")
                for n in range(rows)
            ),
            batch_size=1000,
        )
        return subject_id

    def checkpoint() -> None:
        # Leave the insert's write-ahead log behind us: SQLite's automatic checkpoint would
        # otherwise bill the shred for copying the history that was just written.
        if connections["default"].vendor != "sqlite":
            return
        for alias in ("default", "vault"):
            with connections[alias].cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    timings: dict[int, list[float]] = {small: [], large: []}
    with key_scope():
        for _ in range(repeat):
            for rows in (small, large):
                subject_id = subject_with(rows)
                checkpoint()
                start = time.perf_counter()
                subject_shred(subject_id, keys=("profile", "retention"))
                timings[rows].append(time.perf_counter() - start)
    return {rows: statistics.median(values) for rows, values in timings.items()}


def main() -> None:
    arguments = parse_arguments()
    with (
        tempfile.TemporaryDirectory(prefix="pledge-bench-vault-") as directory,
        databases(Path(directory), arguments.postgresql) as (main_url, vault_url),
    ):
        set_up_django(Path(directory), main_url, vault_url)
        from rich.console import Console
        from rich.table import Table

        clock = time.process_time if arguments.clock == "cpu" else time.perf_counter
        reads = bench_reads(arguments.reads, arguments.rounds, clock, mixed_keys=False)
        mixed = bench_reads(arguments.reads, arguments.rounds, clock, mixed_keys=True)
        shreds = bench_shred(arguments.small, arguments.history, arguments.repeat)

    table = Table(
        title=f"Pledge vault benchmark ({'PostgreSQL' if arguments.postgresql else 'SQLite files'}"
        f", PLEDGE_ENV=test, {arguments.clock} clock)"
    )
    for column in ("measurement", "time", "ratio", "goal"):
        table.add_column(column, justify="right" if column != "measurement" else "left")
    micro = 1_000_000
    for label, key, baseline in (
        ("first read in a request", "per_request", "plain_per_request"),
        ("key cached", "key_cached", "plain_key_cached"),
    ):
        table.add_row(
            f"profile read, 6 plain fields, {label}",
            f"{reads[baseline] * micro:.0f} µs",
            "1.00x",
            "",
        )
        ratio = reads[f"ratio:{key}"]
        table.add_row(
            f"profile read, 6 encrypted fields, {label}",
            f"{reads[key] * micro:.0f} µs",
            f"{ratio:.2f}x",
            "<= 1.30x " + ("ok" if ratio <= 1.3 else "MISSED"),
        )
        if key == "per_request":
            share = reads["vault_query"] / reads[baseline]
            table.add_row(
                "  of which the vault query (the keys' own database)",
                f"{reads['vault_query'] * micro:.0f} µs",
                f"+{share:.2f}x",
                "",
            )
    for label, key, baseline in (
        ("first read in a request", "per_request", "plain_per_request"),
        ("key cached", "key_cached", "plain_key_cached"),
    ):
        ratio = mixed[f"ratio:{key}"]
        table.add_row(
            f"(for comparison) row with profile and retention keys, {label}",
            f"{mixed[key] * micro:.0f} µs vs {mixed[baseline] * micro:.0f} µs",
            f"{ratio:.2f}x",
            "",
        )
    small, large = arguments.small, arguments.history
    table.add_row(f"shred, {small} history rows", f"{shreds[small] * 1000:.2f} ms", "1.00x", "")
    ratio = shreds[large] / shreds[small]
    table.add_row(
        f"shred, {large:,} history rows",
        f"{shreds[large] * 1000:.2f} ms",
        f"{ratio:.2f}x",
        "<= 1.50x " + ("ok" if ratio <= 1.5 else "MISSED"),
    )
    Console().print(table)


if __name__ == "__main__":
    main()
