"""Checkout: choices, review, the order button, and the page the payment provider returns to.

Ordering needs an account (the shop asks you to register first): a visitor is sent to sign in
or register with ``next`` pointing back here, and the cart is merged into the account at
sign-in. Every amount on these pages is computed on the server from the database.
"""

import logging
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pledge.accounts.profile_services import address_save
from pledge.accounts.selectors import customer_profile

from .cart import cart_clear, cart_for
from .checkout import CheckoutRefused, SoldOut, quote_build
from .forms import NEW_ADDRESS, CheckoutForm, PlaceOrderForm
from .models import DeliveryMethod, Product
from .order_states import UNPAID
from .selectors import delivery_methods_active, order_for_customer, order_vat
from .services import QuoteChanged, order_for_checkout, order_payment_start, order_place

logger = logging.getLogger(__name__)

CHOICES = "shop.checkout"  # session: {"address": id, "delivery": code, "payment": code}


def _customer_only(request) -> None:
    # Staff accounts have no vault subject and no address book: they do not order here.
    if not request.user.subject_id:
        raise Http404


def _payment_methods():
    from pledge.partners.services import payment_methods

    return payment_methods()


def _empty_cart(request):
    # The cart page says it is empty itself. A message here was never shown there (the cart
    # keeps its own notices) and surfaced later on an unrelated page, e.g. in My account.
    return redirect("shop:cart")


@never_cache
@login_required
def checkout(request):
    """Step 1: delivery address (from the address book or a new one), delivery, payment."""
    _customer_only(request)
    cart = cart_for(request)
    if cart.is_empty:
        return _empty_cart(request)
    profile = customer_profile(user_id=request.user.pk)
    chosen = request.session.get(CHOICES, {})
    default_address = next((a["id"] for a in profile.addresses if a["is_default"]), None)
    methods, payments = delivery_methods_active(), _payment_methods()
    initial = {
        "address": chosen.get("address") or (str(default_address) if default_address else ""),
        "delivery": chosen.get("delivery") or (methods[0].code if methods else ""),
        "payment": chosen.get("payment") or (payments[0].code if payments else ""),
    }
    form = CheckoutForm(
        request.POST or None,
        initial=initial,
        addresses=profile.addresses,
        delivery_methods=methods,
        payment_methods=payments,
    )
    if request.method == "POST" and form.is_valid():
        address_id = form.cleaned_data["address"]
        if address_id == NEW_ADDRESS:
            values = dict(form.new_address.cleaned_data)
            address_id = address_save(
                user=request.user,
                label=values.pop("label"),
                is_default=values.pop("is_default"),
                postal_address=values,
            ).pk
        request.session[CHOICES] = {
            "address": str(address_id) if address_id else "",
            "delivery": form.cleaned_data["delivery"],
            "payment": form.cleaned_data["payment"],
        }
        return redirect("shop:checkout_review")
    context = {"form": form, "cart": cart, "profile": profile, "step": 1}
    return render(request, "shop/checkout/checkout.html", context)


def _review_context(request, *, form=None):
    """What the review page shows, or a redirect when a step is missing or stock ran out."""
    chosen = request.session.get(CHOICES)
    if not chosen:
        return redirect("shop:checkout")
    cart = cart_for(request)
    if cart.is_empty:
        return _empty_cart(request)
    delivery = DeliveryMethod.objects.filter(code=chosen["delivery"], is_active=True).first()
    payment = next((m for m in _payment_methods() if m.code == chosen["payment"]), None)
    profile = customer_profile(user_id=request.user.pk)
    address = next((a for a in profile.addresses if str(a["id"]) == chosen["address"]), None)
    if delivery is None or payment is None or (delivery.needs_address and address is None):
        return redirect("shop:checkout")
    quantities = cart.quantities()
    products = Product.objects.filter(pk__in=[product_id for product_id, _n in quantities])
    try:
        quote = quote_build(products=products, quantities=quantities, delivery=delivery)
    except CheckoutRefused as refusal:
        return _refused(request, refusal)
    form = form or PlaceOrderForm(
        initial={"idempotency_key": uuid.uuid4(), "review_digest": quote.digest}
    )
    return {
        "notices": cart.notices,
        "quote": quote,
        "address": address if delivery.needs_address else None,
        "payment": payment,
        "profile": profile,
        "form": form,
        "step": 2,
    }


