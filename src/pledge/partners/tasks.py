"""Background work (django.tasks). Arguments are ids and codes only, never personal data."""

import logging
import uuid

from django.tasks import task
from django.utils import timezone

from . import conf, transport

logger = logging.getLogger(__name__)

TESTPSP_ATTEMPTS = 5


@task
def testpsp_webhook_send(payment_id: str, outcome: str, webhook_url: str, attempt: int = 1) -> int:
    """The test PSP's side: send its signed webhook for the buyer's choice to Pledge.

    Like a real provider it retries with back-off while Pledge does not answer 2xx. The URL is
    Pledge's own (built from the request, an ALLOWED_HOSTS name), so it may be loopback.
    """
    from .adapters.testpsp import TestPaymentAdapter
    from .loader import adapter_for
    from .models import Payment

    payment = Payment.objects.get(pk=uuid.UUID(payment_id))
    adapter = adapter_for(payment.recipient)
    if not isinstance(adapter, TestPaymentAdapter):
        raise TypeError("the payment's recipient is not served by the test payment provider")
    body = adapter.webhook_body(payment=payment, outcome=outcome)
    try:
        status = transport.post(
            webhook_url, body=body, headers=adapter.webhook_headers(body=body), allow_private=True
        )
    except (transport.TransportFailed, transport.TransportRefused) as error:
        status = 0
        logger.warning("test PSP: webhook for payment %s not delivered (%s)", payment_id, error)
    if not 200 <= status < 300 and attempt < TESTPSP_ATTEMPTS:
        run_after = timezone.now() + conf.retry_delay(attempt)
        testpsp_webhook_send.using(run_after=run_after).enqueue(
            payment_id, outcome, webhook_url, attempt + 1
        )
    return status


@task
def partner_message_send(message_id: str) -> str | None:
    """Deliver one outbox message to its partner; safe to run twice or concurrently."""
    from .delivery import deliver_one

    status = deliver_one(message_id=uuid.UUID(message_id))
    return None if status is None else str(status)
