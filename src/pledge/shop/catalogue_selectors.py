"""Reads of the catalogue: what a visitor sees of categories and products.

Nothing here touches personal data: the catalogue pages are the same for everyone, so they can
never show one customer's details to another. Prices include VAT (BW 7:5, consumer prices);
the VAT in a price is shown next to it, at the product's rate (Wet OB 1968).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import get_language

from .models import Category, Product
from .vat import CENT, vat_included, vat_percentage

# From this many items down a product page says "only N left": a visitor deciding between
# now and later should know; above it the exact count is nobody's business.
LOW_STOCK = 5
# One cart line holds at most this many: a typo of 1000 should not empty the stock.
MAX_QUANTITY = 99


def is_english(language: str | None = None) -> bool:
    return (language or get_language() or "nl").startswith("en")


def localized(nl: str, en: str, language: str | None = None) -> str:
    """The Dutch or English text of a catalogue field; Dutch when no English text exists."""
    return en if is_english(language) and en else nl


def price_format(amount: Decimal, language: str | None = None) -> str:
    """EUR as a Dutch or English reader expects it: "€ 1.234,50" or "€1,234.50".

    A no-break space keeps the euro sign and the amount on one line in Dutch.
    """
    grouped = f"{Decimal(amount).quantize(CENT, ROUND_HALF_UP):,.2f}"
    if is_english(language):
        return f"€{grouped}"
    dutch = grouped.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€\u00a0{dutch}"


class StockState(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"
    SOLD_OUT = "sold_out"


def stock_state(stock: int) -> StockState:
    if stock <= 0:
        return StockState.SOLD_OUT
    return StockState.LOW if stock <= LOW_STOCK else StockState.IN_STOCK


@dataclass(frozen=True, kw_only=True)
class CategoryView:
    id: int
    slug: str
    name: str
    url: str
    products: tuple["ProductView", ...] = ()


@dataclass(frozen=True, kw_only=True)
class ProductView:
    """A product as one page shows it, with its texts in the page's language."""

    id: int
    slug: str
    category_slug: str
    category_name: str
    name: str
    description: str
    price: Decimal
    vat_rate: str
    stock: int
    personalised: bool
    image_url: str
    image_alt: str
    url: str

    @property
    def vat_amount(self) -> Decimal:
        return vat_included(self.price, self.vat_rate)

    @property
    def vat_percentage(self) -> Decimal:
        return vat_percentage(self.vat_rate)

    @property
    def stock_state(self) -> str:
        return stock_state(self.stock).value

    @property
    def can_add(self) -> bool:
        return self.stock > 0

    @property
    def max_quantity(self) -> int:
        return min(self.stock, MAX_QUANTITY)


def product_url(*, category_slug: str, slug: str) -> str:
    return reverse("shop:product", kwargs={"category": category_slug, "slug": slug})


def _product_view(product: Product, category: Category, language: str) -> ProductView:
    return ProductView(
        id=product.pk,
        slug=product.slug,
        category_slug=category.slug,
        category_name=localized(category.name_nl, category.name_en, language),
        name=localized(product.name_nl, product.name_en, language),
        description=localized(product.description_nl, product.description_en, language),
        price=product.price,
        vat_rate=product.vat_rate,
        stock=product.stock,
        personalised=product.personalised,
        image_url=product.image.url if product.image else "",
        image_alt=localized(product.image_alt_nl, product.image_alt_en, language),
        url=product_url(category_slug=category.slug, slug=product.slug),
    )


def _active_products():
    return Product.objects.filter(is_active=True).order_by("position", "slug")


def categories_with_products() -> list[CategoryView]:
    """Every category that has something for sale, with its products: two queries in all."""
    language = get_language()
    categories = Category.objects.prefetch_related(
        Prefetch("products", queryset=_active_products(), to_attr="for_sale")
    )
    return [
        CategoryView(
            id=category.pk,
            slug=category.slug,
            name=localized(category.name_nl, category.name_en, language),
            url=reverse("shop:category", kwargs={"category": category.slug}),
            products=tuple(_product_view(p, category, language) for p in category.for_sale),
        )
        for category in categories
        if category.for_sale
    ]


def category_with_products(*, slug: str) -> CategoryView | None:
    """One category and its products for sale; None when there is no such category."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        return None
    language = get_language()
    return CategoryView(
        id=category.pk,
        slug=category.slug,
        name=localized(category.name_nl, category.name_en, language),
        url=reverse("shop:category", kwargs={"category": category.slug}),
        products=tuple(
            _product_view(p, category, language)
            for p in _active_products().filter(category=category)
        ),
    )


def product_for_sale(*, slug: str) -> ProductView | None:
    """The product page's product (None when unknown or withdrawn from sale)."""
    product = _active_products().select_related("category").filter(slug=slug).first()
    if product is None:
        return None
    return _product_view(product, product.category, get_language())


def products_for_sale_by_id(ids) -> dict[int, Product]:
    """Rows for a cart: the database's price, VAT rate and stock, never the browser's."""
    return {p.pk: p for p in _active_products().select_related("category").filter(pk__in=ids)}


def product_view_of(product: Product) -> ProductView:
    """A row read elsewhere (with its category) as a page shows it."""
    return _product_view(product, product.category, get_language())


def products_all() -> list[Product]:
    """The back office's product list, withdrawn products included."""
    return list(
        Product.objects.select_related("category").order_by(
            "category__position", "position", "slug"
        )
    )


def product_by_id(*, product_id: int) -> Product | None:
    return Product.objects.select_related("category").filter(pk=product_id).first()


def categories_all() -> list[Category]:
    return list(Category.objects.all())


def product_slug_taken(*, slug: str) -> bool:
    return Product.objects.filter(slug=slug).exists()
