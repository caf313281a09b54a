"""Back-office order screens: a list without personal data, a record that opens for a stated
purpose, and the fulfilment actions (ship with track-and-trace, delivered, cancel).

The delivery address and phone number show only when the purpose and the staff member's role
both cover them and the order is still open (``backoffice.selectors.delivery_address_visible``);
every opening of a record is a ``personal_data_viewed`` audit row.
"""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pledge.accounts.selectors import customer_profile
from pledge.backoffice.purposes import purpose_required
from pledge.backoffice.screens import all_screens, screen_required
from pledge.backoffice.security import staff_required
from pledge.backoffice.selectors import delivery_address_visible

from .checkout import CheckoutRefused
from .forms import ShipForm
from .fulfilment import order_cancel, order_mark_delivered, order_mark_shipped
from .invoice_selectors import (
    LINES_CATEGORY,
    credit_notes_for_order,
    invoice_for_order,
    invoice_number,
)
from .models import OrderStatus
from .order_states import OPEN, TransitionRefused, may_become, order_may_become
from .selectors import order_for_staff, order_vat, orders_for_staff

logger = logging.getLogger(__name__)

SCREEN = "orders"
PAGE_SIZE = 50
ADDRESS, PHONE = "user.contact.address", "user.contact.phone_number"
NAMES = (("first_name", "user.name.first"), ("last_name", "user.name.last"))


def screen_register() -> None:
    """Called from ``ShopConfig.ready``: the orders screen serves order fulfilment."""
    from pledge.backoffice.screens import screen

    screen(
        SCREEN,
        url_name="shop:backoffice_orders",
        label=gettext_lazy("Orders"),
        purposes=("order_fulfilment",),
    )


@never_cache
@staff_required
@screen_required(SCREEN)
def order_list(request):
    status = request.GET.get("status", "")
    if status not in OrderStatus.values:
        status = ""
    page = Paginator(orders_for_staff(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": OrderStatus.choices}
    return render(request, "shop/backoffice/orders.html", context)


@never_cache
@staff_required
@screen_required(SCREEN)
@purpose_required(kind="order", data_subject="customer", id_kwarg="order_id")
def order_record(request, order_id, *, access):
    order = order_for_staff(order_id=order_id)
    access.object_type, access.object_id = "shop.order", str(order.pk)
    access.shown.add("user.behavior.purchase_history")
    address = phone = tracking_code = None
    address_open = delivery_address_visible(user=request.user, order_is_open=order.status in OPEN)
    if address_open and access.may_show(ADDRESS):
        access.shown.add(ADDRESS)
        address, tracking_code = order.delivery_address, order.tracking_code
    if address_open and access.may_show(PHONE) and order.phone:
        access.shown.add(PHONE)
        phone = order.phone
    names = []
    if order.user_id and any(access.may_show(category) for _name, category in NAMES):
        try:
            profile = customer_profile(user_id=order.user_id)
        except Http404:
            profile = None
        for name, category in NAMES:
            if profile is not None and access.may_show(category):
                access.shown.add(category)
                names.append(getattr(profile, name))
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "vat": order_vat(order),
        "access": access,
        **_documents(request.user, order, access),
        "customer_name": " ".join(str(n) for n in names if n),
        "address": address,
        "phone": phone,
        "tracking_code": tracking_code,
        "address_hidden": order.delivery_address is not None and address is None,
        "ship_form": ShipForm(),
        "may_ship": order_may_become(order, OrderStatus.SHIPPED),
        "may_deliver": order_may_become(order, OrderStatus.DELIVERED),
        "may_cancel": may_become(order.status, OrderStatus.CANCELLED),
    }
    return render(request, "shop/backoffice/order.html", context)


def _documents(user, order, access) -> dict:
    """The order's invoice and credit notes (printed number, link to the back-office page) for
    a staff member whose roles open the invoices screen; the invoice page asks for its own
    purpose and records its own viewing. An invoice is its lines, so a purpose that may not show
    the purchase history gets no links."""
    # Imported here: the invoice views register their screen when the URLs load, after ours.
    from .invoice_views import SCREEN as INVOICES

    allowed = any(item.name == INVOICES and item.allows(user) for item in all_screens())
    if not allowed or not access.may_show(LINES_CATEGORY):
        return {"invoice": None, "credit_notes": []}
    invoice = invoice_for_order(order_id=order.pk)
    return {
        "invoice": invoice and (invoice, invoice_number(invoice)),
        "credit_notes": [
            (note, invoice_number(note)) for note in credit_notes_for_order(order_id=order.pk)
        ],
    }


@never_cache
@staff_required
@screen_required(SCREEN)
@require_POST
def order_action(request, order_id, action: str):
    """Ship, deliver or cancel; a status the table does not allow is refused with its reason."""
    order = order_for_staff(order_id=order_id)
    reference, staff_id = str(order.number), request.user.pk
    try:
        if action == "ship":
            form = ShipForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(form.errors.get("tracking_code", [])))
                return redirect("shop:backoffice_order", order_id=order.pk)
            order_mark_shipped(
                order_reference=reference,
                tracking_code=form.cleaned_data["tracking_code"],
                staff_id=staff_id,
            )
            messages.success(request, _("Marked as shipped; the customer gets the code by e-mail."))
        elif action == "deliver":
            order_mark_delivered(order_reference=reference, staff_id=staff_id)
            messages.success(request, _("Marked as delivered."))
        elif action == "cancel":
            try:
                order_cancel(order_id=order.pk, staff_id=staff_id)
            except (CheckoutRefused, TransitionRefused):
                raise
            except Exception as error:  # the provider refused the refund, or found no payment
                logger.warning("refund for order %s failed: %s", order.pk, type(error).__name__)
                messages.error(
                    request,
                    _(
                        "The payment could not be refunded, so the order is not cancelled. "
                        "Check the payment at the payment provider."
                    ),
                )
                return redirect("shop:backoffice_order", order_id=order.pk)
            messages.success(request, _("The order is cancelled and the stock is back."))
        else:
            raise Http404
    except (CheckoutRefused, TransitionRefused) as refusal:
        # A status the table does not allow: the message names both statuses.
        messages.error(request, str(refusal))
    return redirect("shop:backoffice_order", order_id=order.pk)
