"""Benchmark of the audit log: what the hash chain costs over plain inserts and plain hashing.

    python3 -m uv run python bench/audit.py [--rows 1000000] [--batch 1000] [--single 2000]
        [--repeat 3]

Uses a fresh SQLite file in a temporary directory, or, when DATABASE_URL names PostgreSQL, a
fresh database of its own on that server (pledge_audit_bench_<pid>, dropped again). Not
part of CI.

It prints:

(a) append throughput as a ratio to plain inserts of the same rows into an identical table:
    ``audit_record`` (one transaction per event) against ``Model.objects.create`` (one
    autocommit insert per row), and ``audit_record_many`` against ``bulk_create`` with the
    same batch size. Goal: >= 0.5.
(b) ``audit verify`` of all rows as a ratio to hashing the same bytes with hashlib alone
    (each row's message, already in memory; ``sha256(message).hexdigest()`` per row, checked
    to be the very bytes verify hashes and to be what the readable columns say). Also shown:
    against canonicalising + hashing in memory. Goal: >= 0.5. Verify and the baselines are
    each timed ``--repeat`` times (best counts). Verify reads with a second thread, so it shows
    best on an otherwise idle machine with two or more cores. On PostgreSQL the filled table is
    vacuumed and analysed first, as autovacuum would have done on a real server.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="events in the chain")
    parser.add_argument("--batch", type=int, default=1000, help="events per audit_record_many")
    parser.add_argument("--single", type=int, default=2000, help="events by audit_record")
    parser.add_argument("--chunk-size", type=int, default=5000, help="verify's batch size")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of verify and of the baselines; best counts"
    )
    arguments = parser.parse_args()
    arguments.single = min(arguments.single, arguments.rows)
    return arguments


def set_up_django(workdir: Path) -> None:
    sys.path.insert(0, str(SRC))
    os.environ["PLEDGE_ENV"] = "test"
    os.environ["PLEDGE_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledge.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("VAULT_DATABASE_URL", f"sqlite:///{workdir / 'vault.sqlite3'}")
    import django

    django.setup()


def create_database() -> str:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        # A throwaway database of its own next to the configured one: never the configured one,
        # and never test_<name>, which a test run may be using right now.
        connection.settings_dict["TEST"]["NAME"] = f"pledge_audit_bench_{os.getpid()}"
        return connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("migrate", database="default", verbosity=0)
    return connection.settings_dict["NAME"]


def baseline_model():
    """A plain table with the same columns and indexes as AuditEvent, for the plain inserts."""
    from django.db import connection, models

    from pledge.audit.models import AuditEvent

    attributes = {"__module__": __name__}
    for field in AuditEvent._meta.local_fields:
        if field.name != "id":
            attributes[field.name] = field.clone()
    attributes["Meta"] = type(
        "Meta",
        (),
        {
            "app_label": "audit",
            "db_table": "bench_plain_event",
            "indexes": [
                models.Index(fields=["object_type", "object_id"], name="bench_object_idx"),
                models.Index(fields=["subject_pseudonym"], name="bench_subject_idx"),
            ],
        },
    )
    model = type("BenchPlainEvent", (models.Model,), attributes)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    return model


def entries(count: int, start: int = 0):
    """Events as a shop produces them: sign-ins, consents, staff views, disclosures."""
    import uuid

    from pledge.audit.pseudonyms import keyed_hash_pseudonym
    from pledge.audit.services import AuditEntry, set_pseudonym_source, subject_pseudonym_for

    # Pseudonyms of the same shape without the vault's database: deriving them is not measured.
    set_pseudonym_source(keyed_hash_pseudonym)
    staff = str(uuid.uuid4())
    subjects = [subject_pseudonym_for(subject_id=uuid.uuid4()) for _ in range(50)]
    for number in range(start, start + count):
        subject = subjects[number % len(subjects)]
        kind = number % 5
        if kind == 0:
            yield AuditEntry(action="login", subject_pseudonym=subject)
        elif kind == 1:
            yield AuditEntry(
                action="consent_change",
                subject_pseudonym=subject,
                details={"category": "analytics", "given": bool(number % 2)},
            )
        elif kind == 2:
            yield AuditEntry(
                action="personal_data_viewed",
                staff_id=staff,
                purpose="order_fulfilment",
                object_type="shop.order",
                object_id=f"2026-{number:06d}",
                details={"fields": ["address"]},
            )
        elif kind == 3:
            yield AuditEntry(
                action="disclosure",
                subject_pseudonym=subject,
                purpose="order_fulfilment",
                object_type="shop.order",
                object_id=f"2026-{number:06d}",
                details={"recipient": "postnl"},
            )
        else:
            yield AuditEntry(action="logout", subject_pseudonym=subject)


def plain_copies(model, events):
    """The same rows for the plain table (its columns generated from the message alike)."""
    names = [f.name for f in model._meta.local_fields if f.name != "id" and not f.generated]
    return [model(**{name: getattr(event, name) for name in names}) for event in events]


def measure_appends(arguments, plain) -> dict[str, float]:
    from django.db import transaction

    from pledge.audit.services import audit_record, audit_record_many

    timings = dict.fromkeys(("record", "create", "many", "bulk"), 0.0)
    generator = entries(arguments.rows)
    for entry in islice(generator, arguments.single):
        started = time.perf_counter()
        event = audit_record(
            action=entry.action,
            staff_id=entry.staff_id,
            subject_pseudonym=entry.subject_pseudonym,
            object_type=entry.object_type,
            object_id=entry.object_id,
            purpose=entry.purpose,
            details=entry.details,
        )
        timings["record"] += time.perf_counter() - started
        (copy,) = plain_copies(plain, [event])
        started = time.perf_counter()
        copy.save()  # autocommit: one transaction per row, as audit_record has
        timings["create"] += time.perf_counter() - started
    while batch := list(islice(generator, arguments.batch)):
        started = time.perf_counter()
        events = audit_record_many(entries=batch)
        timings["many"] += time.perf_counter() - started
        copies = plain_copies(plain, events)
        started = time.perf_counter()
        with transaction.atomic():
            plain.objects.bulk_create(copies, batch_size=500)
        timings["bulk"] += time.perf_counter() - started
    return timings


def settle(table: str) -> None:
    """On PostgreSQL, VACUUM (ANALYZE) the table just filled, as autovacuum soon does after a
    million inserts on a real server: without statistics the planner sorts every batch on disk
    instead of reading the sequence index, which no settled log would see."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def measure_verify(arguments) -> dict[str, float]:
    from django.db import transaction

    from pledge.audit.chain import CANONICAL_FIELDS, canonical_row, chain_message
    from pledge.audit.models import AuditEvent
    from pledge.audit.selectors import _DatabaseChain, audit_verify

    settle(AuditEvent._meta.db_table)
    # Best of a few runs, for verify and for each baseline alike (the machine is shared).
    verify = float("inf")
    for _ in range(arguments.repeat):
        started = time.perf_counter()
        report = audit_verify(chunk_size=arguments.chunk_size)
        verify = min(verify, time.perf_counter() - started)
        if not report.ok or report.rows != arguments.rows:
            raise SystemExit(f"verify failed on an untouched chain: {report}")

    # Honesty: the baseline hashes exactly the bytes verify hashes: each row's message, which
    # is the prev_hash and the canonical bytes of the values the columns show.
    fields = (*CANONICAL_FIELDS, "prev_hash")
    with transaction.atomic():
        from_database = list(islice(_DatabaseChain("default", 1000).rows(None), 1000))
    from_python = [
        chain_message(row[9], canonical_row(*row[:9]))
        for row in AuditEvent.objects.order_by("sequence").values_list(*fields)[:1000]
    ]
    if [row[2] for row in from_database] != from_python:
        raise SystemExit("the baseline would hash other bytes than verify does")

    # The baselines work on rows already in memory, one chunk at a time to bound memory; each
    # chunk is timed a few times and its best counts.
    hashing = canonicalising = 0.0
    sha256 = hashlib.sha256
    rows = (
        AuditEvent.objects.order_by("sequence")
        .values_list(*fields)
        .iterator(chunk_size=arguments.chunk_size)
    )
    while chunk := list(islice(rows, 50_000)):
        best_canonical = best_hashing = float("inf")
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            prepared = [chain_message(row[9], canonical_row(*row[:9])) for row in chunk]
            best_canonical = min(best_canonical, time.perf_counter() - started)
            started = time.perf_counter()
            for message in prepared:
                sha256(message).hexdigest()
            best_hashing = min(best_hashing, time.perf_counter() - started)
        canonicalising += best_canonical
        hashing += best_hashing
    return {"verify": verify, "hashlib": hashing, "in_memory": canonicalising + hashing}


