"""A visitor's cart: add, change, remove, totals with VAT per rate, stock limits, and prices that
only ever come from the database."""

from decimal import Decimal

import pytest

from pledge.policy.selectors import current_policy
from pledge.shop.cart import SESSION_KEY
from pledge.shop.models import Product, VatRate

from .catalogue_factories import BOTH, catalogue_runtime, product_make  # noqa: F401

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]
NBSP = "\u00a0"


def add(client, product, quantity=1, prefix="", **extra):
    return client.post(
        f"{prefix}/cart/add/", {"product": product.pk, "quantity": quantity, **extra}
    )


def session_cart(client) -> dict:
    return client.session.get(SESSION_KEY, {})


def test_an_anonymous_visitor_adds_a_product_and_sees_it_in_the_cart(client):
    poster = product_make(slug="poster", price="19.99")
    response = add(client, poster, 2)
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    html = client.get("/cart/").content.decode()
    assert "Canvas 40x60 cm met uw foto zit in uw winkelwagen." in html
    assert f"€{NBSP}39,98" in html
    assert session_cart(client) == {str(poster.pk): 2}


def test_adding_again_adds_to_the_quantity(client):
    poster = product_make(slug="poster")
    add(client, poster, 2)
    add(client, poster, 3)
    assert session_cart(client) == {str(poster.pk): 5}


def test_totals_show_the_vat_per_rate(client):
    canvas = product_make(slug="canvas", price="19.99", vat_rate=VatRate.HIGH)
    book = product_make(slug="book", price="37.95", vat_rate=VatRate.LOW)
    add(client, canvas, 2, prefix="/en")
    add(client, book, 1, prefix="/en")
    html = client.get("/en/cart/").content.decode()
    assert "€77.93" in html  # 2 x 19.99 + 37.95
    assert "Of which VAT 21% on €39.98" in html
    assert "€6.94" in html  # 39.98 * 21/121
    assert "Of which VAT 9% on €37.95" in html
    assert "€3.13" in html


def test_the_cart_page_is_in_dutch_at_the_root(client):
    add(client, product_make(slug="poster", price="19.99"))
    html = client.get("/cart/").content.decode()
    assert "Uw winkelwagen" in html
    assert f"Waarvan btw 21% over €{NBSP}19,99" in html


def test_changing_a_quantity_and_removing_a_line(client):
    canvas = product_make(slug="canvas")
    book = product_make(slug="book")
    add(client, canvas, 1)
    add(client, book, 1)
    assert client.post("/cart/update/", {"product": canvas.pk, "quantity": 4}).status_code == 302
    assert session_cart(client) == {str(canvas.pk): 4, str(book.pk): 1}
    client.post("/cart/remove/", {"product": book.pk})
    assert session_cart(client) == {str(canvas.pk): 4}
    client.post("/cart/update/", {"product": canvas.pk, "quantity": 0})
    assert session_cart(client) == {}
    assert "Uw winkelwagen is leeg." in client.get("/cart/").content.decode()


def test_a_price_sent_along_with_the_form_is_ignored(client):
    poster = product_make(slug="poster", price="19.99")
    add(client, poster, 1, prefix="/en", price="0.01", unit_price="0.01", total="0.01")
    client.post("/en/cart/update/", {"product": poster.pk, "quantity": 2, "price": "0.01"})
    html = client.get("/en/cart/").content.decode()
    assert "€39.98" in html
    assert "0.01" not in html
    assert all(isinstance(v, int) for v in session_cart(client).values())  # no price stored


def test_a_price_change_in_the_catalogue_shows_in_the_cart_at_once(client):
    poster = product_make(slug="poster", price="19.99")
    add(client, poster, 1, prefix="/en")
    Product.objects.filter(pk=poster.pk).update(price=Decimal("24.50"))
    assert "€24.50" in client.get("/en/cart/").content.decode()


