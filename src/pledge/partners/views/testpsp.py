"""The test payment provider's page, served by Pledge and labelled as a test in NL and EN."""

import uuid

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..adapters.testpsp import OUTCOMES, TestPaymentAdapter
from ..loader import PartnerNotConfigured, adapter_for
from ..selectors import payment_for_provider_page
from ..tasks import testpsp_webhook_send


@never_cache
@require_http_methods(["GET", "POST"])
def testpsp_page(request, payment_id: uuid.UUID):
    payment = payment_for_provider_page(payment_id=payment_id)
    try:
        adapter = adapter_for(payment.recipient)
    except PartnerNotConfigured:
        raise Http404 from None
    if not isinstance(adapter, TestPaymentAdapter):
        raise Http404
    finished = payment.status != "open"
    if request.method == "POST" and not finished:
        outcome = request.POST.get("outcome", "")
        if outcome in OUTCOMES:
            url = adapter.options.get("webhook_url") or _webhook_url(request, payment.recipient)
            transaction.on_commit(
                lambda: testpsp_webhook_send.enqueue(str(payment.id), outcome, url), robust=True
            )
            return redirect(payment.return_url)
    with translation.override(payment.language):
        return render(
            request,
            "partners/testpsp.html",
            {"payment": payment, "finished": finished},
            status=200,
        )


def _webhook_url(request, recipient_id: str) -> str:
    # Without a language prefix: a webhook address is the same whatever the buyer's language.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("partners:payment_webhook", kwargs={"recipient_id": recipient_id})
    return request.build_absolute_uri(path)
