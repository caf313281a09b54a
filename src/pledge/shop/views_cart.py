"""The cart page and its three actions: add, change a quantity, remove.

Each action reads a product id and a quantity, nothing more, and answers with a redirect to
the cart (or the product page with the reason when it cannot). What the last action did is
kept for the next page in the session the cart already uses: no extra cookie, unlike Django's
message framework, which would set one.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .cart import CartRefused, cart_add, cart_for, cart_remove, cart_set
from .catalogue_selectors import localized, product_by_id, product_view_of
from .forms_catalogue import CartAddForm, CartRemoveForm, CartUpdateForm
from .views_catalogue import product_page

FLASH_KEY = "shop_cart_flash"


def _flash(request, *notices: str) -> None:
    notices = [notice for notice in notices if notice]
    if notices:
        request.session[FLASH_KEY] = notices


def cart_page(request, *, refusal: str = "", status: int = 200):
    cart = cart_for(request)
    flashed = request.session.pop(FLASH_KEY, []) if FLASH_KEY in request.session else []
    context = {
        "cart": cart,
        "notices": [*flashed, *cart.notices],
        "refusal": refusal,
    }
    return render(request, "shop/cart/cart.html", context, status=status)


@never_cache
@require_safe
def cart(request):
    return cart_page(request)


def _product_or_none(product_id):
    product = product_by_id(product_id=product_id) if product_id else None
    return product if product is not None and product.is_active else None


def _product_id(data) -> int | None:
    value = str(data.get("product", ""))
    return int(value) if value.isdigit() else None


@never_cache
@require_POST
def add(request):
    form = CartAddForm(request.POST)
    product = _product_or_none(_product_id(request.POST))
    if product is None:
        return cart_page(request, refusal=_("This product is not for sale."), status=404)
    if not form.is_valid():
        return product_page(request, product_view_of(product), form=form, status=400)
    try:
        notice = cart_add(request, product_id=product.pk, quantity=form.cleaned_data["quantity"])
    except CartRefused as refusal:
        return product_page(request, product_view_of(product), refusal=str(refusal), status=409)
    name = localized(product.name_nl, product.name_en)
    _flash(request, _("%(name)s is in your cart.") % {"name": name}, notice)
    return redirect("shop:cart")


@never_cache
@require_POST
def update(request):
    form = CartUpdateForm(request.POST)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return cart_page(request, refusal=" ".join(errors), status=400)
    try:
        notice = cart_set(
            request,
            product_id=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"],
        )
    except CartRefused as refusal:
        return cart_page(request, refusal=str(refusal), status=409)
    _flash(request, notice or _("Your cart is updated."))
    return redirect("shop:cart")


@never_cache
@require_POST
def remove(request):
    form = CartRemoveForm(request.POST)
    if not form.is_valid():
        return cart_page(request, refusal=_("Choose a product."), status=400)
    cart_remove(request, product_id=form.cleaned_data["product"])
    _flash(request, _("The product is removed from your cart."))
    return redirect("shop:cart")
