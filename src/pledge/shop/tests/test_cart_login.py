"""The cart and the account: merged at sign-in, kept with the account, gone from the browser
after signing out."""

import pytest

from pledge.accounts.tests.factories import PASSWORD, customer_create
from pledge.shop.cart import SESSION_KEY, cart_lines_for_user
from pledge.shop.models import CartItem, Product

from .catalogue_factories import BOTH, catalogue_runtime, product_make  # noqa: F401

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]


def add(client, product, quantity=1):
    return client.post("/en/cart/add/", {"product": product.pk, "quantity": quantity})


def sign_in(client, customer):
    response = client.post(
        "/en/account/login/", {"username": customer.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def account_cart(customer) -> dict[str, int]:
    return {line.slug: line.quantity for line in cart_lines_for_user(customer)}


def test_the_visitors_cart_is_kept_when_they_sign_in(client):
    customer = customer_create()
    poster = product_make(slug="poster")
    add(client, poster, 2)
    sign_in(client, customer)
    assert account_cart(customer) == {"poster": 2}
    assert SESSION_KEY not in client.session  # moved, not copied
    assert "Canvas 40x60 cm with your photo" in client.get("/en/cart/").content.decode()


def test_sign_in_adds_the_visitors_quantities_to_the_accounts_cart(client):
    customer = customer_create()
    poster = product_make(slug="poster", stock=50)
    canvas = product_make(slug="canvas", stock=50)
    CartItem.objects.create(user=customer, product=poster, quantity=3)
    add(client, poster, 2)
    add(client, canvas, 1)
    sign_in(client, customer)
    assert account_cart(customer) == {"poster": 5, "canvas": 1}


def test_the_merged_quantity_is_capped_by_the_stock(client):
    customer = customer_create()
    poster = product_make(slug="poster", stock=4)
    CartItem.objects.create(user=customer, product=poster, quantity=3)
    add(client, poster, 3)
    sign_in(client, customer)
    assert account_cart(customer) == {"poster": 4}


def test_a_signed_in_customers_cart_is_stored_with_the_account(client):
    customer = customer_create()
    poster = product_make(slug="poster")
    client.force_login(customer)
    add(client, poster, 2)
    assert CartItem.objects.get(user=customer).quantity == 2
    assert SESSION_KEY not in client.session
    client.post("/en/cart/update/", {"product": poster.pk, "quantity": 3})
    assert account_cart(customer) == {"poster": 3}
    client.post("/en/cart/remove/", {"product": poster.pk})
    assert not CartItem.objects.filter(user=customer).exists()


def test_after_signing_out_the_browser_has_an_empty_cart_and_the_account_keeps_its_own(client):
    customer = customer_create()
    poster = product_make(slug="poster")
    sign_in(client, customer)
    add(client, poster, 2)
    client.post("/en/account/logout/")
    html = client.get("/en/cart/").content.decode()
    assert "Your cart is empty." in html
    assert account_cart(customer) == {"poster": 2}

    sign_in(client, customer)  # on another day, or another device
    assert "Canvas 40x60 cm with your photo" in client.get("/en/cart/").content.decode()


def test_one_customers_cart_is_never_shown_to_another(client):
    first, second = customer_create(), customer_create()
    poster = product_make(slug="poster", name_en="Poster of the first customer")
    client.force_login(first)
    add(client, poster, 1)
    client.logout()
    client.force_login(second)
    assert "Poster of the first customer" not in client.get("/en/cart/").content.decode()


def test_a_withdrawn_product_drops_out_of_the_accounts_cart_with_a_notice(client):
    customer = customer_create()
    poster = product_make(slug="poster")
    canvas = product_make(slug="canvas")
    client.force_login(customer)
    add(client, poster, 1)
    add(client, canvas, 1)
    Product.objects.filter(pk=poster.pk).update(is_active=False)
    html = client.get("/en/cart/").content.decode()
    assert "no longer for sale" in html
    assert [line.slug for line in cart_lines_for_user(customer)] == ["canvas"]


def test_the_accounts_cart_goes_with_the_account():
    customer = customer_create()
    CartItem.objects.create(user=customer, product=product_make(slug="poster"), quantity=1)
    customer.delete()
    assert not CartItem.objects.exists()
