"""Writes of the catalogue: categories, products and their pictures.

Catalogue data is not personal data, so these writes leave no audit record (the audit log is
the record of who did what with personal data). A picture is checked and re-encoded by
``images.image_ingest`` before it is stored, and the row points at it only once the file is
complete: a refused or failed upload leaves nothing behind.
"""

import secrets
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from pledge.policy.schema import RecipientType
from pledge.policy.selectors import current_policy

from .images import IngestedImage, image_ingest
from .models import Category, Product, VatRate

PRODUCT_FIELDS = (
    "category_id",
    "name_nl",
    "name_en",
    "description_nl",
    "description_en",
    "price",
    "vat_rate",
    "stock",
    "personalised",
    "supplier",
    "image_alt_nl",
    "image_alt_en",
    "is_active",
    "position",
)


class CatalogueRefused(ValueError):
    """A product write the policy or the price rules do not allow; the message is for staff."""


def supplier_ids() -> list[str]:
    """The policy's drop-shipping suppliers: a product's ``supplier`` must be one of them, so
    no order line is ever sent to a recipient the privacy statement does not name."""
    return [r.id for r in current_policy().recipients if r.type == RecipientType.SUPPLIER]


def _check(values: dict) -> None:
    if "supplier" in values and values["supplier"] and values["supplier"] not in supplier_ids():
        raise CatalogueRefused(f"{values['supplier']!r} is no supplier in the policy")
    if "price" in values and Decimal(values["price"]) < 0:
        raise CatalogueRefused("a price cannot be negative")
    if "vat_rate" in values and values["vat_rate"] not in VatRate.values:
        raise CatalogueRefused(f"unknown VAT rate {values['vat_rate']!r}")


def category_ensure(*, slug: str, name_nl: str, name_en: str, position: int = 0) -> Category:
    """The category with this slug, created or given these names."""
    with transaction.atomic():
        category, _ = Category.objects.update_or_create(
            slug=slug, defaults={"name_nl": name_nl, "name_en": name_en, "position": position}
        )
    return category


def product_create(*, slug: str, **values) -> Product:
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields {sorted(unknown)}")
    _check(values)
    with transaction.atomic():
        return Product.objects.create(slug=slug, **values)


def product_update(*, product_id: int, stock_shown: int | None = None, **values) -> list[str]:
    """Change a product's fields; returns the names that changed (an empty list: none).

    ``stock_shown`` is the stock the edit screen showed. When ``stock`` is still that number,
    staff did not change it, and the stock as it is now stays: orders placed while the screen
    was open took their items from it, and writing the old number back would sell them again.
    """
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields {sorted(unknown)}")
    _check(values)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id)
        if stock_shown is not None and values.get("stock") == stock_shown:
            values.pop("stock")
        changed = [name for name, value in values.items() if getattr(product, name) != value]
        for name in changed:
            setattr(product, name, values[name])
        if changed:
            product.save(update_fields=[name.removesuffix("_id") for name in changed])
    return changed


def product_image_set(*, product_id: int, upload) -> str:
    """Check, re-encode and store a product picture; returns its storage name.

    ``images.ImageRefused`` (nothing stored) when the upload is not an acceptable picture.
    """
    picture = image_ingest(upload)
    return product_image_store(product_id=product_id, picture=picture)


def product_image_store(*, product_id: int, picture: IngestedImage) -> str:
    slug = Product.objects.values_list("slug", flat=True).get(pk=product_id)
    # A name of our own: the uploader's file name may say whose photo it is.
    name = default_storage.save(
        f"products/{slug}-{secrets.token_hex(4)}.{picture.extension}", ContentFile(picture.content)
    )
    try:
        with transaction.atomic():
            product = Product.objects.select_for_update().get(pk=product_id)
            previous = product.image.name
            product.image.name = name
            product.save(update_fields=["image"])
            if previous:
                transaction.on_commit(lambda: default_storage.delete(previous))
    except BaseException:
        default_storage.delete(name)  # the row never pointed at it: leave no orphan
        raise
    return name


def catalogue_connect() -> None:
    """Called from ``ShopConfig.ready``: the product screen and the cart merge at sign-in."""
    from django.contrib.auth.signals import user_logged_in
    from django.utils.translation import gettext_lazy as _

    from pledge.backoffice.screens import screen

    from .cart import cart_merge_at_login

    user_logged_in.connect(cart_merge_at_login, dispatch_uid="pledge.shop.cart_merge_at_login")
    # Products are no personal data; keeping the catalogue is part of fulfilling orders, so the
    # roles whose policy purposes include order fulfilment keep it (fulfilment, support, the
    # privacy officer). Marketing and the administrator do not.
    screen(
        "products",
        url_name="shop:backoffice_products",
        label=_("Products"),
        purposes=("order_fulfilment",),
    )