@pytest.mark.parametrize("quantity", ["-3", "abc", "1.5", "", "100", "1e3"])
def test_a_nonsense_quantity_is_refused_with_a_clear_message(client, quantity):
    poster = product_make(slug="poster")
    response = client.post("/en/cart/add/", {"product": poster.pk, "quantity": quantity})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert any(
        phrase in html
        for phrase in ("Enter a whole number", "at least 1", "At most 99", "Enter a quantity")
    )
    assert session_cart(client) == {}


def test_an_unknown_or_withdrawn_product_cannot_be_added(client):
    hidden = product_make(slug="hidden", is_active=False)
    assert client.post("/en/cart/add/", {"product": 999999, "quantity": 1}).status_code == 404
    response = add(client, hidden, 1, prefix="/en")
    assert response.status_code == 404
    assert "This product is not for sale." in response.content.decode()
    assert session_cart(client) == {}


def test_a_sold_out_product_cannot_be_added(client):
    poster = product_make(slug="poster", stock=0)
    response = add(client, poster, 1, prefix="/en")
    assert response.status_code == 409
    assert "is sold out and cannot be added to your cart" in response.content.decode()
    assert session_cart(client) == {}


def test_the_quantity_is_capped_by_the_stock_with_a_notice(client):
    poster = product_make(slug="poster", stock=3)
    add(client, poster, 2, prefix="/en")
    add(client, poster, 2, prefix="/en")
    assert session_cart(client) == {str(poster.pk): 3}
    html = client.get("/en/cart/").content.decode()
    assert "Only 3 of Canvas 40x60 cm with your photo left: your cart holds 3." in html
    client.post("/en/cart/update/", {"product": poster.pk, "quantity": 50})
    assert session_cart(client) == {str(poster.pk): 3}


def test_stock_that_runs_out_after_adding_is_shown_and_left_out_of_the_totals(client):
    poster = product_make(slug="poster", price="10.00", stock=5)
    canvas = product_make(slug="canvas", price="20.00", stock=5)
    add(client, poster, 4, prefix="/en")
    add(client, canvas, 1, prefix="/en")
    Product.objects.filter(pk=poster.pk).update(stock=0)
    Product.objects.filter(pk=canvas.pk).update(stock=0)
    html = client.get("/en/cart/").content.decode()
    assert "is sold out and was left out" in html
    assert "Your cart is empty." in html


def test_a_cart_of_a_product_with_fewer_left_shows_the_lower_quantity(client):
    poster = product_make(slug="poster", price="10.00", stock=5)
    add(client, poster, 4, prefix="/en")
    Product.objects.filter(pk=poster.pk).update(stock=2)
    html = client.get("/en/cart/").content.decode()
    assert "€20.00" in html
    assert "your cart holds 2" in html


def test_updating_a_product_that_is_not_in_the_cart_is_refused(client):
    poster = product_make(slug="poster")
    response = client.post("/en/cart/update/", {"product": poster.pk, "quantity": 2})
    assert response.status_code == 409
    assert "not in your cart" in response.content.decode()


def test_cart_actions_need_post(client):
    poster = product_make(slug="poster")
    assert client.get(f"/cart/add/?product={poster.pk}&quantity=1").status_code == 405
    assert session_cart(client) == {}


def test_adding_to_the_cart_sets_no_cookie_the_policy_does_not_declare(client):
    declared = {cookie.name for cookie in current_policy().cookies}
    poster = product_make(slug="poster")
    responses = [
        client.get("/shop/fotoafdrukken/poster/"),
        add(client, poster, 1),
        client.get("/cart/"),
        client.post("/cart/update/", {"product": poster.pk, "quantity": 2}),
        client.post("/cart/remove/", {"product": poster.pk}),
        client.get("/cart/"),
    ]
    set_cookies = {name for response in responses for name in response.cookies}
    assert "sessionid" in set_cookies  # the cart lives in the declared session cookie
    assert set_cookies <= declared
    assert set_cookies <= {"sessionid", "csrftoken"}


def test_the_cart_page_is_not_cached(client):
    add(client, product_make(slug="poster"))
    assert "no-store" in client.get("/cart/")["Cache-Control"]


def test_an_empty_cart_page_starts_no_session(client):
    response = client.get("/cart/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
