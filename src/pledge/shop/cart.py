"""The cart: in the session for a visitor, with the account once signed in.

What the cart stores is only which products and how many. Every price, VAT rate and stock
figure is read from the database each time the cart is shown or checked out, so a price the
browser sends is never even read. The session cookie that carries a visitor's cart is the
policy's functional ``sessionid`` ("remembers your cart"): the cart adds no cookie.

A signed-in customer's cart is kept in ``CartItem`` rows (their purchase history, removed with
the account), so it survives signing out and follows them to another device. At sign-in the
visitor's session cart is added to it; after signing out the browser's cart is empty (Django
flushes the session).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .catalogue_selectors import (
    MAX_QUANTITY,
    localized,
    product_url,
    products_for_sale_by_id,
)
from .models import CartItem, Product
from .vat import VatLine, vat_breakdown, vat_percentage

SESSION_KEY = "shop_cart"  # {"<product id>": quantity}


class CartRefused(ValueError):
    """The cart cannot change as asked; the message is safe to show the visitor."""


@dataclass(frozen=True, kw_only=True)
class CartLine:
    product_id: int
    slug: str
    name: str  # in the active language
    name_nl: str
    name_en: str
    unit_price: Decimal  # incl. VAT, from the database
    quantity: int
    vat_rate: str  # VatRate value: "high" or "low"
    personalised: bool
    supplier: str  # policy recipient id that drop-ships the line, or ""
    stock: int
    image_url: str
    url: str

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def vat_percentage(self) -> Decimal:
        return vat_percentage(self.vat_rate)

    @property
    def max_quantity(self) -> int:
        return min(self.stock, MAX_QUANTITY)


@dataclass(frozen=True)
class CartView:
    lines: tuple[CartLine, ...]
    # Why the cart differs from what was put in it (sold out, fewer left), for the visitor.
    notices: tuple[str, ...] = field(default=())

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> tuple[VatLine, ...]:
        """VAT per rate over the lines (summed per rate, rounded once)."""
        return vat_breakdown((line.vat_rate, line.total) for line in self.lines)

    @property
    def vat_total(self) -> Decimal:
        return sum((line.vat for line in self.vat), Decimal("0.00"))

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def has_personalised(self) -> bool:
        return any(line.personalised for line in self.lines)

    def quantities(self) -> list[tuple[int, int]]:
        """(product id, quantity) pairs, as the checkout's quote takes them."""
        return [(line.product_id, line.quantity) for line in self.lines]


# -- where a cart lives --


class _SessionCart:
    def __init__(self, session) -> None:
        self.session = session

    def quantities(self, *, lock: bool = False) -> dict[int, int]:
        stored = self.session.get(SESSION_KEY) or {}
        return {int(pid): int(qty) for pid, qty in stored.items() if str(pid).isdigit()}

    def put(self, product_id: int, quantity: int) -> None:
        stored = dict(self.session.get(SESSION_KEY) or {})
        stored[str(product_id)] = quantity
        self.session[SESSION_KEY] = stored

    def delete(self, product_id: int) -> None:
        stored = dict(self.session.get(SESSION_KEY) or {})
        if stored.pop(str(product_id), None) is not None:
            self.session[SESSION_KEY] = stored

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)


class _AccountCart:
    def __init__(self, user) -> None:
        self.user_id = user.pk

    def quantities(self, *, lock: bool = False) -> dict[int, int]:
        rows = CartItem.objects.filter(user_id=self.user_id)
        if lock:  # two tabs adding at once: the second waits and adds to the first's quantity
            rows = rows.select_for_update()
        return dict(rows.values_list("product_id", "quantity"))

    def put(self, product_id: int, quantity: int) -> None:
        CartItem.objects.update_or_create(
            user_id=self.user_id,
            product_id=product_id,
            defaults={"quantity": quantity, "updated_at": timezone.now()},
        )

    def delete(self, product_id: int) -> None:
        CartItem.objects.filter(user_id=self.user_id, product_id=product_id).delete()

    def clear(self) -> None:
        CartItem.objects.filter(user_id=self.user_id).delete()


