"""Queueing a mail: stored encrypted, once per idempotency key, only when the write commits."""

import uuid

import pytest
from django.db import connection, transaction

from pledge.mail.models import OutboxMessage
from pledge.mail.selectors import outbox_messages_for
from pledge.mail.services import MailRejected, mail_queue

from .conftest import BOTH
from .factories import TEMPLATE, canary, customer, order_shipped_queue

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


def raw_outbox_rows() -> list[tuple]:
    """The outbox table as an attacker with a database dump sees it."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a constant table name)
        return cursor.fetchall()


def test_the_outbox_holds_no_plaintext_recipient_subject_or_body():
    person = customer()
    order_number = canary("PJ")
    order_shipped_queue(person, order_number=order_number)

    dump = repr(raw_outbox_rows())
    assert person["email"] not in dump
    assert order_number not in dump
    assert "Sanne" not in dump
    assert "on its way" not in dump and "onderweg" not in dump
    # The person's own export still reads it back.
    (message,) = outbox_messages_for(subject_id=person["subject_id"])
    assert message["recipient"] == person["email"]
    assert order_number in message["subject"]
    assert order_number in message["body_text"] and order_number in message["body_html"]


def test_a_mail_is_written_in_the_recipients_language():
    person = customer()
    order_shipped_queue(person, language="nl", order_number="PJ-2026-000101")
    order_shipped_queue(person, language="en", order_number="PJ-2026-000102")

    dutch, english = outbox_messages_for(subject_id=person["subject_id"])
    assert dutch["subject"] == "Uw bestelling PJ-2026-000101 is onderweg"
    assert "Beste Sanne," in dutch["body_text"]
    assert "<p>Beste Sanne,</p>" in dutch["body_html"]
    assert english["subject"] == "Your order PJ-2026-000102 is on its way"
    assert "Dear Sanne," in english["body_text"]


def test_the_same_idempotency_key_twice_queues_one_message():
    person = customer()
    first = order_shipped_queue(person, key="shop.order_shipped:PJ-2026-000103")
    again = order_shipped_queue(person, key="shop.order_shipped:PJ-2026-000103")

    assert again == first
    assert len(outbox_messages_for(subject_id=person["subject_id"])) == 1


def test_the_idempotency_key_is_not_stored_as_given():
    person = customer()
    key = f"shop.order_shipped:{canary('order')}"
    order_shipped_queue(person, key=key)
    assert key not in repr(raw_outbox_rows())


def test_nothing_is_queued_or_sent_when_the_surrounding_transaction_rolls_back(mailoutbox):
    person = customer()

    class RegistrationFailed(Exception):
        pass

    with pytest.raises(RegistrationFailed), transaction.atomic():
        mail_queue(
            to=person["email"],
            template=TEMPLATE,
            context={"first_name": "Sanne", "order_number": "PJ-2026-000104"},
            language="nl",
            subject_id=person["subject_id"],
            idempotency_key="shop.order_shipped:PJ-2026-000104",
        )
        raise RegistrationFailed

    assert OutboxMessage.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"to": "sanne.de.vries@"}, "not a valid e-mail address"),
        ({"to": ""}, "not a valid e-mail address"),
        ({"language": "de"}, "not one of the shop's languages"),
        ({"idempotency_key": ""}, "idempotency key is required"),
        ({"template": "mail_tests/empty"}, "renders an empty subject"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_stores_nothing(changes, problem):
    person = customer()
    arguments = {
        "to": person["email"],
        "template": TEMPLATE,
        "context": {"first_name": "Sanne", "order_number": "PJ-2026-000105"},
        "language": "nl",
        "subject_id": person["subject_id"],
        "idempotency_key": f"tests:{uuid.uuid4()}",
        **changes,
    }
    with pytest.raises(MailRejected, match=problem) as refused:
        mail_queue(**arguments)
    assert "sanne" not in str(refused.value).lower()
    assert OutboxMessage.objects.count() == 0


def test_mail_for_a_subject_without_keys_is_refused_and_stores_nothing():
    from pledge.vault.exceptions import SubjectErased

    with pytest.raises(SubjectErased):
        order_shipped_queue({**customer(), "subject_id": uuid.uuid4()})
    assert OutboxMessage.objects.count() == 0
