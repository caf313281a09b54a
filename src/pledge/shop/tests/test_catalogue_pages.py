"""A visitor browses the shop: categories, products, prices with their VAT, stock, in NL and EN."""

from decimal import Decimal

import pytest

from pledge.shop.catalogue_selectors import price_format, vat_included
from pledge.shop.models import VatRate

from .catalogue_factories import BOTH, catalogue_runtime, category_make, product_make  # noqa: F401

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]
NBSP = "\u00a0"


def test_prices_are_written_the_dutch_way_on_dutch_pages_and_the_english_way_on_english_ones():
    assert price_format(Decimal("12.95"), "nl") == f"€{NBSP}12,95"
    assert price_format(Decimal("1234.5"), "nl") == f"€{NBSP}1.234,50"
    assert price_format(Decimal("12.95"), "en") == "€12.95"
    assert price_format(Decimal("1234.5"), "en") == "€1,234.50"


def test_vat_in_a_price_is_worked_out_at_the_products_rate():
    assert vat_included(Decimal("19.99"), VatRate.HIGH) == Decimal("3.47")  # 19.99 * 21/121
    assert vat_included(Decimal("37.95"), VatRate.LOW) == Decimal("3.13")  # 37.95 * 9/109
    assert vat_included(Decimal("0.00"), VatRate.HIGH) == Decimal("0.00")


def test_shop_home_lists_every_category_with_its_products_and_their_pages():
    prints = category_make(slug="fotoafdrukken", nl="Fotoafdrukken", en="Photo prints")
    books = category_make(slug="fotoboeken", nl="Fotoboeken", en="Photo books")
    product_make(slug="canvas-40x60", category=prints)
    product_make(slug="fotoboek-a4", category=books, name_nl="Fotoboek A4", name_en="Photo book")
    from django.test import Client

    html = Client().get("/shop/").content.decode()
    assert "Fotoafdrukken" in html and "Fotoboeken" in html
    assert 'href="/shop/fotoafdrukken/"' in html
    assert 'href="/shop/fotoafdrukken/canvas-40x60/"' in html
    assert 'href="/shop/fotoboeken/fotoboek-a4/"' in html


def test_english_pages_show_english_names_under_en(client):
    product_make(slug="canvas-40x60")
    html = client.get("/en/shop/fotoafdrukken/canvas-40x60/").content.decode()
    assert "Canvas 40x60 cm with your photo" in html
    assert "met uw foto" not in html
    assert 'href="/en/shop/fotoafdrukken/"' in html
    assert "Photo prints" in html


def test_product_page_shows_the_price_with_the_vat_it_contains_in_dutch(client):
    product_make(slug="poster", price="19.99", vat_rate=VatRate.HIGH)
    html = client.get("/shop/fotoafdrukken/poster/").content.decode()
    assert f"€{NBSP}19,99" in html
    assert f"incl. €{NBSP}3,47 btw" in html
    assert "21%" in html


def test_product_page_shows_the_price_with_the_vat_it_contains_in_english(client):
    product_make(slug="fotoboek", price="37.95", vat_rate=VatRate.LOW)
    html = client.get("/en/shop/fotoafdrukken/fotoboek/").content.decode()
    assert "€37.95" in html
    assert "incl. €3.13 VAT" in html
    assert "9%" in html


def test_category_page_shows_the_vat_amount_on_every_card(client):
    product_make(slug="a", price="19.99")
    product_make(slug="b", price="37.95", vat_rate=VatRate.LOW)
    html = client.get("/shop/fotoafdrukken/").content.decode()
    assert f"incl. €{NBSP}3,47 btw" in html
    assert f"incl. €{NBSP}3,13 btw" in html


@pytest.mark.parametrize(
    ("stock", "dutch", "english"),
    [
        (20, "Op voorraad", "In stock"),
        (3, "Nog maar 3 op voorraad", "Only 3 left"),
        (1, "Nog maar 1 op voorraad", "Only 1 left"),
        (0, "Uitverkocht", "Sold out"),
    ],
)
def test_stock_is_shown_as_in_stock_only_a_few_left_or_sold_out(client, stock, dutch, english):
    product_make(slug="poster", stock=stock)
    assert dutch in client.get("/shop/fotoafdrukken/poster/").content.decode()
    assert english in client.get("/en/shop/fotoafdrukken/poster/").content.decode()
    assert english in client.get("/en/shop/").content.decode()


def test_a_sold_out_product_has_no_add_to_cart_form(client):
    product_make(slug="poster", stock=0)
    html = client.get("/en/shop/fotoafdrukken/poster/").content.decode()
    assert "Add to cart" not in html
    assert 'action="/en/cart/add/"' not in html
    assert "sold out and cannot be ordered" in html


def test_the_quantity_field_offers_no_more_than_the_stock(client):
    product_make(slug="poster", stock=3)
    html = client.get("/shop/fotoafdrukken/poster/").content.decode()
    assert 'max="3"' in html


def test_a_personalised_product_says_there_is_no_right_of_withdrawal(client):
    product_make(slug="canvas", personalised=True)
    product_make(slug="poster", personalised=False)
    dutch = client.get("/shop/fotoafdrukken/canvas/").content.decode()
    assert "herroepingsrecht" in dutch and "6:230p" in dutch
    english = client.get("/en/shop/fotoafdrukken/canvas/").content.decode()
    assert "right of withdrawal does not apply" in english and "6:230p" in english
    assert "6:230p" not in client.get("/shop/fotoafdrukken/poster/").content.decode()


def test_a_product_withdrawn_from_sale_is_not_shown(client):
    product_make(slug="poster", is_active=False)
    assert client.get("/shop/fotoafdrukken/poster/").status_code == 404
    assert "poster" not in client.get("/shop/").content.decode()


def test_unknown_category_and_product_are_404_in_the_visitors_language(client):
    assert client.get("/shop/bestaat-niet/").status_code == 404
    response = client.get("/en/shop/fotoafdrukken/does-not-exist/")
    assert response.status_code == 404
    assert 'lang="en"' in response.content.decode()


def test_a_product_under_its_old_category_address_is_redirected_to_the_new_one(client):
    category_make(slug="wanddecoratie", nl="Wanddecoratie", en="Wall art")
    product_make(slug="poster")
    response = client.get("/shop/wanddecoratie/poster/")
    assert response.status_code == 301
    assert response["Location"] == "/shop/fotoafdrukken/poster/"


def test_catalogue_pages_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    category = category_make()
    for n in range(3):
        product_make(slug=f"p{n}", category=category)
    client.get("/shop/")  # warm: the policy, the consent tables
    with django_assert_max_num_queries(6) as few:
        client.get("/shop/")
    for n in range(3, 12):
        product_make(slug=f"p{n}", category=category)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/shop/")


def test_catalogue_pages_set_no_cookie(client):
    product_make(slug="poster")
    for path in ("/shop/", "/shop/fotoafdrukken/", "/en/shop/"):
        assert not set(client.get(path).cookies) - {"csrftoken"}, path


@pytest.mark.parametrize(
    ("home", "shop", "cart"),
    [
        ("/", 'href="/shop/">Winkel<', 'href="/cart/">Winkelwagen<'),
        ("/en/", 'href="/en/shop/">Shop<', 'href="/en/cart/">Cart<'),
    ],
)
def test_every_page_links_to_the_shop_and_the_cart_in_its_language(client, home, shop, cart):
    html = client.get(home).content.decode()
    assert shop in html and cart in html