def _cart_of(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _AccountCart(user)
    return _SessionCart(request.session)


# -- reads --


def _line(product: Product, quantity: int) -> CartLine:
    return CartLine(
        product_id=product.pk,
        slug=product.slug,
        name=localized(product.name_nl, product.name_en),
        name_nl=product.name_nl,
        name_en=product.name_en,
        unit_price=product.price,
        quantity=quantity,
        vat_rate=product.vat_rate,
        personalised=product.personalised,
        supplier=product.supplier,
        stock=product.stock,
        image_url=product.image.url if product.image else "",
        url=product_url(category_slug=product.category.slug, slug=product.slug),
    )


def _view(quantities: dict[int, int], products: dict[int, Product]) -> CartView:
    lines, notices = [], []
    for product_id, wanted in quantities.items():
        product = products.get(product_id)
        if product is None:
            notices.append(_("A product in your cart is no longer for sale and was left out."))
            continue
        name = localized(product.name_nl, product.name_en)
        if product.stock <= 0:
            notices.append(_("%(name)s is sold out and was left out.") % {"name": name})
            continue
        quantity, notice = _capped(product, wanted)
        if notice:
            notices.append(notice)
        lines.append(_line(product, quantity))
    return CartView(lines=tuple(lines), notices=tuple(notices))


def _account_view(user_id) -> CartView:
    """One query: the account's lines with their products (withdrawn ones become a notice)."""
    rows = CartItem.objects.filter(user_id=user_id).select_related("product__category")
    rows = list(rows.order_by("id"))
    products = {row.product_id: row.product for row in rows if row.product.is_active}
    return _view({row.product_id: row.quantity for row in rows}, products)


def cart_for(request) -> CartView:
    """The cart of this visitor or signed-in customer, priced from the database.

    Lines of products withdrawn from sale or sold out are left out and quantities are capped
    by the stock, each with a notice; the stored cart is not changed by reading it.
    """
    cart = _cart_of(request)
    if isinstance(cart, _AccountCart):
        return _account_view(cart.user_id)
    quantities = cart.quantities()
    if not quantities:
        return CartView(lines=())
    return _view(quantities, products_for_sale_by_id(quantities))


def cart_lines_for_user(user) -> tuple[CartLine, ...]:
    """A signed-in customer's cart lines (the account's cart, whatever the request)."""
    return _account_view(user.pk).lines


# -- writes --


def _product_for_cart(product_id: int) -> Product:
    product = products_for_sale_by_id([product_id]).get(product_id)
    if product is None:
        raise CartRefused(_("This product is not for sale."))
    if product.stock <= 0:
        raise CartRefused(
            _("%(name)s is sold out and cannot be added to your cart.")
            % {"name": localized(product.name_nl, product.name_en)}
        )
    return product


def _capped(product: Product, wanted: int) -> tuple[int, str]:
    """The quantity the cart can hold, and a notice when that is less than wanted."""
    quantity = min(wanted, product.stock, MAX_QUANTITY)
    if quantity >= wanted:
        return quantity, ""
    name = localized(product.name_nl, product.name_en)
    if quantity == product.stock:
        notice = _("Only %(count)d of %(name)s left: your cart holds %(count)d.")
    else:
        notice = _("At most %(count)d of %(name)s fit in one order.")
    return quantity, notice % {"count": quantity, "name": name}


def _quantity(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CartRefused(_("Enter a whole number as the quantity."))
    if value < 0:
        raise CartRefused(_("A quantity cannot be negative."))
    return value


def cart_add(request, *, product_id: int, quantity: int = 1) -> str:
    """Add ``quantity`` of a product (on top of what the cart holds); returns a notice ("" when
    all went in). ``CartRefused`` for a product not for sale or sold out."""
    quantity = _quantity(quantity)
    if quantity < 1:
        raise CartRefused(_("Enter a quantity of at least 1."))
    product = _product_for_cart(product_id)
    cart = _cart_of(request)
    with transaction.atomic():
        held = cart.quantities(lock=True).get(product.pk, 0)
        new, notice = _capped(product, held + quantity)
        cart.put(product.pk, new)
    return notice


def cart_set(request, *, product_id: int, quantity: int) -> str:
    """Set a line's quantity (0 removes it); returns a notice when capped by the stock."""
    quantity = _quantity(quantity)
    cart = _cart_of(request)
    if quantity == 0:
        cart_remove(request, product_id=product_id)
        return ""
    if product_id not in cart.quantities():
        raise CartRefused(_("This product is not in your cart."))
    product = _product_for_cart(product_id)
    new, notice = _capped(product, quantity)
    with transaction.atomic():
        cart.put(product.pk, new)
    return notice


def cart_remove(request, *, product_id: int) -> None:
    with transaction.atomic():
        _cart_of(request).delete(product_id)


def cart_clear(request) -> None:
    """Empty the cart (after an order is placed): the account's and the session's.

    One DELETE for the account's lines; the session is saved with the response.
    """
    _cart_of(request).clear()
    _SessionCart(request.session).clear()


def cart_merge(*, request, user) -> None:
    """Add the visitor's session cart to the account's cart (quantities added, capped by the
    stock), then empty the session cart."""
    session_cart = _SessionCart(request.session)
    wanted = session_cart.quantities()
    if not wanted:
        return
    products = products_for_sale_by_id(wanted)
    account_cart = _AccountCart(user)
    with transaction.atomic():
        held = account_cart.quantities(lock=True)
        for product_id, quantity in wanted.items():
            product = products.get(product_id)
            if product is None or product.stock <= 0 or quantity < 1:
                continue
            new, _notice = _capped(product, held.get(product_id, 0) + quantity)
            account_cart.put(product_id, new)
        session_cart.clear()


def cart_merge_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver (connected in ``catalogue.catalogue_connect``)."""
    if request is not None and hasattr(request, "session"):
        cart_merge(request=request, user=user)
