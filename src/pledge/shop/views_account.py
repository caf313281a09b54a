"""The shop's pages in "My account": orders, withdrawal, disclosures, review invitations.

Every order is looked up by owner and id together: another customer's order is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pledge.policy.selectors import current_policy

from .forms import ReviewPreferenceForm
from .invoice_selectors import credit_notes_for_order, invoice_for_order, invoice_number
from .order_states import UNPAID
from .returns import WITHDRAWAL_DAYS, ReturnRefused, return_eligibility, return_request
from .selectors import order_for_customer, order_vat, orders_for_customer


def _customer_only(request) -> None:
    if not request.user.subject_id:
        raise Http404


@never_cache
@login_required
def order_list(request):
    _customer_only(request)
    orders = list(orders_for_customer(user=request.user))
    return render(request, "shop/account/orders.html", {"orders": orders})


@never_cache
@login_required
def order_detail(request, order_id):
    _customer_only(request)
    order = order_for_customer(user=request.user, order_id=order_id)
    invoice = invoice_for_order(order_id=order.pk)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "vat": order_vat(order),
        "invoice": invoice,
        "invoice_number": invoice_number(invoice) if invoice else "",
        # The accepted-return and cancellation mails send the customer here for them.
        "credit_notes": [
            (note, invoice_number(note)) for note in credit_notes_for_order(order_id=order.pk)
        ],
        "withdrawal": return_eligibility(order=order),
        "awaiting_payment": order.status in UNPAID,
    }
    return render(request, "shop/account/order.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_withdraw(request, order_id):
    """The withdrawal function (BW 6:230o; Directive 2023/2673 art. 11a): the button on the
    order opens this page, which says what goes back and where, and only its "Confirm the
    withdrawal" button sends it. The return request goes to the invoices half, which credits
    the order once the goods are back."""
    _customer_only(request)
    order = order_for_customer(user=request.user, order_id=order_id)
    if request.method != "POST":
        context = {
            "order": order,
            "withdrawal": return_eligibility(order=order),
            "controller": current_policy().controller,
            "send_back_by": WITHDRAWAL_DAYS,
        }
        return render(request, "shop/account/withdraw.html", context)
    try:
        return_request(user=request.user, order_id=order.pk)
    except ReturnRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("We have received your withdrawal. Send the products back within 14 days."),
        )
    return redirect("shop:order", order_id=order.pk)


@never_cache
@login_required
def disclosures(request):
    """Which partner received which of your details, when, why and for which order
    (Art. 15(1)(c): the recipients to whom the data have been disclosed)."""
    from pledge.partners.selectors import disclosures_for_subject

    _customer_only(request)
    rows = disclosures_for_subject(subject_id=request.user.subject_id)
    return render(request, "shop/account/disclosures.html", {"disclosures": rows})


@never_cache
@login_required
def review_preference(request):
    """The objection to review invitations (Art. 21: a legitimate-interest processing)."""
    from pledge.partners.selectors import review_objected
    from pledge.partners.services import review_objection_set

    _customer_only(request)
    subject_id = request.user.subject_id
    form = ReviewPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"objected": review_objected(subject_id=subject_id)},
    )
    if request.method == "POST" and form.is_valid():
        objected = form.cleaned_data["objected"]
        review_objection_set(subject_id=subject_id, objected=objected)
        messages.success(
            request,
            _("You will not receive review invitations.")
            if objected
            else _("You may receive an invitation to write a review after a delivery."),
        )
        return redirect("shop:review_preference")
    return render(request, "shop/account/reviews.html", {"form": form})