@never_cache
@login_required
def review(request):
    """Step 2: everything the order will be, the terms and the right of withdrawal, and the
    button that says the order comes with an obligation to pay (BW 6:230v lid 3)."""
    _customer_only(request)
    context = _review_context(request)
    if not isinstance(context, dict):
        return context
    return render(request, "shop/checkout/review.html", context)


@never_cache
@login_required
@require_POST
def place(request):
    """The order button. Only the checkout's key, the reviewed quote's digest and the terms
    box are read from the form; lines, prices and quantities come from the cart and the
    database."""
    _customer_only(request)
    form = PlaceOrderForm(request.POST)
    if not form.is_valid():
        context = _review_context(request, form=form)
        if not isinstance(context, dict):
            return context
        return render(request, "shop/checkout/review.html", context, status=400)
    key = form.cleaned_data["idempotency_key"]
    cart = cart_for(request)
    if cart.is_empty:
        # The same checkout submitted again after it was placed: show that order.
        existing = order_for_checkout(user=request.user, idempotency_key=key)
        if existing is not None:
            return redirect("shop:confirmation", order_id=existing.pk)
        if cart.notices:  # everything in it sold out meanwhile
            return _refused(request, CheckoutRefused(" ".join(cart.notices)))
        return _empty_cart(request)
    chosen = request.session.get(CHOICES) or {}
    customer = customer_profile(user_id=request.user.pk)
    try:
        placed = order_place(
            user=request.user,
            customer=customer,
            quantities=cart.quantities(),
            delivery_code=chosen.get("delivery", ""),
            address_id=chosen.get("address"),
            payment_method=chosen.get("payment", ""),
            idempotency_key=key,
            review_digest=form.cleaned_data["review_digest"],
            language=get_language() or "nl",
        )
    except SoldOut as refusal:
        return _refused(request, refusal)
    except QuoteChanged as refusal:
        messages.warning(request, str(refusal))
        return redirect("shop:checkout_review")
    except CheckoutRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("shop:checkout")
    order = placed.order
    if not placed.created:
        return redirect("shop:confirmation", order_id=order.pk)
    cart_clear(request)
    return _to_payment(request, order, payer=customer)


def _refused(request, refusal: CheckoutRefused):
    """Sold out (someone else bought the last one first): say so, and nothing was ordered."""
    return render(request, "shop/checkout/refused.html", {"refusal": refusal}, status=409)


def _to_payment(request, order, *, payer=None):
    return_url = request.build_absolute_uri(
        reverse("shop:confirmation", kwargs={"order_id": order.pk})
    )
    try:
        payment = order_payment_start(order=order, return_url=return_url, payer=payer)
    except CheckoutRefused as refusal:
        messages.info(request, str(refusal))
        return redirect("shop:confirmation", order_id=order.pk)
    except Exception as error:  # any provider failure: the order itself stands, pay again
        logger.warning("payment start failed for order %s: %s", order.pk, type(error).__name__)
        messages.error(
            request,
            _("The payment could not be started. Your order is saved: please try paying again."),
        )
        return redirect("shop:confirmation", order_id=order.pk)
    return redirect(payment.redirect_url)


@never_cache
@login_required
def confirmation(request, order_id):
    """Where the payment provider sends the customer back: the order number and its status,
    "payment pending" while the provider's message has not arrived yet."""
    order = order_for_customer(user=request.user, order_id=order_id)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "vat": order_vat(order),
        "awaiting_payment": order.status in UNPAID,
    }
    return render(request, "shop/checkout/confirmation.html", context)


@never_cache
@login_required
@require_POST
def pay(request, order_id):
    """Pay (again) for an order that is still waiting for its payment."""
    order = order_for_customer(user=request.user, order_id=order_id)
    return _to_payment(request, order)


def terms(request):
    """The terms and conditions, shown before the order (BW 6:230m lid 1, 6:230v lid 1)."""
    return render(request, "shop/checkout/terms.html")
