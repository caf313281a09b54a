"""Orders of the Dutch reference shop for the invoice, credit-note and return tests.

Prints and photo books at 21% and 9% VAT, PostNL delivery or collection at the shop, made the
way the checkout leaves them: lines copied from the catalogue, the address encrypted with the
customer's profile key.
"""

import secrets
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pledge.accounts.tests.factories import DUTCH_ADDRESS
from pledge.partners.models import Payment, PaymentStatus
from pledge.shop.counters import counter_next
from pledge.shop.invoices import invoice_issue
from pledge.shop.models import (
    Category,
    DeliveryMethod,
    Invoice,
    Order,
    OrderLine,
    OrderStatus,
    Product,
)

# (slug, name_nl, name_en, price incl. VAT, VAT rate, personalised)
CANVAS = ("canvas-40x60", "Canvas 40x60 cm", "Canvas 40x60 cm", "39.95", "high", False)
FRAME = ("lijst-zwart-a4", "Fotolijst zwart A4", "Black photo frame A4", "12.50", "high", False)
PHOTO_BOOK = ("fotoboek-a4", "Fotoboek A4 (uw foto's)", "Photo book A4 (your photos)", "24.95",
              "low", True)  # fmt: skip
ALBUM = ("album-leeg", "Leeg fotoalbum", "Empty photo album", "19.95", "low", False)


def product_create(spec=FRAME, *, stock: int = 10) -> Product:
    slug, name_nl, name_en, price, vat_rate, personalised = spec
    category, _ = Category.objects.get_or_create(
        slug="afdrukken", defaults={"name_nl": "Afdrukken", "name_en": "Prints"}
    )
    product, _ = Product.objects.get_or_create(
        slug=slug,
        defaults={
            "category": category,
            "name_nl": name_nl,
            "name_en": name_en,
            "price": Decimal(price),
            "vat_rate": vat_rate,
            "personalised": personalised,
            "stock": stock,
        },
    )
    return product


def delivery_method(code: str = "postnl") -> DeliveryMethod:
    if code == "collect":
        defaults = {
            "name_nl": "Ophalen in de winkel",
            "name_en": "Collect at the shop",
            "price": Decimal("0.00"),
            "needs_address": False,
        }
    else:
        defaults = {
            "name_nl": "PostNL pakket",
            "name_en": "PostNL parcel",
            "price": Decimal("4.95"),
            "recipient": "postnl",
        }
    method, _ = DeliveryMethod.objects.get_or_create(code=code, defaults=defaults)
    return method


def order_create(
    *,
    user,
    lines=((FRAME, 2), (PHOTO_BOOK, 1)),
    delivery: str = "postnl",
    status: str = OrderStatus.PAID,
    delivered_at=None,
    language: str | None = None,
    delivery_address: dict | None = None,
) -> Order:
    """An order as the checkout stores it (``lines``: (product spec, quantity) pairs)."""
    method = delivery_method(delivery)
    products = [(product_create(spec), quantity) for spec, quantity in lines]
    total = sum((p.price * q for p, q in products), Decimal("0.00")) + method.price
    address = None
    if method.needs_address:
        address = delivery_address or dict(DUTCH_ADDRESS)
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.create(
            number=counter_next("order"),
            user=user,
            subject_id=user.subject_id,
            status=status,
            language=language or user.language,
            idempotency_key=uuid.uuid4(),
            delivery_method=method,
            delivery_price=method.price,
            delivery_address=address,
            phone="+31 6 1234 5678" if address else "",
            payment_method="ideal",
            payment_reference=f"tr_{secrets.token_hex(5)}",
            total=total,
            terms_accepted_at=now,
            paid_at=now if status != OrderStatus.PENDING_PAYMENT else None,
            shipped_at=now if status in {OrderStatus.SHIPPED, OrderStatus.DELIVERED} else None,
            delivered_at=delivered_at,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=product,
                name_nl=product.name_nl,
                name_en=product.name_en,
                unit_price=product.price,
                quantity=quantity,
                vat_rate=product.vat_rate,
                personalised=product.personalised,
            )
            for product, quantity in products
        )
    return order


def invoiced_order(*, user, **kwargs) -> tuple[Order, Invoice]:
    """A paid order with its invoice, issued as the checkout does when the payment arrives."""
    order = order_create(user=user, **kwargs)
    with transaction.atomic():
        invoice = invoice_issue(order_id=order.pk)
    return order, invoice


def paid_at_the_provider(order) -> Payment:
    """The payment the test payment provider took for this order (partners' own record)."""
    return Payment.objects.create(
        recipient="mollie",  # the policy's payment recipient; the test PSP stands in for it
        provider_id=f"test_{secrets.token_hex(6)}",
        order_reference=str(order.number),
        amount=order.total,
        status=PaymentStatus.PAID,
        method="ideal",
        return_url="https://shop.example/checkout/return/",
    )
