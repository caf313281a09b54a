"""The test payment provider, end to end: checkout -> labelled test page -> signed webhook
through the real endpoint -> Payment row and the shop's hook -> the buyer back at the shop."""

import json
import logging
from decimal import Decimal

import pytest

from pledge.audit.models import AuditEvent
from pledge.partners import services
from pledge.partners.loader import adapter_for
from pledge.partners.models import Disclosure, Payment
from pledge.partners.signing import SIGNATURE_HEADER, signature_header
from pledge.partners.tasks import testpsp_webhook_send

from .conftest import BOTH
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)

RETURN_URL = "http://testserver/bestelling/1042/betaald/"
WEBHOOK = "/partners/webhooks/payment/mollie/"


def start(amount="24.95", language="nl"):
    fields = only(customer_fields(), "first_name", "last_name", "email")
    return services.payment_start(
        method="testpsp",
        order_reference="1042",
        amount=Decimal(amount),
        description="Pixeljet bestelling 1042",
        subject_id=subject(),
        language=language,
        return_url=RETURN_URL,
        fields=fields,
    )


def test_checkout_offers_the_test_payment_in_the_test_settings():
    methods = services.payment_methods()
    assert [(m.code, m.recipient_id) for m in methods] == [("testpsp", "mollie")]
    assert str(methods[0].label)


def test_the_test_page_is_clearly_labelled_in_dutch_and_english(client):
    redirect = start()
    dutch = client.get(redirect.redirect_url).content.decode()
    assert "Testbetaalomgeving" in dutch
    # Said once on the page (the title aside), not as a banner and again as the heading.
    assert dutch.split("<body", 1)[1].count("Testbetaalomgeving") == 1
    assert "Betalen" in dutch and "Annuleren" in dutch and "Laten mislukken" in dutch
    assert "€ 24,95" in dutch and "1042" in dutch
    english = client.get(start(language="en").redirect_url).content.decode()
    assert "Test payment provider" in english and "no money is transferred" in english
    assert "€ 24.95" in english
    assert "sanne" not in dutch.lower() and "sanne" not in english.lower()


@pytest.mark.django_db(databases=BOTH, transaction=True)
def test_paying_sends_a_signed_webhook_to_the_real_endpoint_and_tells_the_shop(
    client, live_server, settings, payment_events, enqueued_tasks
):
    settings.PLEDGE_PARTNERS = {
        "mollie": {"ADAPTER": "testpsp", "OPTIONS": {"webhook_url": live_server.url + WEBHOOK}}
    }
    redirect = start()
    payment = Payment.objects.get(pk=redirect.payment_id)
    assert payment.status == "open"

    response = client.post(redirect.redirect_url, {"outcome": "pay"})
    assert response.status_code == 302
    assert response["Location"] == RETURN_URL  # the buyer is back at the shop

    (task,) = enqueued_tasks
    assert list(task.args) == [redirect.payment_id, "pay", live_server.url + WEBHOOK]
    assert testpsp_webhook_send.call(*task.args) == 200  # over HTTP, to the live endpoint

    payment.refresh_from_db()
    assert payment.status == "paid"
    assert payment_events == [("1042", redirect.payment_id, "paid", Decimal("24.95"))]

    # The same webhook again (providers repeat them) changes nothing and tells nobody twice.
    assert testpsp_webhook_send.call(*task.args) == 200
    assert len(payment_events) == 1


def signed_post(client, event: dict, secret: str):
    body = json.dumps(event).encode()
    return client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature_header(secret=secret, body=body)},
    )


def event_for(payment: Payment, status="paid", amount=None) -> dict:
    return {
        "id": payment.provider_id,
        "status": status,
        "amount": amount or str(payment.amount),
        "currency": "EUR",
        "reference": payment.order_reference,
    }


def test_a_webhook_with_a_bad_signature_is_refused_logged_and_changes_nothing(
    client, payment_events, caplog
):
    payment = Payment.objects.get(pk=start().payment_id)
    with caplog.at_level(logging.WARNING, logger="pledge.partners"):
        response = signed_post(client, event_for(payment), secret="not-the-secret")
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "open"
    assert payment_events == []
    assert "webhook refused: signature does not match" in caplog.text
    assert "sanne" not in caplog.text.lower() and payment.provider_id not in caplog.text

    unsigned = client.post(WEBHOOK, json.dumps(event_for(payment)), content_type="application/json")
    assert unsigned.status_code == 400


