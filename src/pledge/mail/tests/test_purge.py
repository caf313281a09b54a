"""Sent mail is kept only as long as the policy says; after that the row holds no personal data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from pledge.mail.models import OutboxMessage, OutboxStatus
from pledge.mail.selectors import outbox_messages_for
from pledge.mail.services import outbox_deliver_due, outbox_purge
from pledge.policy.selectors import current_policy

from .conftest import BOTH
from .factories import customer, order_shipped_queue

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


def retention() -> timedelta:
    return timedelta(days=current_policy().storage.outbox_retention.days)


def sent_ago(age: timedelta) -> dict:
    person = customer()
    order_shipped_queue(person)
    outbox_deliver_due()
    OutboxMessage.objects.filter(subject_id=person["subject_id"]).update(
        sent_at=timezone.now() - age
    )
    return person


def test_purge_empties_mail_sent_longer_ago_than_the_policys_outbox_retention(mailoutbox):
    old = sent_ago(retention() + timedelta(hours=1))
    recent = sent_ago(retention() - timedelta(hours=1))

    assert outbox_purge() == 1

    (purged,) = outbox_messages_for(subject_id=old["subject_id"])
    assert purged["status"] == OutboxStatus.SENT  # the record that it went out stays
    assert purged["sent_at"] is not None and purged["purged_at"] is not None
    assert [purged[k] for k in ("recipient", "subject", "body_text", "body_html")] == [None] * 4
    (kept,) = outbox_messages_for(subject_id=recent["subject_id"])
    assert kept["recipient"] == recent["email"] and kept["body_text"]
    # Nothing of the purged mail is left in the table, not even as ciphertext.
    assert raw_contents(purged["id"]) == (None, None, None, None)


def raw_contents(message_id) -> tuple:
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    pk = OutboxMessage._meta.pk.get_db_prep_value(message_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT recipient, subject_line, body_text, body_html FROM {table} "  # noqa: S608
            "WHERE id = %s",
            [pk],
        )
        return tuple(cursor.fetchone())


def test_purge_leaves_mail_that_is_still_waiting_to_be_sent(mailoutbox):
    person = customer()
    order_shipped_queue(person)
    OutboxMessage.objects.update(created_at=timezone.now() - retention() * 2)

    assert outbox_purge() == 0
    (waiting,) = outbox_messages_for(subject_id=person["subject_id"])
    assert waiting["status"] == OutboxStatus.PENDING and waiting["body_text"]


def test_purge_is_a_command_and_running_it_twice_changes_nothing_more(mailoutbox):
    sent_ago(retention() * 2)
    out = StringIO()
    call_command("mail", "purge", stdout=out)
    call_command("mail", "purge", stdout=out)
    assert out.getvalue().splitlines() == [
        "Emptied 1 delivered messages.",
        "Emptied 0 delivered messages.",
    ]


def test_the_deliver_command_sends_what_is_due(mailoutbox):
    person = customer()
    order_shipped_queue(person)
    out = StringIO()
    call_command("mail", "deliver", stdout=out)
    call_command("mail", "deliver", stdout=out)
    assert out.getvalue().splitlines() == ["Delivered: 1 sent.", "Delivered: nothing due."]
    assert [m.to for m in mailoutbox] == [[person["email"]]]
