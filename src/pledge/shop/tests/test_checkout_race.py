"""The last item is sold once: customers pressing the order button at the same moment, each in
a thread with its own database connection (PostgreSQL row locks; SQLite has one writer)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.utils import translation

from pledge.shop.models import Order, Product

from .factories import cart_put, checkout, page_text, place, postnl, product_make, signed_in

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


@pytest.fixture(autouse=True)
def _own_runtime(isolated_runtime):
    from pledge.partners import loader

    loader.reset()
    with translation.override("nl"):
        yield
    loader.reset()


def ready_to_order(product: Product, count: int) -> list[tuple[Client, dict]]:
    """``count`` customers, each with the product in the cart and the review page open."""
    buyers = []
    for _ in range(count):
        client = Client()
        user = signed_in(client)
        cart_put(client, product, 1)
        buyers.append((client, checkout(client, user)))
    return buyers


def press_at_once(buyers) -> list:
    start = threading.Barrier(len(buyers))
    responses: list = [None] * len(buyers)
    failures: list[BaseException] = []

    def press(index: int, client: Client, form: dict) -> None:
        try:
            with translation.override("nl"):
                start.wait()
                responses[index] = place(client, form)
        except BaseException as error:  # reported by the test
            failures.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=press, args=(index, client, form))
        for index, (client, form) in enumerate(buyers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return responses


def test_two_customers_ordering_the_last_item_at_once_make_exactly_one_order():
    postnl()
    product = product_make(stock=1)
    responses = press_at_once(ready_to_order(product, 2))

    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 0
    sold, refused = sorted(responses, key=lambda response: response.status_code)
    assert sold.status_code == 302 and "/partners/" in sold["Location"]
    assert refused.status_code == 409
    assert "uitverkocht" in page_text(refused).lower()
    assert "niet geplaatst" in page_text(refused)


def test_six_customers_for_two_items_make_exactly_two_orders_and_no_gap_in_numbers():
    postnl()
    product = product_make(stock=2)
    responses = press_at_once(ready_to_order(product, 6))

    assert sorted(response.status_code for response in responses) == [302, 302] + [409] * 4
    product.refresh_from_db()
    assert product.stock == 0
    numbers = sorted(Order.objects.values_list("number", flat=True))
    assert len(numbers) == 2 and numbers[1] == numbers[0] + 1


def test_a_refund_retry_pressed_while_the_refund_is_under_way_refunds_once(monkeypatch):
    """Two "retry refund" presses (or the accept's own refund and a press) at the same moment:
    the payment provider is asked once, not twice (Mollie reports a refund only later, so our
    own payment row cannot tell the second request that the money went back already)."""
    import time

    from pledge.accounts.tests.factories import customer_create
    from pledge.backoffice.tests.factories import staff_create
    from pledge.partners import services as partner_services
    from pledge.shop.models import OrderStatus, ReturnStatus
    from pledge.shop.returns import ReturnRefused, return_accept, return_refund_retry
    from pledge.shop.returns import return_request as withdraw

    from .invoice_factories import FRAME, invoiced_order, paid_at_the_provider

    customer, staff = customer_create(), staff_create(roles=("fulfilment",))
    order, _invoice = invoiced_order(
        user=customer, lines=((FRAME, 1),), status=OrderStatus.DELIVERED
    )
    paid_at_the_provider(order)
    request = withdraw(user=customer, order_id=order.pk)

    def provider_down(**kwargs):
        raise ConnectionError("the payment provider did not answer")

    monkeypatch.setattr(partner_services, "payment_refund", provider_down)
    return_accept(return_id=request.pk, staff=staff)  # its refund (on commit) fails

    asked = []

    def slow_provider(**kwargs):
        asked.append(kwargs["amount"])
        time.sleep(0.5)  # the provider takes its time; Mollie reports the refund later

    monkeypatch.setattr(partner_services, "payment_refund", slow_provider)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def press() -> None:
        try:
            with translation.override("nl"):
                start.wait()
                return_refund_retry(return_id=request.pk, staff=staff)
        except ReturnRefused:
            pass  # the second press may find it decided: that is fine
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(asked) == 1
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED
