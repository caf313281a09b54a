"""The Pixeljet demo catalogue: seeded once, with drawn pictures, policy recipients and VAT."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from pledge.frame.seeding import demo_seeders
from pledge.policy.selectors import current_policy
from pledge.shop.demo import _seed_catalogue, _seed_delivery_methods, demo_catalogue
from pledge.shop.models import Category, DeliveryMethod, Product, VatRate

from .catalogue_factories import BOTH, catalogue_runtime  # noqa: F401

pytestmark = [
    pytest.mark.django_db(databases=BOTH),
    pytest.mark.usefixtures("catalogue_runtime"),
]


@pytest.fixture
def seeded(catalogue_runtime):  # noqa: F811
    """The catalogue rows without pictures (drawing a dozen takes seconds)."""
    _seed_catalogue()
    _seed_delivery_methods()


@pytest.fixture
def seeded_with_pictures(catalogue_runtime):  # noqa: F811
    demo_catalogue()


def test_the_catalogue_seeder_is_registered_for_pledge_demo():
    assert demo_catalogue in demo_seeders()


@pytest.mark.usefixtures("seeded")
def test_the_demo_has_a_dozen_products_in_four_categories_in_dutch_and_english():
    assert Category.objects.count() == 4
    assert 10 <= Product.objects.count() <= 14
    for product in Product.objects.all():
        assert product.name_nl and product.name_en and product.name_nl != product.name_en
        assert product.description_nl and product.description_en
        assert product.image_alt_nl and product.image_alt_en


@pytest.mark.usefixtures("seeded")
def test_books_and_magazines_are_at_the_low_vat_rate_the_rest_at_the_high_rate():
    low = set(Product.objects.filter(vat_rate=VatRate.LOW).values_list("category__slug", flat=True))
    assert low == {"fotoboeken-en-boeken"}
    assert Product.objects.filter(vat_rate=VatRate.HIGH).count() >= 8


@pytest.mark.usefixtures("seeded")
def test_some_products_are_personalised_one_is_drop_shipped_by_the_policys_supplier():
    assert Product.objects.filter(personalised=True).count() >= 2
    supplier = Product.objects.exclude(supplier="").get()
    recipient = current_policy().recipient(supplier.supplier)
    assert recipient.type == "supplier"


@pytest.mark.usefixtures("seeded")
def test_the_demo_shows_every_stock_state():
    stocks = list(Product.objects.values_list("stock", flat=True))
    assert 0 in stocks
    assert any(0 < stock <= 5 for stock in stocks)
    assert any(stock > 5 for stock in stocks)


@pytest.mark.usefixtures("seeded")
def test_delivery_by_the_policys_parcel_service_and_free_collection_in_amsterdam():
    parcel = DeliveryMethod.objects.get(needs_address=True)
    assert current_policy().recipient(parcel.recipient).type == "delivery"
    assert parcel.price > 0
    collect = DeliveryMethod.objects.get(needs_address=False)
    assert (collect.price, collect.recipient) == (0, "")
    assert "Amsterdam" in collect.name_nl and "Amsterdam" in collect.name_en


@pytest.mark.usefixtures("seeded_with_pictures")
def test_every_product_gets_its_own_drawn_picture_once_stored_as_an_upload_would_be(client):
    digests = set()
    for product in Product.objects.all():
        with default_storage.open(product.image.name) as stored:
            raw = stored.read()
        picture = Image.open(io.BytesIO(raw))
        assert picture.format == "WEBP" and not picture.getexif()
        assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20)) > 50  # a drawing
        digests.add(hashlib.sha256(raw).hexdigest())
    assert len(digests) == Product.objects.count()
    html = client.get("/en/shop/").content.decode()
    for product in Product.objects.filter(is_active=True):
        assert product.name_en in html
        assert product.image.url in html
    assert client.get(product.image.url).status_code == 200

    files = sorted(default_storage.listdir("products")[1])
    rows = list(Product.objects.values_list("slug", "price", "image"))
    assert demo_catalogue() == "catalogue already seeded"
    assert sorted(default_storage.listdir("products")[1]) == files
    assert list(Product.objects.values_list("slug", "price", "image")) == rows
    assert DeliveryMethod.objects.count() == 2
