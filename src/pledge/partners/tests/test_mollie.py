"""Mollie through its official client, with only the HTTP layer mocked (``responses``)."""

import json
from decimal import Decimal

import pytest
import responses
from django.apps import apps

from pledge.audit.models import AuditEvent
from pledge.partners import services
from pledge.partners.models import Payment

from .conftest import BOTH
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)

API = "https://api.mollie.com/v2/payments"
WEBHOOK = "/partners/webhooks/payment/mollie/"
IBAN = "NL91ABNA0417164300"
PAYER = "S. de Vries-Jansen"


@pytest.fixture(autouse=True)
def mollie(settings):
    settings.PLEDGE_PARTNERS = {
        "mollie": {"ADAPTER": "mollie", "OPTIONS": {"api_key": "test_" + "d" * 30}}
    }


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def mollie_payment(
    provider_id="tr_WDqYK6vllg", *, status="open", value="24.95", reference="1042", refunded=None
):
    body = {
        "resource": "payment",
        "id": provider_id,
        "mode": "test",
        "createdAt": "2026-11-27T10:00:00+00:00",
        "amount": {"value": value, "currency": "EUR"},
        "description": "Pixeljet bestelling 1042",
        "method": "ideal",
        "metadata": {"order_reference": reference},
        "status": status,
        "redirectUrl": "https://www.pixeljet.nl/bestelling/1042/",
        "_links": {
            "self": {"href": f"{API}/{provider_id}", "type": "application/hal+json"},
            "checkout": {
                "href": f"https://www.mollie.com/checkout/select-method/{provider_id}",
                "type": "text/html",
            },
        },
    }
    if status == "paid":
        body["details"] = {
            "consumerName": PAYER,
            "consumerAccount": IBAN,
            "consumerBic": "ABNANL2A",
        }
    if refunded:
        body["amountRefunded"] = {"value": refunded, "currency": "EUR"}
    return body


def start(mocked, method="ideal"):
    mocked.post(API, json=mollie_payment(), status=201)
    return services.payment_start(
        method=method,
        order_reference="1042",
        amount=Decimal("24.95"),
        description="Pixeljet bestelling 1042",
        subject_id=subject(),
        language="en",
        return_url="https://www.pixeljet.nl/en/orders/1042/paid/",
        fields=only(customer_fields(), "first_name", "last_name", "email", "lines"),
    )


def test_checkout_offers_ideal_and_card_through_mollie():
    assert [(m.code, m.recipient_id) for m in services.payment_methods()] == [
        ("ideal", "mollie"),
        ("creditcard", "mollie"),
    ]


def test_a_payment_is_created_with_only_the_declared_fields_and_our_webhook(mocked):
    redirect = start(mocked)
    assert redirect.redirect_url == "https://www.mollie.com/checkout/select-method/tr_WDqYK6vllg"
    sent = json.loads(mocked.calls[0].request.body)
    assert sent["amount"] == {"currency": "EUR", "value": "24.95"}
    assert sent["method"] == "ideal" and sent["locale"] == "en_US"
    assert sent["metadata"]["order_reference"] == "1042"
    assert sent["billingAddress"] == {
        "givenName": "Sanne",
        "familyName": "de Vries",
        "email": "sanne.devries@example.nl",
    }
    assert "lines" not in sent  # the policy would allow them; Mollie's API is not sent them
    # The webhook address has no language prefix, whatever the buyer's language.
    assert sent["webhookUrl"] == "https://www.pixeljet.nl" + WEBHOOK
    assert mocked.calls[0].request.headers["Idempotency-Key"] == redirect.payment_id
    payment = Payment.objects.get(pk=redirect.payment_id)
    assert payment.provider_id == "tr_WDqYK6vllg" and payment.status == "open"


def test_the_webhook_refetches_the_payment_and_tells_the_shop(client, mocked, payment_events):
    redirect = start(mocked)
    mocked.get(f"{API}/tr_WDqYK6vllg", json=mollie_payment(status="paid"))
    response = client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"})
    assert response.status_code == 200
    assert Payment.objects.get(pk=redirect.payment_id).status == "paid"
    assert payment_events == [("1042", redirect.payment_id, "paid", Decimal("24.95"))]


def test_an_unknown_id_is_answered_200_and_mollie_is_not_even_asked(client, mocked, payment_events):
    start(mocked)
    calls = len(mocked.calls)
    response = client.post(WEBHOOK, {"id": "tr_unknown123"})
    assert response.status_code == 200 and response.content == b""
    assert len(mocked.calls) == calls
    assert payment_events == []
    assert client.post(WEBHOOK, {"id": "not-a-mollie-id"}).status_code == 400


def test_a_mismatched_amount_or_reference_changes_nothing(client, mocked, payment_events):
    redirect = start(mocked)
    mocked.get(f"{API}/tr_WDqYK6vllg", json=mollie_payment(status="paid", value="0.01"))
    assert client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"}).status_code == 200
    mocked.replace(
        responses.GET, f"{API}/tr_WDqYK6vllg", json=mollie_payment(status="paid", reference="9999")
    )
    assert client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"}).status_code == 200
    assert Payment.objects.get(pk=redirect.payment_id).status == "open"
    assert payment_events == []


def test_mollie_unreachable_asks_mollie_to_retry(client, mocked, payment_events):
    redirect = start(mocked)
    unavailable = {"status": 503, "title": "Service Unavailable", "detail": "Try again later"}
    mocked.get(f"{API}/tr_WDqYK6vllg", json=unavailable, status=503)
    assert client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"}).status_code == 503
    assert Payment.objects.get(pk=redirect.payment_id).status == "open"


def test_a_refund_is_requested_and_reported_when_mollie_confirms_it(client, mocked, payment_events):
    redirect = start(mocked)
    mocked.get(f"{API}/tr_WDqYK6vllg", json=mollie_payment(status="paid"))
    client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"})
    mocked.post(
        f"{API}/tr_WDqYK6vllg/refunds",
        json={
            "resource": "refund",
            "id": "re_4qqhO89gsT",
            "amount": {"value": "24.95", "currency": "EUR"},
            "status": "pending",
            "paymentId": "tr_WDqYK6vllg",
        },
        status=201,
    )
    services.payment_refund(order_reference="1042", amount=Decimal("24.95"), description="Retour")
    refund = json.loads(mocked.calls[-1].request.body)
    assert refund["amount"] == {"currency": "EUR", "value": "24.95"}
    assert Payment.objects.get(pk=redirect.payment_id).status == "paid"  # not until Mollie says

    mocked.replace(
        responses.GET,
        f"{API}/tr_WDqYK6vllg",
        json=mollie_payment(status="paid", refunded="24.95"),
    )
    client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"})
    assert Payment.objects.get(pk=redirect.payment_id).status == "refunded"
    assert [e[2] for e in payment_events] == ["paid", "refunded"]


def test_the_payers_name_and_iban_from_mollie_are_not_stored_anywhere(client, mocked):
    start(mocked)
    mocked.get(f"{API}/tr_WDqYK6vllg", json=mollie_payment(status="paid"))
    client.post(WEBHOOK, {"id": "tr_WDqYK6vllg"})
    assert Payment.objects.get().status == "paid"  # the response with the IBAN was processed
    for model in apps.get_app_config("partners").get_models():
        for row in model.objects.values():
            stored = json.dumps(row, default=str)
            assert IBAN not in stored and PAYER not in stored and "ABNANL2A" not in stored
    for event in AuditEvent.objects.values():
        assert IBAN not in json.dumps(event, default=str)
