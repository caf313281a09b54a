"""The payload builder lets through exactly what the policy declares per recipient and purpose."""

from decimal import Decimal

import pytest

from pledge.partners.payload import PayloadRefused, allowed_fields, payload_build
from pledge.policy.loader import validate_policy
from pledge.policy.selectors import current_policy

from .factories import customer_fields


def test_each_partner_receives_exactly_the_fields_its_policy_entry_declares():
    assert allowed_fields(recipient_id="postnl", purpose_id="order_fulfilment") == {
        "first_name",
        "last_name",
        "address",
        "phone",
    }
    assert allowed_fields(recipient_id="mollie", purpose_id="order_fulfilment") == {
        "first_name",
        "last_name",
        "email",
        "lines",
        "amount",
    }
    assert allowed_fields(recipient_id="kiyoh", purpose_id="reviews") == {
        "first_name",
        "email",
        "lines",
    }
    assert allowed_fields(recipient_id="print_supplier", purpose_id="order_fulfilment") == {
        "first_name",
        "last_name",
        "address",
        "lines",
    }
    # Print files only for printing; the order lines are no part of that purpose.
    assert allowed_fields(recipient_id="print_supplier", purpose_id="print_files") == {
        "first_name",
        "last_name",
        "address",
        "print_file",
    }


def test_the_delivery_partner_never_sees_the_email_address():
    fields = customer_fields()
    with pytest.raises(PayloadRefused) as refused:
        payload_build(
            recipient_id="postnl",
            purpose_id="order_fulfilment",
            reference="1042",
            fields={"first_name": "Sanne", "email": fields["email"]},
        )
    assert "email" in str(refused.value)
    assert fields["email"] not in str(refused.value)  # the refusal names the field, not the value


def _policy_granting_postnl_the_email_address():
    raw = current_policy().model_dump(mode="json", exclude_none=True)
    for recipient in raw["recipients"]:
        if recipient["id"] == "postnl":
            recipient["data_categories"].append("user.contact.email")
    return validate_policy(raw)


def test_granting_the_email_address_in_the_policy_lets_it_through():
    policy = _policy_granting_postnl_the_email_address()
    payload = payload_build(
        recipient_id="postnl",
        purpose_id="order_fulfilment",
        reference="1042",
        fields={"first_name": "Sanne", "email": "sanne.devries@example.nl"},
        policy=policy,
    )
    assert payload.fields == {"first_name": "Sanne", "email": "sanne.devries@example.nl"}
    assert payload.categories == ("user.name.first", "user.contact.email")


def test_a_recipient_not_declared_for_the_purpose_receives_nothing():
    with pytest.raises(PayloadRefused, match="not declared for 'reviews'"):
        payload_build(recipient_id="postnl", purpose_id="reviews", reference="1042", fields={})


def test_unknown_fields_and_unknown_recipients_are_refused():
    with pytest.raises(PayloadRefused, match="unknown payload fields: iban"):
        payload_build(
            recipient_id="mollie",
            purpose_id="order_fulfilment",
            reference="1042",
            fields={"iban": "NL91ABNA0417164300"},
        )
    with pytest.raises(PayloadRefused, match="no recipient 'dhl'"):
        payload_build(recipient_id="dhl", purpose_id="order_fulfilment", reference="1", fields={})


def test_an_address_or_a_line_cannot_smuggle_in_extra_keys():
    with pytest.raises(PayloadRefused, match="address takes only"):
        payload_build(
            recipient_id="postnl",
            purpose_id="order_fulfilment",
            reference="1042",
            fields={"address": {"street": "Prinsengracht", "email": "sanne@example.nl"}},
        )
    with pytest.raises(PayloadRefused, match="each line takes only"):
        payload_build(
            recipient_id="kiyoh",
            purpose_id="reviews",
            reference="1042",
            fields={"lines": [{"name": "Fotoboek", "quantity": 1, "sku": "X", "price": "9"}]},
        )


def test_empty_values_are_not_disclosed_and_amounts_are_exact_text():
    payload = payload_build(
        recipient_id="mollie",
        purpose_id="order_fulfilment",
        reference="1042",
        fields={"first_name": "Sanne", "last_name": "", "email": None, "amount": Decimal("24.5")},
    )
    assert payload.fields == {"first_name": "Sanne", "amount": "24.50"}
    assert payload.categories == ("user.name.first", "user.payment")


def test_a_message_needs_its_order_reference():
    with pytest.raises(PayloadRefused, match="reference"):
        payload_build(recipient_id="postnl", purpose_id="order_fulfilment", reference="", fields={})
