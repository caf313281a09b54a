"""Several workers appending at once still produce one unbroken chain (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from pledge.audit.models import AuditEvent
from pledge.audit.selectors import audit_verify
from pledge.audit.services import AuditEntry, audit_record, audit_record_many

WORKERS = 8
EVENTS_EACH = 25

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has a single writer; the race needs PostgreSQL's concurrent sessions",
    ),
]


def run_workers(work) -> list[BaseException]:
    start = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            start.wait()  # all at once, to make the race as likely as possible
            work(number)
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connections.close_all()  # each thread has its own connection; don't leak it

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_concurrent_single_appends_form_one_chain(audit_settings):
    audit_settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 50

    def work(number: int) -> None:
        for _ in range(EVENTS_EACH):
            audit_record(action="login", details={"worker": number})

    assert run_workers(work) == []
    total = WORKERS * EVENTS_EACH
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, total + 1)
    )
    report = audit_verify()
    assert report.ok, report.problem
    assert (report.rows, report.checkpoints) == (total, total // 50)


def test_concurrent_batches_and_single_appends_form_one_chain():
    def work(number: int) -> None:
        for _ in range(5):
            if number % 2:
                audit_record_many(entries=[AuditEntry(action="logout")] * 10)
            else:
                audit_record(action="login")

    assert run_workers(work) == []
    report = audit_verify()
    assert report.ok, report.problem
    assert report.rows == 4 * 5 * 10 + 4 * 5
