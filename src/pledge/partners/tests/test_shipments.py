"""Track and trace: a delivery partner's signed webhook reaches the shop's shipment hook."""

import json

import pytest

from pledge.partners import services
from pledge.partners.loader import adapter_for
from pledge.partners.signing import SIGNATURE_HEADER, signature_header

from .conftest import BOTH
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)

URL = "/partners/webhooks/shipment/postnl/"


@pytest.fixture
def shipped():
    services.shipment_request(
        recipient_id="postnl",
        order_reference="1042",
        subject_id=subject(),
        fields=only(customer_fields(), "first_name", "last_name", "address"),
    )


def post(client, event, secret):
    body = json.dumps(event).encode()
    header = signature_header(secret=secret, body=body)
    return client.post(
        URL, body, content_type="application/json", headers={SIGNATURE_HEADER: header}
    )


def test_a_signed_track_and_trace_code_reaches_the_shop(client, shipped, shipment_events):
    secret = adapter_for("postnl").inbound_secret()
    event = {"reference": "1042", "status": "shipped", "tracking_code": "3SPJET1234567"}
    assert post(client, event, secret).status_code == 200
    assert post(client, {"reference": "1042", "status": "delivered"}, secret).status_code == 200
    assert shipment_events == [("1042", "shipped", "3SPJET1234567"), ("1042", "delivered", "")]


def test_a_bad_signature_is_refused_and_tells_the_shop_nothing(client, shipped, shipment_events):
    event = {"reference": "1042", "status": "delivered", "tracking_code": "3SPJET1234567"}
    assert post(client, event, "guessed-secret").status_code == 400
    assert client.post(URL, json.dumps(event), content_type="application/json").status_code == 400
    assert shipment_events == []


def test_a_carrier_cannot_report_on_orders_it_was_not_given(client, shipped, shipment_events):
    secret = adapter_for("postnl").inbound_secret()
    event = {"reference": "2001", "status": "delivered", "tracking_code": "3SPJET9"}
    assert post(client, event, secret).status_code == 200  # no hint which orders exist
    assert shipment_events == []


def test_only_delivery_partners_have_a_shipment_webhook(client):
    assert (
        client.post("/partners/webhooks/shipment/kiyoh/", b"{}", "application/json").status_code
        == 404
    )
    assert (
        client.post("/partners/webhooks/shipment/dhl/", b"{}", "application/json").status_code
        == 404
    )
