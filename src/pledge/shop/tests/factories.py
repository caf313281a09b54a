"""Dutch test data for the checkout and order tests: products of a photo print shop, PostNL and
collection at the shop, customers with an address book, and checkouts driven through the pages.

Fixtures here are imported into the test modules that use them.
"""

import html
import re
import secrets
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from pledge.accounts.tests.factories import PASSWORD, customer_create
from pledge.shop.models import Category, DeliveryMethod, Product, VatRate

BOTH = ["default", "vault"]
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')
DIGEST = re.compile(r'name="review_digest" value="([^"]+)"')

__all__ = ["PASSWORD", "customer_create"]


@pytest.fixture
def shop_runtime(isolated_runtime, tmp_path):
    """Own files and cache keys, Dutch as the start, and the partners' adapters fresh."""
    from pledge.partners import loader

    settings = isolated_runtime
    settings.MEDIA_ROOT = tmp_path / "media"
    loader.reset()
    translation.activate(settings.LANGUAGE_CODE)
    yield settings
    translation.deactivate()
    loader.reset()


def page_text(response) -> str:
    """The page as a reader sees it: entities decoded, no-break spaces (as in "€ 12,50") read
    as spaces."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def category() -> Category:
    found, _ = Category.objects.get_or_create(
        slug="fotoproducten", defaults={"name_nl": "Fotoproducten", "name_en": "Photo products"}
    )
    return found


def product_make(
    *,
    name_nl: str = "Fotolijst zwart A4",
    name_en: str = "Black photo frame A4",
    price: str = "12.50",
    vat_rate: str = VatRate.HIGH,
    stock: int = 10,
    personalised: bool = False,
    supplier: str = "",
) -> Product:
    return Product.objects.create(
        slug=f"product-{secrets.token_hex(3)}",
        category=category(),
        name_nl=name_nl,
        name_en=name_en,
        price=Decimal(price),
        vat_rate=vat_rate,
        stock=stock,
        personalised=personalised,
        supplier=supplier,
    )


def photo_book(**overrides) -> Product:
    """Made from the customer's own photos: exempt from withdrawal (BW 6:230p sub f), 9% VAT,
    printed and shipped by the drop-shipping supplier."""
    values = {
        "name_nl": "Fotoboek A4 met uw foto's",
        "name_en": "Photo book A4 with your photos",
        "price": "24.95",
        "vat_rate": VatRate.LOW,
        "personalised": True,
        "supplier": "print_supplier",
    }
    return product_make(**{**values, **overrides})


def postnl() -> DeliveryMethod:
    method, _ = DeliveryMethod.objects.get_or_create(
        code="postnl",
        defaults={
            "name_nl": "PostNL pakket",
            "name_en": "PostNL parcel",
            "price": Decimal("4.95"),
            "recipient": "postnl",
            "position": 1,
        },
    )
    return method


def collect() -> DeliveryMethod:
    method, _ = DeliveryMethod.objects.get_or_create(
        code="collect",
        defaults={
            "name_nl": "Ophalen in de winkel",
            "name_en": "Collect at the shop",
            "price": Decimal("0.00"),
            "needs_address": False,
            "position": 2,
        },
    )
    return method


def signed_in(client, **customer):
    user = customer_create(**customer)
    client.force_login(user)
    return user


def cart_put(client, product: Product, quantity: int = 1, *, prefix: str = ""):
    response = client.post(
        f"{prefix}{reverse('shop:cart_add')}", {"product": product.pk, "quantity": quantity}
    )
    assert response.status_code in (200, 302), response.status_code
    return response


def choices_post(client, *, delivery="postnl", address=None, payment="testpsp", prefix=""):
    """Step 1 of checkout; ``address`` is an address-book id (default: the first)."""
    data = {"delivery": delivery, "payment": payment}
    if address is not None:
        data["address"] = str(address)
    return client.post(f"{prefix}{reverse('shop:checkout')}", data)


def review_form(client, *, prefix="") -> dict:
    """The order button's hidden fields, as the review page rendered them."""
    page = client.get(f"{prefix}{reverse('shop:checkout_review')}")
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    return {
        "idempotency_key": IDEMPOTENCY.search(html)[1],
        "review_digest": DIGEST.search(html)[1],
        "terms": "on",
    }


def place(client, form: dict, *, prefix="", follow=False, **extra):
    """The order button; ``extra`` are more form fields (a tampering browser's)."""
    return client.post(
        f"{prefix}{reverse('shop:checkout_place')}", {**form, **extra}, follow=follow
    )


def checkout(client, user, *, delivery="postnl", payment="testpsp"):
    """Steps 1 and 2 through the pages; returns the order button's form."""
    address = user.addresses.first()
    response = choices_post(
        client, delivery=delivery, payment=payment, address=address.pk if address else None
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return review_form(client)


def order_placed(user, lines, *, delivery: str = "postnl", language: str | None = None):
    """An order placed through ``order_place`` (awaiting payment); ``lines``: (product, n)."""
    import uuid

    from pledge.accounts.selectors import customer_profile
    from pledge.shop.checkout import quote_build
    from pledge.shop.services import order_place

    method = postnl() if delivery == "postnl" else collect()
    profile = customer_profile(user_id=user.pk)
    quantities = [(product.pk, quantity) for product, quantity in lines]
    products = Product.objects.filter(pk__in=[pk for pk, _n in quantities])
    quote = quote_build(products=products, quantities=quantities, delivery=method)
    return order_place(
        user=user,
        customer=profile,
        quantities=quantities,
        delivery_code=method.code,
        address_id=profile.addresses[0]["id"] if profile.addresses else None,
        payment_method="testpsp",
        idempotency_key=uuid.uuid4(),
        review_digest=quote.digest,
        language=language or user.language,
    ).order


def payment_event(order, status: str = "paid", *, payment_id: str = "tr_test", amount=None):
    """What the partners app tells the shop after a verified provider event."""
    from pledge.partners import hooks

    hooks.payment_status_emit(
        order_reference=str(order.number),
        payment_id=payment_id,
        status=status,
        amount=order.total if amount is None else amount,
    )


def psp_webhook(client, payment_id: str, outcome: str = "pay"):
    """The test payment provider's signed webhook for the buyer's choice, as it POSTs it."""
    from pledge.partners.loader import adapter_for
    from pledge.partners.models import Payment

    payment = Payment.objects.get(pk=payment_id)
    adapter = adapter_for(payment.recipient)
    body = adapter.webhook_body(payment=payment, outcome=outcome)
    with translation.override("nl"):
        path = reverse("partners:payment_webhook", kwargs={"recipient_id": payment.recipient})
    return client.generic(
        "POST",
        path,
        body,
        content_type="application/json",
        headers=adapter.webhook_headers(body=body),
    )


def outbox(subject_id, template: str) -> list[dict]:
    from pledge.mail.selectors import outbox_messages_for

    return [
        message
        for message in outbox_messages_for(subject_id=subject_id)
        if message["template"] == f"shop/mail/{template}"
    ]


def disclosures(subject_id) -> dict[str, list[str]]:
    """Recipient id -> data categories, as "My account" lists them (oldest first)."""
    from pledge.partners.selectors import disclosures_for_subject

    found: dict[str, list[str]] = {}
    for row in reversed(disclosures_for_subject(subject_id=subject_id)):
        found.setdefault(row.recipient_id, []).extend(row.categories)
    return found
