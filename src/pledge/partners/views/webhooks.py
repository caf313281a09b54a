"""Machine endpoints: payment providers' and delivery partners' webhooks.

No CSRF token (the caller is a server); authenticity comes from the HMAC signature or, for
Mollie, from re-fetching the payment with our API key. Answers carry no detail: a prober learns
nothing about which payments or orders exist.
"""

import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..loader import PartnerNotConfigured
from ..services import payments
from ..services.messages import SHIPMENT_REFUSED, shipment_status_receive

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


def _body(request) -> bytes | None:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return None
    return request.body


@csrf_exempt
@never_cache
@require_POST
def payment_webhook(request, recipient_id: str):
    body = _body(request)
    if body is None:
        return HttpResponseBadRequest()
    try:
        outcome = payments.payment_webhook_receive(
            recipient_id=recipient_id, body=body, headers=request.headers, form=request.POST
        )
    except PartnerNotConfigured:
        return HttpResponseNotFound()
    if outcome == payments.WEBHOOK_REFUSED:
        return HttpResponseBadRequest()
    if outcome == payments.WEBHOOK_UNAVAILABLE:
        return HttpResponse(status=503)  # the provider tries again later
    return HttpResponse(status=200)


@csrf_exempt
@never_cache
@require_POST
def shipment_webhook(request, recipient_id: str):
    body = _body(request)
    if body is None:
        return HttpResponseBadRequest()
    try:
        outcome = shipment_status_receive(
            recipient_id=recipient_id, body=body, headers=request.headers
        )
    except PartnerNotConfigured:
        return HttpResponseNotFound()
    if outcome == SHIPMENT_REFUSED:
        return HttpResponseBadRequest()
    return HttpResponse(status=200)
