"""The person's view of the disclosure log ("My account"), in Dutch and English."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from pledge.partners import services
from pledge.partners.models import Disclosure, MessageStatus, PartnerMessage
from pledge.partners.selectors import disclosures_for_subject

from .conftest import BOTH
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)


def shipped_on_3_march(person):
    services.shipment_request(
        recipient_id="postnl",
        order_reference="1042",
        subject_id=person,
        fields=only(customer_fields(), "first_name", "address"),
    )
    message = PartnerMessage.objects.get()
    services.outbox_deliver(message_id=message.id)
    when = datetime(2027, 3, 3, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    PartnerMessage.objects.filter(pk=message.pk).update(delivered_at=when)


def test_the_customer_reads_who_received_what_and_why_in_dutch_and_english(webhook_partners):
    person = subject()
    shipped_on_3_march(person)
    (view,) = disclosures_for_subject(subject_id=person)
    assert view.recipient_name == "PostNL" and view.order_reference == "1042"
    assert view.categories == ("user.name.first", "user.contact.address")
    with translation.override("en"):
        (view,) = disclosures_for_subject(subject_id=person)
        assert view.sentence == (
            "Your first name and address data (delivery and invoice address) were shared with "
            "PostNL on 3 March 2027 for handling, delivering and communicating about orders "
            "(order 1042)."
        )
    with translation.override("nl"):
        (view,) = disclosures_for_subject(subject_id=person)
        assert view.sentence == (
            "Uw voornaam en adresgegevens (bezorg- en factuuradres) zijn op 3 maart 2027 gedeeld "
            "met PostNL voor bestellingen afhandelen, bezorgen en erover communiceren "
            "(bestelling 1042)."
        )


def test_a_sandbox_delivery_says_nothing_was_actually_sent():
    person = subject()
    shipped_on_3_march(person)
    with translation.override("en"):
        (view,) = disclosures_for_subject(subject_id=person)
    assert view.sentence.endswith("(Demo shop: nothing was actually sent.)")


def test_only_my_own_and_only_real_disclosures_are_listed():
    mine, other = subject(), subject()
    shipped_on_3_march(other)
    assert disclosures_for_subject(subject_id=mine) == []
    PartnerMessage.objects.update(status=MessageStatus.FAILED)
    assert disclosures_for_subject(subject_id=other) == []  # it never went out
    Disclosure.objects.update(withheld_from_subject=True)
    PartnerMessage.objects.update(status=MessageStatus.DELIVERED)
    assert disclosures_for_subject(subject_id=other) == []  # an authority forbade telling
