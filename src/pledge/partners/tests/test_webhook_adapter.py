"""The generic webhook adapter: signed HTTPS POSTs, and no way to reach internal machines."""

import json
import socket

import pytest

from pledge.partners import services, transport
from pledge.partners.models import MessageStatus, PartnerMessage
from pledge.partners.signing import SIGNATURE_HEADER, signature_verify

from .conftest import BOTH, PARTNER_SECRET
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)


def ship(reference="1042") -> PartnerMessage:
    services.shipment_request(
        recipient_id="postnl",
        order_reference=reference,
        subject_id=subject(),
        fields=only(customer_fields(), "first_name", "last_name", "address", "phone"),
    )
    return PartnerMessage.objects.get(reference=reference)


def test_the_partner_receives_a_signed_post_that_verifies(webhook_partners):
    message = ship()
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.DELIVERED
    ((_path, headers, body),) = webhook_partners.received
    signature_verify(secret=PARTNER_SECRET, body=body, header=headers[SIGNATURE_HEADER])
    with pytest.raises(ValueError):
        signature_verify(secret="another-secret", body=body, header=headers[SIGNATURE_HEADER])
    document = json.loads(body)
    assert document["type"] == "shipment_request" and document["reference"] == "1042"
    assert document["purposes"] == ["order_fulfilment"]
    assert set(document["data"]) == {"first_name", "last_name", "address", "phone"}
    assert headers["Idempotency-Key"] == str(message.id)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/pledge",  # loopback
        "https://localhost/pledge",  # a name for loopback
        "https://10.0.0.8/pledge",  # private
        "https://192.168.1.20/pledge",
        "https://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
        "https://[::1]/pledge",
        "https://[::ffff:127.0.0.1]/pledge",  # IPv4-mapped loopback
        "https://100.64.0.1/pledge",  # carrier-grade NAT, not public
    ],
)
def test_internal_addresses_are_refused_in_production_settings(settings, url):
    settings.PLEDGE_PARTNERS_ALLOW_PRIVATE = False
    with pytest.raises(transport.TransportRefused, match="private, loopback or link-local"):
        transport.post(url, body=b"{}", headers={})


def test_plain_http_is_refused_in_production_settings(settings, partner_server):
    settings.PLEDGE_PARTNERS_ALLOW_PRIVATE = False
    with pytest.raises(transport.TransportRefused, match="HTTPS"):
        transport.post(partner_server.url(), body=b"{}", headers={})
    assert partner_server.received == []


def test_a_refused_address_fails_the_message_for_good_without_sending(settings, webhook_partners):
    settings.PLEDGE_PARTNERS_ALLOW_PRIVATE = False
    message = ship()
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.last_error.startswith("refused: partner URLs must use HTTPS")
    assert webhook_partners.received == []


def test_redirects_are_not_followed(webhook_partners, partner_server):
    from .conftest import PartnerServer

    elsewhere = PartnerServer()
    try:
        webhook_partners.answers.append((302, {"Location": elsewhere.url("/internal")}))
        message = ship()
        assert services.outbox_deliver(message_id=message.id) == MessageStatus.FAILED
        assert len(webhook_partners.received) == 1
        assert elsewhere.received == []  # the redirect target never got the data
        message.refresh_from_db()
        assert "redirect (302); not followed" in message.last_error
    finally:
        elsewhere.stop()


def test_the_connection_goes_to_the_vetted_address_not_a_second_dns_answer(settings, monkeypatch):
    """DNS rebinding: the name is resolved once; the socket connects to that address."""
    settings.PLEDGE_PARTNERS_ALLOW_PRIVATE = False
    answers = iter(["145.131.8.10", "127.0.0.1"])  # public first, then a rebinding answer

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    connected = []

    def fake_create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError  # nothing leaves the machine in tests

    monkeypatch.setattr(transport.socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(transport.socket, "create_connection", fake_create_connection)
    with pytest.raises(transport.TransportFailed):
        transport.post("https://api.partner.example/hook", body=b"{}", headers={})
    assert connected == [("145.131.8.10", 443)]


def test_a_name_with_any_internal_address_is_refused(settings, monkeypatch):
    settings.PLEDGE_PARTNERS_ALLOW_PRIVATE = False

    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("145.131.8.10", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ]

    monkeypatch.setattr(transport.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(transport.TransportRefused):
        transport.post("https://api.partner.example/hook", body=b"{}", headers={})


def test_only_the_test_settings_allow_private_addresses(settings):
    # Production's value is asserted with the production partner configuration in test_checks.
    assert settings.PLEDGE_ENV == "test" and settings.PLEDGE_PARTNERS_ALLOW_PRIVATE is True
