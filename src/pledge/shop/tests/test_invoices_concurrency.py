"""Invoices issued at the same moment still number 1..N, without gap or duplicate (PostgreSQL:
concurrent sessions and row locks; SQLite has a single writer)."""

import threading

import pytest
from django.db import connections, transaction
from django.utils import translation

from pledge.accounts.tests.factories import customer_create
from pledge.shop.invoices import invoice_issue
from pledge.shop.models import Invoice

from .invoice_factories import order_create

WORKERS = 8

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    """Files and counters of our own (vault tombstones); Dutch, the shop's language."""
    with translation.override("nl"):
        yield


class PaymentHandlerFailed(Exception):
    pass


def run_at_once(jobs) -> list[BaseException]:
    """Run each job in its own thread (own database connections), all released together."""
    start = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def worker(job) -> None:
        try:
            start.wait()
            job()
        except PaymentHandlerFailed:
            pass
        except BaseException as error:  # reported by the test
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def paid(order_id, *, rolls_back: bool = False):
    def job() -> None:
        with transaction.atomic():
            invoice_issue(order_id=order_id)
            if rolls_back:
                raise PaymentHandlerFailed

    return job


def test_concurrent_invoices_are_numbered_one_to_n_and_a_rollback_leaves_no_gap():
    customer = customer_create()
    orders = [order_create(user=customer) for _ in range(WORKERS)]
    doomed = [order_create(user=customer) for _ in range(2)]
    jobs = [paid(order.pk) for order in orders] + [paid(o.pk, rolls_back=True) for o in doomed]

    assert run_at_once(jobs) == []

    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS + 1))
    assert not Invoice.objects.filter(order__in=doomed).exists()


def test_the_same_payment_event_twice_at_once_issues_one_invoice():
    order = order_create(user=customer_create())

    assert run_at_once([paid(order.pk), paid(order.pk), paid(order.pk)]) == []

    assert list(Invoice.objects.filter(order=order).values_list("number", flat=True)) == [1]
