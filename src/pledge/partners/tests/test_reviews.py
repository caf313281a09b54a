"""Review invitations: once per order, the allowed fields only, never after an objection."""

import pytest

from pledge.audit.models import AuditEvent
from pledge.partners import services
from pledge.partners.models import Disclosure, PartnerMessage
from pledge.partners.selectors import review_objected

from .conftest import BOTH
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)

INVITE = ("first_name", "email", "lines")


def invite(person, reference="1042", fields=INVITE) -> bool:
    return services.review_invite(
        order_reference=reference, subject_id=person, fields=only(customer_fields(), *fields)
    )


def test_an_invitation_carries_first_name_email_and_lines_once_per_order():
    person = subject()
    assert invite(person) is True
    assert invite(person) is True  # asked again: still the one message
    (message,) = PartnerMessage.objects.all()
    assert message.recipient == "kiyoh" and message.kind == "review_invite"
    assert set(message.payload["fields"]) == {"first_name", "email", "lines"}
    (disclosure,) = Disclosure.objects.all()
    assert disclosure.purpose == "reviews" and disclosure.legal_basis == "legitimate_interests"


def test_the_last_name_or_address_never_goes_to_the_review_collector():
    with pytest.raises(services.PayloadRefused):
        invite(subject(), fields=("first_name", "email", "last_name"))
    with pytest.raises(services.PayloadRefused):
        invite(subject(), fields=("first_name", "email", "address"))
    assert not PartnerMessage.objects.exists()


def test_after_an_objection_nothing_is_sent_or_recorded():
    person = subject()
    services.review_objection_set(subject_id=person, objected=True)
    assert review_objected(subject_id=person)
    assert invite(person) is False
    assert not PartnerMessage.objects.exists() and not Disclosure.objects.exists()
    event = AuditEvent.objects.get(action="consent_change")
    assert event.purpose == "reviews" and event.details == {"review_objection": True}

    services.review_objection_set(subject_id=person, objected=False)
    assert not review_objected(subject_id=person)
    assert invite(person) is True


def test_another_customers_objection_does_not_stop_mine():
    services.review_objection_set(subject_id=subject(), objected=True)
    assert invite(subject()) is True


def test_without_a_review_collector_no_invitation_is_sent(settings):
    settings.PLEDGE_PARTNERS_SANDBOX = False
    settings.PLEDGE_PARTNERS = {"mollie": {"ADAPTER": "testpsp", "OPTIONS": {"secret": "x" * 40}}}
    assert invite(subject()) is False
    assert not PartnerMessage.objects.exists()


def test_an_objection_made_while_the_invitation_waits_for_a_retry_stops_it(webhook_partners):
    from pledge.partners.models import MessageStatus
    from pledge.partners.selectors import disclosures_for_subject

    person = subject()
    webhook_partners.answers.append((503, {}))  # the collector is down at first
    assert invite(person) is True
    (message,) = PartnerMessage.objects.all()
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.PENDING
    # Art. 21(3): from the objection on, nothing more goes to the review collector.
    services.review_objection_set(subject_id=person, objected=True)
    PartnerMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.CANCELLED
    assert len(webhook_partners.received) == 1  # only the attempt before the objection
    message.refresh_from_db()
    assert message.payload is None
    assert disclosures_for_subject(subject_id=person) == []
