"""Two tabs of one signed-in customer adding to the cart at the same moment: no addition is lost
and the stock cap holds (PostgreSQL: concurrent sessions and row locks)."""

import threading
from types import SimpleNamespace

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections

from pledge.accounts.tests.factories import customer_create
from pledge.shop.cart import cart_add, cart_lines_for_user
from pledge.shop.models import CartItem

from .catalogue_factories import BOTH, catalogue_runtime, product_make  # noqa: F401

WORKERS = 6

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]


def add_at_once(user, product, quantity: int) -> list[BaseException]:
    start = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            request = SimpleNamespace(user=user, session=SessionStore())
            start.wait()
            cart_add(request, product_id=product.pk, quantity=quantity)
        except BaseException as error:  # reported by the test
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_simultaneous_additions_all_count():
    user = customer_create()
    product = product_make(slug="poster", stock=50)
    CartItem.objects.create(user=user, product=product, quantity=1)
    assert add_at_once(user, product, 2) == []
    assert [line.quantity for line in cart_lines_for_user(user)] == [1 + WORKERS * 2]


def test_simultaneous_additions_stop_at_the_stock():
    user = customer_create()
    product = product_make(slug="poster", stock=5)
    CartItem.objects.create(user=user, product=product, quantity=1)
    assert add_at_once(user, product, 3) == []
    assert CartItem.objects.get(user=user).quantity == 5
