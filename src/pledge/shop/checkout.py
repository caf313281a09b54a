"""What an order costs, computed from the database alone.

Prices include VAT (consumer prices, BW 7:5 and the Prijzenbesluit); the VAT in them is shown
per rate, as an invoice must (art. 35a Wet OB). The browser sends only which products, how
many, and the choices made: a price or a quantity it sends along is never read.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import DeliveryMethod, Product
from .vat import VatLine, vat_breakdown


def in_language(nl: str, en: str, language: str | None = None) -> str:
    """The Dutch or English text of a catalogue field, for the active (or given) language."""
    return en if (language or get_language() or "nl").startswith("en") and en else nl


@dataclass(frozen=True, kw_only=True)
class QuoteLine:
    product_id: int
    sku: str
    name_nl: str
    name_en: str
    unit_price: Decimal
    quantity: int
    vat_rate: str
    personalised: bool
    supplier: str

    @property
    def name(self) -> str:
        return in_language(self.name_nl, self.name_en)

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True, kw_only=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    delivery_code: str
    delivery_name_nl: str
    delivery_name_en: str
    delivery_price: Decimal
    delivery_vat_rate: str
    needs_address: bool

    @property
    def delivery_name(self) -> str:
        return in_language(self.delivery_name_nl, self.delivery_name_en)

    @property
    def goods_total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.goods_total + self.delivery_price

    @property
    def vat(self) -> tuple[VatLine, ...]:
        amounts = [(line.vat_rate, line.total) for line in self.lines]
        if self.delivery_price:
            amounts.append((self.delivery_vat_rate, self.delivery_price))
        return vat_breakdown(amounts)

    @property
    def vat_total(self) -> Decimal:
        return sum((line.vat for line in self.vat), Decimal("0.00"))

    @property
    def has_personalised(self) -> bool:
        return any(line.personalised for line in self.lines)

    @property
    def all_personalised(self) -> bool:
        # Then there is no right of withdrawal at all (BW 6:230p sub f), and the review must
        # not promise one (BW 6:230m lid 1 sub k).
        return bool(self.lines) and all(line.personalised for line in self.lines)

    @property
    def digest(self) -> str:
        """A fingerprint of what the review page showed: the order button carries it, and an
        order whose prices or lines changed since is shown again instead of placed."""
        parts = [
            f"{line.product_id}:{line.quantity}:{line.unit_price}:{line.vat_rate}"
            for line in self.lines
        ]
        parts.append(f"{self.delivery_code}:{self.delivery_price}:{self.total}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


class CheckoutRefused(ValueError):
    """The order cannot be placed as asked; the message is safe to show to the customer."""


class SoldOut(CheckoutRefused):
    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            _("Sold out, or not as many left as you asked for: %(names)s.")
            % {"names": ", ".join(names)}
        )


def quote_build(
    *,
    products: Iterable[Product],
    quantities: list[tuple[int, int]],
    delivery: DeliveryMethod,
) -> Quote:
    """The quote for these (product id, quantity) pairs; ``SoldOut`` when stock is short.

    ``products`` are the rows as read (under lock when placing the order): their price, VAT
    rate and stock are the ones that count.
    """
    by_id = {product.pk: product for product in products}
    short, lines = [], []
    for product_id, quantity in quantities:
        product = by_id.get(product_id)
        if product is None or not product.is_active:
            short.append(_("a product that is no longer sold"))
            continue
        if quantity < 1:
            continue
        if product.stock < quantity:
            short.append(in_language(product.name_nl, product.name_en))
            continue
        lines.append(
            QuoteLine(
                product_id=product.pk,
                sku=product.slug,
                name_nl=product.name_nl,
                name_en=product.name_en,
                unit_price=product.price,
                quantity=quantity,
                vat_rate=product.vat_rate,
                personalised=product.personalised,
                supplier=product.supplier,
            )
        )
    if short:
        raise SoldOut([str(name) for name in short])
    if not lines:
        raise CheckoutRefused(_("Your cart is empty."))
    return Quote(
        lines=tuple(lines),
        delivery_code=delivery.code,
        delivery_name_nl=delivery.name_nl,
        delivery_name_en=delivery.name_en,
        delivery_price=delivery.price,
        delivery_vat_rate=delivery.vat_rate,
        needs_address=delivery.needs_address,
    )
