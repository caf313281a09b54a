"""The back office's return requests: a list, and accept or reject (order fulfilment staff).

The customer's side (asking for a return from "My account") is the order page's withdraw
button, which calls ``returns.return_request``.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pledge.backoffice.screens import screen, screen_required
from pledge.backoffice.security import staff_required

from .invoices import CreditNoteRefused
from .models import ReturnRejection, ReturnStatus
from .order_states import TransitionRefused
from .return_selectors import return_requests_count, return_requests_list
from .returns import ReturnRefused, return_accept, return_refund_retry, return_reject

screen(
    "returns",
    url_name="shop:backoffice_returns",
    label=_("Returns"),
    purposes=("order_fulfilment",),
)

PAGE_SIZE = 50
FILTERS = (
    (ReturnStatus.REQUESTED.value, _("Waiting")),
    (ReturnStatus.ACCEPTED.value, _("Refund not done")),
    ("", _("All")),
)


class ReturnRejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnRejection.choices)


class _ReturnPage:
    """A page of return requests for Django's paginator, fetching only that page."""

    def __init__(self, status: str) -> None:
        self.status = status
        self._count = return_requests_count(status=status)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice):
        return return_requests_list(
            status=self.status, limit=window.stop - window.start, offset=window.start
        )


@never_cache
@staff_required
@screen_required("returns")
def backoffice_returns(request):
    status = request.GET.get("status", ReturnStatus.REQUESTED)
    if status not in {value for value, _label in FILTERS}:
        status = ReturnStatus.REQUESTED
    page = Paginator(_ReturnPage(status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "filters": FILTERS,
        "reject_form": ReturnRejectForm(),
        "waiting": ReturnStatus.REQUESTED,
        "accepted": ReturnStatus.ACCEPTED,
    }
    return render(request, "shop/returns/backoffice_returns.html", context)


@never_cache
@staff_required
@screen_required("returns")
@require_POST
def backoffice_return_accept(request, return_id):
    try:
        decided = return_accept(return_id=return_id, staff=request.user)
    except (ReturnRefused, CreditNoteRefused, TransitionRefused) as refusal:
        messages.error(request, str(refusal))
    else:
        decided.refresh_from_db()
        if decided.status == ReturnStatus.REFUNDED:
            text = gettext("Return for order %(number)s accepted and refunded.")
        else:
            text = gettext(
                "Return for order %(number)s accepted, but the payment provider did not accept "
                "the refund. Try the refund again under “Refund not done”."
            )
        messages.success(request, text % {"number": decided.order.number})
    return redirect("shop:backoffice_returns")


@never_cache
@staff_required
@screen_required("returns")
@require_POST
def backoffice_return_refund(request, return_id):
    try:
        decided = return_refund_retry(return_id=return_id, staff=request.user)
    except ReturnRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            gettext("Order %(number)s refunded.") % {"number": decided.order.number},
        )
    return redirect(f"{reverse('shop:backoffice_returns')}?status={ReturnStatus.ACCEPTED}")


@never_cache
@staff_required
@screen_required("returns")
@require_POST
def backoffice_return_reject(request, return_id):
    form = ReturnRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose why the return is rejected."))
        return redirect("shop:backoffice_returns")
    try:
        decided = return_reject(
            return_id=return_id, staff=request.user, reason=form.cleaned_data["reason"]
        )
    except ReturnRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            gettext("Return for order %(number)s rejected; the customer has been told why.")
            % {"number": decided.order.number},
        )
    return redirect("shop:backoffice_returns")