def report(arguments, database: str, appends: dict, verify: dict) -> None:
    from django.db import connection
    from rich.console import Console
    from rich.table import Table

    many_rows = arguments.rows - arguments.single
    table = Table(title=f"audit log, {arguments.rows:,} rows on {connection.vendor}")
    for column in ("measure", "audit", "baseline", "ratio (goal >= 0.5)"):
        table.add_column(column, justify="right" if column != "measure" else "left")

    def rate(count: int, seconds: float) -> str:
        return f"{count / seconds:,.0f}/s" if seconds else "-"

    def ratio(baseline: float, audit: float) -> str:
        return f"{baseline / audit:.2f}" if audit else "-"

    table.add_row(
        "(a) audit_record vs create()",
        rate(arguments.single, appends["record"]),
        rate(arguments.single, appends["create"]),
        ratio(appends["create"], appends["record"]),
    )
    table.add_row(
        f"(a) audit_record_many vs bulk_create ({arguments.batch}/batch)",
        rate(many_rows, appends["many"]),
        rate(many_rows, appends["bulk"]),
        ratio(appends["bulk"], appends["many"]),
    )
    table.add_row(
        "(b) verify vs hashlib alone",
        rate(arguments.rows, verify["verify"]),
        rate(arguments.rows, verify["hashlib"]),
        ratio(verify["hashlib"], verify["verify"]),
    )
    table.add_row(
        "(b) verify vs canonicalise + hash in memory",
        rate(arguments.rows, verify["verify"]),
        rate(arguments.rows, verify["in_memory"]),
        ratio(verify["in_memory"], verify["verify"]),
    )
    console = Console()
    console.print(table)
    console.print(
        f"database: {database}; verify of {arguments.rows:,} rows took {verify['verify']:.2f} s"
    )


def main() -> None:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="pledge-audit-bench-") as workdir:
        set_up_django(Path(workdir))
        from django.db import connection

        database = create_database()
        try:
            plain = baseline_model()
            appends = measure_appends(arguments, plain)
            verify = measure_verify(arguments)
            report(arguments, database, appends, verify)
        finally:
            if connection.vendor == "postgresql":
                connection.creation.destroy_test_db(database, verbosity=0)


if __name__ == "__main__":
    main()
