"""Checkout: account first, choices, the review a consumer must see before ordering, the order
button, and an order placed from the database's prices, once, without overselling."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledge.audit.models import AuditEvent
from pledge.shop.models import Counter, Order, OrderStatus, Product

from .factories import (
    BOTH,
    cart_put,
    checkout,
    choices_post,
    collect,
    customer_create,
    page_text,
    photo_book,
    place,
    postnl,
    product_make,
    review_form,
    shop_runtime,
    signed_in,
)

pytestmark = [pytest.mark.django_db(databases=BOTH), pytest.mark.usefixtures("shop_runtime")]
__all__ = ["shop_runtime"]


@pytest.fixture
def frame():
    postnl()
    collect()
    return product_make(stock=5)


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back_to_checkout_with_the_cart_kept(
    client, frame
):
    cart_put(client, frame, 2)
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/checkout/"
    english = client.get("/en/checkout/")
    assert english["Location"] == "/en/account/login/?next=/en/checkout/"

    user = customer_create()
    login = client.post(
        response["Location"], {"username": user.username, "password": "zonnebloem-fietsbel-42"}
    )
    assert login["Location"] == "/checkout/"  # straight back, with the cart merged in
    assert client.get("/checkout/").status_code == 200
    review = client.get(reverse("shop:checkout_review"))
    assert review.status_code == 302  # choices first
    checkout(client, user)
    html = page_text(client.get(reverse("shop:checkout_review")))
    assert "Fotolijst zwart A4" in html and "€ 25,00" in html  # 2 x 12,50


def test_the_review_shows_lines_vat_per_rate_shipping_terms_and_withdrawal_before_the_order(
    client, frame
):
    user = signed_in(client)
    cart_put(client, frame, 2)
    cart_put(client, photo_book(), 1)
    checkout(client, user)
    html = page_text(client.get(reverse("shop:checkout_review")))
    # 2 x 12,50 + 24,95 + 4,95 shipping (21%) = 54,90
    assert "€ 54,90" in html
    assert "Waarvan btw 21% over € 29,95" in html and "€ 5,20" in html
    assert "Waarvan btw 9% over € 24,95" in html and "€ 2,06" in html
    assert "PostNL pakket" in html and "€ 4,95" in html
    assert "Nederland</address>" in html  # the delivery country by name, not "NL"
    assert reverse("shop:terms") in html
    assert "binnen 14 dagen" in html and "Modelformulier voor herroeping" in html
    assert "6:230p" in html and "Gepersonaliseerd: geen herroepingsrecht" in html
    assert "Bestelling met betalingsverplichting" in html
    assert "Prinsengracht 263" in html

    client.post(
        "/en/checkout/",
        {"delivery": "postnl", "payment": "testpsp", "address": user.addresses.first().pk},
    )
    english = page_text(client.get("/en/checkout/review/"))
    assert "Order with obligation to pay" in english
    assert "Model withdrawal form" in english and "within 14 days" in english
    assert "Of which VAT 9% on €24.95" in english


def test_an_order_of_personalised_products_only_promises_no_right_of_withdrawal(client, frame):
    user = signed_in(client)
    cart_put(client, photo_book(), 1)
    checkout(client, user)
    html = page_text(client.get(reverse("shop:checkout_review")))
    assert "6:230p" in html
    assert "binnen 14 dagen zonder opgave van redenen" not in html
    assert "Modelformulier voor herroeping" not in html


def test_the_terms_page_names_the_trader_and_the_right_of_withdrawal(client):
    html = page_text(client.get(reverse("shop:terms")))
    assert "Pixeljet B.V." in html and "70012345" in html
    assert "Modelformulier voor herroeping" in html
    assert "Right of withdrawal" in page_text(client.get("/en/checkout/terms/"))


def test_placing_the_order_takes_stock_copies_the_lines_and_goes_to_the_payment_page(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 2)
    form = checkout(client, user)
    response = place(client, form)
    assert response.status_code == 302
    order = Order.objects.get(user=user)
    assert "/partners/" in response["Location"]  # the test payment provider's page
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.number >= 1001
    assert order.total == Decimal("29.95") and order.delivery_price == Decimal("4.95")
    [line] = order.lines.all()
    assert (line.name_nl, line.unit_price, line.quantity) == ("Fotolijst zwart A4", 12.5, 2)
    frame.refresh_from_db()
    assert frame.stock == 3
    assert order.delivery_address["street"] == "Prinsengracht"
    assert order.phone == "+31 6 1234 5678"
    assert order.payment_reference  # the payment the provider is showing
    # The address and phone number are encrypted in the table (the profile key).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT delivery_address, phone FROM shop_order WHERE id = %s", [order.pk.hex]
        )
        row = cursor.fetchone() or ()
    assert row and not any("Prinsengracht" in str(value) or "1234" in str(value) for value in row)
    event = AuditEvent.objects.filter(action="order_change").get()
    assert event.object_type == "shop.order" and event.object_id == str(order.pk)
    assert event.details == {"status": "pending_payment", "lines": 1}
    # The cart is empty now.
    assert "leeg" in page_text(client.get(reverse("shop:cart")))


def test_prices_and_quantities_sent_with_the_order_button_are_ignored(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 1)
    form = checkout(client, user)
    place(client, form, price="0.01", unit_price="0.01", quantity="50", total="0.01")
    order = Order.objects.get(user=user)
    assert order.total == Decimal("17.45")
    assert [(line.quantity, line.unit_price) for line in order.lines.all()] == [
        (1, Decimal("12.50"))
    ]


def test_the_order_button_without_accepting_the_terms_places_nothing(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 1)
    form = checkout(client, user)
    del form["terms"]
    response = place(client, form)
    assert response.status_code == 400
    assert "algemene voorwaarden" in page_text(response)
    assert not Order.objects.exists()
    frame.refresh_from_db()
    assert frame.stock == 5


def test_the_same_checkout_submitted_twice_makes_one_order(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 1)
    form = checkout(client, user)
    first = place(client, form)
    second = place(client, form)
    order = Order.objects.get(user=user)
    assert "/partners/" in first["Location"]
    assert second["Location"] == reverse("shop:confirmation", args=[order.pk])
    frame.refresh_from_db()
    assert frame.stock == 4


def test_a_price_change_after_the_review_shows_the_review_again(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 1)
    form = checkout(client, user)
    Product.objects.filter(pk=frame.pk).update(price=Decimal("14.50"))
    response = place(client, form)
    assert response["Location"] == reverse("shop:checkout_review")
    assert not Order.objects.exists()
    page = page_text(client.get(response["Location"]))
    assert "Uw bestelling is veranderd" in page and "€ 19,45" in page


def test_an_item_sold_out_meanwhile_gives_a_clear_message_and_no_order(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 2)
    form = checkout(client, user)
    Product.objects.filter(pk=frame.pk).update(stock=0)
    response = place(client, form)
    assert response.status_code == 409
    assert not Order.objects.exists()
    text = page_text(response)
    assert "Fotolijst zwart A4 is uitverkocht" in text and "niet geplaatst" in text


def test_fewer_left_than_in_the_cart_shows_the_review_again_with_the_reason(client, frame):
    user = signed_in(client)
    cart_put(client, frame, 2)
    form = checkout(client, user)
    Product.objects.filter(pk=frame.pk).update(stock=1)
    response = place(client, form)
    assert response["Location"] == reverse("shop:checkout_review")
    assert not Order.objects.exists()
    text = page_text(client.get(response["Location"]))
    assert "Uw bestelling is veranderd" in text and "€ 17,45" in text
    frame.refresh_from_db()
    assert frame.stock == 1


def test_collecting_at_the_shop_needs_no_address(client, frame):
    user = signed_in(client, addresses=[])
    cart_put(client, frame, 1)
    assert choices_post(client, delivery="postnl").status_code == 200  # an address is needed
    assert choices_post(client, delivery="collect").status_code == 302
    place(client, review_form(client))
    order = Order.objects.get(user=user)
    assert order.delivery_address is None and order.total == Decimal("12.50")


def test_checkout_with_an_empty_cart_goes_to_the_cart_and_leaves_no_stale_notice(client, frame):
    signed_in(client)
    for step in ("shop:checkout", "shop:checkout_review"):
        response = client.get(reverse(step), follow=True)
        assert response.redirect_chain[-1][0] == reverse("shop:cart")
        assert page_text(response).count("Uw winkelwagen is leeg") == 1
    assert "winkelwagen is leeg" not in page_text(client.get(reverse("shop:orders")))


def test_collecting_at_the_shop_is_offered_as_free_in_the_page_language(client, frame):
    signed_in(client)
    cart_put(client, frame, 1)
    dutch = page_text(client.get(reverse("shop:checkout")))
    assert "(gratis)" in dutch and "(free)" not in dutch
    assert "(free)" in page_text(client.get("/en/checkout/"))


def test_a_new_address_typed_at_checkout_goes_into_the_address_book(client, frame):
    user = signed_in(client, addresses=[])
    cart_put(client, frame, 1)
    response = client.post(
        reverse("shop:checkout"),
        {
            "delivery": "postnl",
            "payment": "testpsp",
            "address": "new",
            "new-name": "Daan Jansen",
            "new-street": "Oudegracht",
            "new-house_number": "158",
            "new-postal_code": "3511az",
            "new-city": "Utrecht",
            "new-country": "NL",
        },
    )
    assert response.status_code == 302
    [address] = user.addresses.all()
    assert address.postal_address["postal_code"] == "3511 AZ"
    place(client, review_form(client))
    assert Order.objects.get(user=user).delivery_address["city"] == "Utrecht"


def test_an_unconfirmed_e_mail_address_cannot_order_yet(client, frame):
    user = signed_in(client, verified=False)
    cart_put(client, frame, 1)
    form = checkout(client, user)
    response = place(client, form, follow=True)
    assert "Bevestig uw e-mailadres" in page_text(response)
    assert not Order.objects.exists()


# What one press of the order button costs, counted on SQLite inside the test's transaction
# (where each service's own transaction is a SAVEPOINT/RELEASE pair; in production those are
# BEGIN/COMMIT, which the count does not see):
#   3 session, user, the session guard's row        (middleware, every signed-in request)
#   1 the cart with its products                    (catalogue)
#   3 profile with address book, delivery method    (accounts selector + shop)
#   9 order_place: savepoint, products locked, one stock UPDATE for all lines, the order number
#     (UPDATE ... RETURNING), the order, all lines in one INSERT, the audit row (chain head +
#     insert), release
#   1 cart emptied                                  (catalogue)
#   6 payment started: savepoint, payment, disclosure, its audit row (2), release (partners)
#   1 the payment's id kept on the order
# and one vault query for the customer's keys (the audit pseudonyms derive from the same keys).
# Nothing here grows with the number of lines. Checking out one order (order_place) stays under
# the 15 queries: see test_order_place_itself_takes_fewer_than_15_queries.
ORDER_BUTTON_QUERIES = 24


@pytest.fixture
def numbered(frame):
    """A shop that has taken orders before: the order number series exists."""
    Counter.objects.create(name="order", last=1041)
    return frame


def test_the_order_button_needs_as_many_queries_for_six_lines_as_for_one(client, numbered):
    user = signed_in(client)
    counts, vault_counts = [], []
    for lines in (1, 6):
        for _ in range(lines):
            cart_put(client, product_make(price="3.00"), 2)
        form = checkout(client, user)
        with (
            CaptureQueriesContext(connection) as queries,
            CaptureQueriesContext(connections["vault"]) as vault_queries,
        ):
            place(client, form)
        counts.append(len(queries))
        vault_counts.append(len(vault_queries))
    assert [order.lines.count() for order in Order.objects.order_by("number")] == [1, 6]
    assert counts[0] == counts[1] <= ORDER_BUTTON_QUERIES
    assert vault_counts == [1, 1]  # the customer's keys, once per request


def test_order_place_itself_takes_fewer_than_15_queries(
    client, numbered, django_assert_max_num_queries
):
    from pledge.accounts.selectors import customer_profile
    from pledge.shop.checkout import quote_build
    from pledge.shop.services import order_place

    user = customer_create()
    products = [numbered, product_make(price="3.00"), product_make(price="4.00")]
    quantities = [(product.pk, 1) for product in products]
    quote = quote_build(products=products, quantities=quantities, delivery=postnl())
    profile = customer_profile(user_id=user.pk)
    with django_assert_max_num_queries(14):
        placed = order_place(
            user=user,
            customer=profile,
            quantities=quantities,
            delivery_code="postnl",
            address_id=profile.addresses[0]["id"],
            payment_method="testpsp",
            idempotency_key=uuid.uuid4(),
            review_digest=quote.digest,
            language="nl",
        )
    assert placed.created and placed.order.lines.count() == 3