def test_a_signed_webhook_with_another_amount_changes_nothing(client, payment_events):
    payment = Payment.objects.get(pk=start().payment_id)
    secret = adapter_for("mollie").secret()
    response = signed_post(client, event_for(payment, amount="0.01"), secret=secret)
    assert response.status_code == 200  # no hint to the sender
    payment.refresh_from_db()
    assert payment.status == "open"
    assert payment_events == []


def test_a_paid_payment_cannot_fail_afterwards(client, payment_events):
    payment = Payment.objects.get(pk=start().payment_id)
    secret = adapter_for("mollie").secret()
    assert signed_post(client, event_for(payment, "paid"), secret).status_code == 200
    assert signed_post(client, event_for(payment, "failed"), secret).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert [event[2] for event in payment_events] == ["paid"]


def test_cancelling_on_the_test_page_reports_cancelled(client, payment_events, enqueued_tasks):
    redirect = start()
    payment = Payment.objects.get(pk=redirect.payment_id)
    secret = adapter_for("mollie").secret()
    assert signed_post(client, event_for(payment, "cancelled"), secret).status_code == 200
    assert [event[2] for event in payment_events] == ["cancelled"]
    # A finished payment's page offers no buttons any more.
    page = client.get(redirect.redirect_url).content.decode()
    assert 'value="pay"' not in page


def test_a_refund_through_the_test_provider_is_reported_at_once(client, payment_events):
    payment = Payment.objects.get(pk=start().payment_id)
    signed_post(client, event_for(payment, "paid"), adapter_for("mollie").secret())
    services.payment_refund(order_reference="1042", amount=Decimal("10.00"), description="retour")
    services.payment_refund(order_reference="1042", amount=Decimal("14.95"), description="retour")
    payment.refresh_from_db()
    assert payment.status == "refunded" and payment.amount_refunded == Decimal("24.95")
    assert [(e[2], e[3]) for e in payment_events] == [
        ("paid", Decimal("24.95")),
        ("refunded", Decimal("10.00")),
        ("refunded", Decimal("24.95")),
    ]
    with pytest.raises(ValueError):
        services.payment_refund(order_reference="1042", amount=Decimal("1"), description="x")


def test_starting_a_payment_records_the_disclosure_with_categories_and_no_values():
    redirect = start()
    (disclosure,) = Disclosure.objects.all()
    assert disclosure.recipient == "mollie" and disclosure.purpose == "order_fulfilment"
    assert disclosure.legal_basis == "contract"
    assert disclosure.categories == [
        "user.name.first",
        "user.name.last",
        "user.contact.email",
        "user.payment",
    ]
    assert (
        disclosure.order_reference == "1042" and str(disclosure.payment_id) == redirect.payment_id
    )
    event = AuditEvent.objects.get(action="disclosure")
    assert event.purpose == "order_fulfilment" and event.details["recipient"] == "mollie"
    assert event.object_type == "subject"
    stored = json.dumps(event.details) + event.object_id
    for value in ("Sanne", "de Vries", "sanne.devries@example.nl", "24.95"):
        assert value not in stored


def test_a_field_the_payment_recipient_may_not_receive_stops_the_payment():
    with pytest.raises(services.PayloadRefused):
        services.payment_start(
            method="testpsp",
            order_reference="1042",
            amount=Decimal("10"),
            description="Pixeljet bestelling 1042",
            subject_id=subject(),
            language="nl",
            return_url=RETURN_URL,
            fields={"address": customer_fields()["address"]},
        )
    assert not Payment.objects.exists() and not Disclosure.objects.exists()


@pytest.mark.parametrize("recipient_id", ["postnl", "print_supplier", "kiyoh", "police"])
def test_the_payment_webhook_of_a_partner_that_takes_no_payments_is_not_found(
    client, payment_events, recipient_id
):
    # Anyone can post here: a recipient that is no payment provider must be a plain 404,
    # not a server error from an adapter that has no webhook to read.
    response = client.post(
        f"/partners/webhooks/payment/{recipient_id}/", {"id": "tr_abc"}, HTTP_X_PLEDGE_SIGNATURE=""
    )
    assert response.status_code == 404
    assert payment_events == []
