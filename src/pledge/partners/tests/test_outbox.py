"""The partner outbox: sealed, sent after commit, retried with back-off, delivered once."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from pledge.audit.models import AuditEvent
from pledge.partners import services
from pledge.partners.models import Disclosure, MessageStatus, PartnerMessage
from pledge.partners.tasks import partner_message_send
from pledge.vault.services import subject_shred

from .conftest import BOTH
from .factories import customer_fields, only, subject

pytestmark = pytest.mark.django_db(databases=BOTH)

SHIPPING = ("first_name", "last_name", "address", "phone")


def ship(person, reference="1042"):
    services.shipment_request(
        recipient_id="postnl",
        order_reference=reference,
        subject_id=person,
        fields=only(customer_fields(), *SHIPPING),
    )
    return PartnerMessage.objects.get(reference=reference, kind="shipment_request")


@pytest.mark.django_db(databases=BOTH, transaction=True)
def test_a_message_is_stored_sealed_and_enqueued_only_on_commit(enqueued_tasks):
    person = subject()
    with transaction.atomic():
        message = ship(person)
        assert enqueued_tasks == []
    (task,) = enqueued_tasks
    assert list(task.args) == [str(message.id)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM partners_partnermessage")
        (raw,) = cursor.fetchone()
    assert raw.startswith("pv1:") and "Sanne" not in raw and "Prinsengracht" not in raw


def test_the_sandbox_keeps_the_message_marked_delivered_and_logs_the_disclosure():
    person = subject()
    message = ship(person)
    assert partner_message_send.call(str(message.id)) == MessageStatus.DELIVERED
    assert partner_message_send.call(str(message.id)) is None  # nothing more to do
    message.refresh_from_db()
    assert message.channel == "sandbox" and message.status == MessageStatus.DELIVERED
    assert message.payload["fields"]["address"]["city"] == "Amsterdam"  # kept for staff
    (disclosure,) = Disclosure.objects.filter(message=message)
    assert disclosure.categories == [
        "user.name.first",
        "user.name.last",
        "user.contact.phone_number",
        "user.contact.address",
    ]
    assert disclosure.legal_basis == "contract" and disclosure.subject_id == person


def test_asking_twice_for_the_same_shipment_sends_one_message():
    person = subject()
    ship(person)
    ship(person)
    assert PartnerMessage.objects.count() == 1 and Disclosure.objects.count() == 1


def test_a_failed_delivery_is_retried_with_back_off_and_succeeds_once(
    webhook_partners, enqueued_tasks
):
    webhook_partners.answers.append((503, {}))
    message = ship(subject())
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.PENDING
    message.refresh_from_db()
    assert message.attempts == 1 and message.last_error == "HTTP 503"
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    (retry,) = [t for t in enqueued_tasks if t.task.run_after is not None]
    assert list(retry.args) == [str(message.id)]
    # Not due yet: nothing happens.
    assert services.outbox_deliver(message_id=message.id) is None

    PartnerMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.DELIVERED
    assert services.outbox_deliver_due() == {}
    assert len(webhook_partners.received) == 2  # one failure, one success, no more


def test_a_partner_refusing_the_message_fails_it_for_good(webhook_partners):
    webhook_partners.answers.append((422, {}))
    message = ship(subject())
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.FAILED


def test_a_worker_that_died_mid_send_leaves_the_message_to_the_next(webhook_partners):
    message = ship(subject())
    PartnerMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.outbox_deliver_due() == {MessageStatus.DELIVERED: 1}


def test_an_erased_customers_message_is_cancelled_not_sent(webhook_partners):
    person = subject()
    message = ship(person)
    subject_shred(person)
    assert services.outbox_deliver(message_id=message.id) == MessageStatus.CANCELLED
    assert webhook_partners.received == []


def test_supplier_orders_with_print_files_log_each_purpose(webhook_partners):
    person = subject()
    services.supplier_order(
        recipient_id="print_supplier",
        order_reference="1043",
        subject_id=person,
        fields={
            **only(customer_fields(), "first_name", "last_name", "address", "lines"),
            "print_file": "https://www.pixeljet.nl/print/7f3e.pdf",
        },
    )
    rows = {d.purpose: d.categories for d in Disclosure.objects.all()}
    assert rows == {
        "order_fulfilment": [
            "user.name.first",
            "user.name.last",
            "user.contact.address",
            "user.behavior.purchase_history",
        ],
        "print_files": ["user.content.private"],
    }
    assert AuditEvent.objects.filter(action="disclosure").count() == 2


def test_the_disclosure_audit_rows_hold_categories_never_values():
    ship(subject())
    (event,) = AuditEvent.objects.filter(action="disclosure")
    assert event.details["recipient"] == "postnl" and event.purpose == "order_fulfilment"
    assert event.details["categories"] == Disclosure.objects.get().categories
    text = str(event.details) + event.object_id
    for value in ("Sanne", "Vries", "Prinsengracht", "1016", "Amsterdam", "+31", "1234 5678"):
        assert value not in text


def test_payloads_are_purged_after_the_outbox_retention_and_the_record_stays():
    message = ship(subject())
    services.outbox_deliver(message_id=message.id)
    assert services.outbox_purge() == 0
    PartnerMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert services.outbox_purge() == 1
    message.refresh_from_db()
    assert message.payload is None and message.status == MessageStatus.DELIVERED
    assert Disclosure.objects.filter(message=message).exists()


def test_staff_see_the_sandbox_messages_with_categories_but_no_values(client):
    from pledge.backoffice.tests.factories import signed_in, staff_create

    message = ship(subject())
    services.outbox_deliver(message_id=message.id)
    signed_in(client, staff_create(roles=("marketing",)))
    assert client.get("/en/partners/backoffice/outbox/").status_code == 403
    client.logout()
    signed_in(client, staff_create(roles=("fulfilment",)))
    html = client.get("/en/partners/backoffice/outbox/").content.decode()
    assert "PostNL" in html and "shipment request" in html and "(sandbox)" in html
    assert "First name" in html and "Phone number" in html
    for value in ("Sanne", "Prinsengracht", "Amsterdam", "1234 5678"):
        assert value not in html
