"""The back-office products screen: who may open it, editing, new products, pictures."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pledge.backoffice.tests.factories import signed_in, staff_create
from pledge.shop.models import Product, VatRate

from .catalogue_factories import (  # noqa: F401
    BOTH,
    catalogue_runtime,
    category_make,
    image_bytes,
    product_make,
)

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]


def form_of(product: Product, **changes) -> dict:
    values = {
        "category": product.category_id,
        "name_nl": product.name_nl,
        "name_en": product.name_en,
        "description_nl": product.description_nl,
        "description_en": product.description_en,
        "price": str(product.price),
        "vat_rate": product.vat_rate,
        "stock": product.stock,
        "supplier": product.supplier,
        "image_alt_nl": product.image_alt_nl,
        "image_alt_en": product.image_alt_en,
        "position": product.position,
        **({"personalised": "on"} if product.personalised else {}),
        **({"is_active": "on"} if product.is_active else {}),
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


@pytest.mark.parametrize("role", ["fulfilment", "support", "privacy_officer"])
def test_roles_that_fulfil_orders_open_the_products_screen(client, role):
    product_make(slug="poster")
    signed_in(client, staff_create(roles=(role,)))
    response = client.get("/en/backoffice/products/")
    assert response.status_code == 200
    assert "Canvas 40x60 cm with your photo" in response.content.decode()
    assert '/en/backoffice/products/"' in client.get("/en/backoffice/").content.decode()


@pytest.mark.parametrize("role", ["marketing", "administrator", None])
def test_other_roles_get_403_and_no_menu_entry(client, role):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=(role,) if role else ()))
    assert client.get("/backoffice/products/").status_code == 403
    assert client.get(f"/backoffice/products/{product.pk}/").status_code == 403
    response = client.post(f"/backoffice/products/{product.pk}/", form_of(product, price="0.01"))
    assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).price == Decimal("19.99")
    assert "/backoffice/products/" not in client.get("/en/backoffice/").content.decode()


def test_a_visitor_or_customer_without_a_back_office_session_is_sent_to_sign_in(client):
    product = product_make(slug="poster")
    response = client.get("/backoffice/products/")
    assert response.status_code == 302
    assert "/backoffice/login/" in response["Location"]
    response = client.post(f"/backoffice/products/{product.pk}/", form_of(product, stock=0))
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).stock == 20


def test_fulfilment_changes_price_stock_and_texts(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    response = client.post(
        f"/en/backoffice/products/{product.pk}/",
        form_of(product, price="24.50", stock=7, name_en="Poster, new edition", vat_rate="low"),
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.price, product.stock, product.name_en) == (
        Decimal("24.50"),
        7,
        "Poster, new edition",
    )
    assert product.vat_rate == VatRate.LOW
    assert "The product is saved." in client.get(response["Location"]).content.decode()
    assert "incl. €2.02 VAT" in client.get("/en/shop/fotoafdrukken/poster/").content.decode()


def test_bad_values_are_refused_with_a_message_and_nothing_changes(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    response = client.post(
        f"/en/backoffice/products/{product.pk}/", form_of(product, price="-1", stock="lots")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "greater than or equal to 0" in html
    assert "Enter a whole number" in html
    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("19.99"), 20)


def test_the_supplier_can_only_be_one_the_policy_names(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    page = client.get(f"/en/backoffice/products/{product.pk}/").content.decode()
    assert "Drukkerij Voorbeeld B.V." in page
    refused = client.post(
        f"/en/backoffice/products/{product.pk}/", form_of(product, supplier="mollie")
    )
    assert refused.status_code == 400
    client.post(
        f"/en/backoffice/products/{product.pk}/", form_of(product, supplier="print_supplier")
    )
    assert Product.objects.get(pk=product.pk).supplier == "print_supplier"


def test_the_products_screen_names_category_and_supplier_in_dutch(client):
    product = product_make(slug="visitekaartjes", supplier="print_supplier", personalised=True)
    signed_in(client, staff_create(roles=("fulfilment",)))
    listing = client.get("/backoffice/products/").content.decode()
    assert "<td>Fotoafdrukken</td>" in listing and "<td>fotoafdrukken</td>" not in listing
    assert "Drukkerij Voorbeeld B.V." in listing and "print_supplier</span>" not in listing
    page = client.get(f"/backoffice/products/{product.pk}/").content.decode()
    assert "Canvas 40x60 cm met uw foto" in page.split("</h1>")[0]
    assert "visitekaartjes" not in page.split("</h1>")[0]
    # Django 6.1's blank choice label has no Dutch translation: ours has.
    new = client.get("/backoffice/products/new/").content.decode()
    assert "Kies een categorie" in new and "Select an option" not in new


def test_a_new_product_is_created_and_for_sale(client):
    category = category_make()
    signed_in(client, staff_create(roles=("fulfilment",)))
    response = client.post(
        "/en/backoffice/products/new/",
        {
            "slug": "fotoblok-a5",
            "category": category.pk,
            "name_nl": "Fotoblok A5",
            "name_en": "Photo block A5",
            "price": "29.95",
            "vat_rate": "high",
            "stock": 10,
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "Photo block A5" in client.get("/en/shop/fotoafdrukken/fotoblok-a5/").content.decode()
    taken = client.post("/en/backoffice/products/new/", {"slug": "fotoblok-a5"})
    assert "Another product already has this web address name." in taken.content.decode()


def test_staff_upload_a_picture_that_shows_on_the_product_page(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    picture = SimpleUploadedFile("poster.jpg", image_bytes(), content_type="image/jpeg")
    response = client.post(f"/en/backoffice/products/{product.pk}/picture/", {"image": picture})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.image.name.endswith(".webp")
    page = client.get("/en/shop/fotoafdrukken/poster/").content.decode()
    assert f'src="/media/{product.image.name}"' in page
    served = client.get(f"/media/{product.image.name}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"


def test_an_svg_upload_is_refused_on_the_screen_with_the_reason(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    svg = SimpleUploadedFile(
        "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
    )
    response = client.post(f"/en/backoffice/products/{product.pk}/picture/", {"image": svg})
    assert response.status_code == 400
    assert "SVG pictures are not accepted" in response.content.decode()
    assert not Product.objects.get(pk=product.pk).image


def test_an_upload_over_the_size_cap_is_refused_before_it_is_read(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + bytes(11 * 1024 * 1024), "image/jpeg")
    response = client.post(f"/en/backoffice/products/{product.pk}/picture/", {"image": big})
    assert response.status_code == 413
    assert "larger than 10 MB" in response.content.decode()
    assert not Product.objects.get(pk=product.pk).image


def test_only_product_pictures_are_served_from_media(client, settings):
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "customer-photo.jpg").write_bytes(image_bytes())
    assert client.get("/media/uploads/customer-photo.jpg").status_code == 404
    assert client.get("/media/products/../uploads/customer-photo.jpg").status_code in (400, 404)


def test_saving_the_screen_does_not_put_back_stock_sold_while_it_was_open(client):
    import re

    product = product_make(slug="poster")  # stock 20
    signed_in(client, staff_create(roles=("fulfilment",)))
    page = client.get(f"/en/backoffice/products/{product.pk}/").content.decode()
    shown = re.search(r'name="stock_shown" value="(\d+)"', page).group(1)
    assert shown == "20"
    # A customer buys 3 while the screen is open (what order_place's UPDATE does).
    Product.objects.filter(pk=product.pk).update(stock=17)
    response = client.post(
        f"/en/backoffice/products/{product.pk}/",
        {**form_of(product, name_en="Poster, new edition"), "stock_shown": shown},
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.stock, product.name_en) == (17, "Poster, new edition")


def test_a_stock_staff_did_change_on_the_screen_is_saved(client):
    product = product_make(slug="poster")
    signed_in(client, staff_create(roles=("fulfilment",)))
    Product.objects.filter(pk=product.pk).update(stock=17)
    client.post(
        f"/en/backoffice/products/{product.pk}/",
        {**form_of(product, stock=40), "stock_shown": "20"},
    )
    assert Product.objects.get(pk=product.pk).stock == 40
