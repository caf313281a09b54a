"""Catalogue test data and fixtures (import the fixtures into a test module to use them)."""

import io
import secrets
from decimal import Decimal

import pytest
from django.utils import translation
from PIL import Image

from pledge.shop.catalogue import category_ensure, product_create
from pledge.shop.models import VatRate

BOTH = ["default", "vault"]


@pytest.fixture
def catalogue_runtime(isolated_runtime, tmp_path):
    """Own files (product pictures under a temporary MEDIA_ROOT) and Dutch as the start."""
    settings = isolated_runtime
    settings.MEDIA_ROOT = tmp_path / "media"
    translation.activate(settings.LANGUAGE_CODE)
    yield settings
    translation.deactivate()


def category_make(*, slug: str = "fotoafdrukken", nl="Fotoafdrukken", en="Photo prints"):
    return category_ensure(slug=slug, name_nl=nl, name_en=en)


def product_make(
    *,
    slug: str | None = None,
    category=None,
    name_nl: str = "Canvas 40x60 cm met uw foto",
    name_en: str = "Canvas 40x60 cm with your photo",
    price: str = "19.99",
    vat_rate: str = VatRate.HIGH,
    stock: int = 20,
    personalised: bool = False,
    supplier: str = "",
    is_active: bool = True,
):
    return product_create(
        slug=slug or f"product-{secrets.token_hex(3)}",
        category_id=(category or category_make()).pk,
        name_nl=name_nl,
        name_en=name_en,
        description_nl="Gespannen op een houten frame.",
        description_en="Stretched on a wooden frame.",
        price=Decimal(price),
        vat_rate=vat_rate,
        stock=stock,
        personalised=personalised,
        supplier=supplier,
        is_active=is_active,
    )


def image_bytes(fmt: str = "JPEG", *, size=(640, 480), colour=(200, 80, 40), **save) -> bytes:
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()
