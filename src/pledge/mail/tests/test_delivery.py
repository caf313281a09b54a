"""Delivery through a real SMTP server: in the right language, retried, exactly once."""

import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import connections
from django.utils import timezone

from pledge.mail.delivery import message_id_header
from pledge.mail.models import OutboxMessage, OutboxStatus
from pledge.mail.selectors import outbox_messages_for
from pledge.mail.services import outbox_deliver, outbox_deliver_due
from pledge.testing import SmtpSink, free_port, smtp_mailers
from pledge.vault.services import subject_shred

from .conftest import BOTH
from .factories import customer, order_shipped_queue

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_a_queued_mail_arrives_with_text_and_html_in_the_recipients_language(smtp_sink):
    person = customer()
    message_id = order_shipped_queue(person, language="nl", order_number="PJ-2026-000201")

    assert outbox_deliver_due() == {OutboxStatus.SENT: 1}

    ((recipients, message),) = smtp_sink.deliveries
    assert recipients == [person["email"]]
    assert message["To"] == person["email"]
    assert message["From"] == "Pixeljet <info@pixeljet.nl>"  # the policy's controller
    assert message["Subject"] == "Uw bestelling PJ-2026-000201 is onderweg"
    assert message["Content-Language"] == "nl"
    assert message["Message-ID"] == message_id_header(message_id)
    bodies = parts(message)
    assert "Beste Sanne," in bodies["text/plain"]
    assert "<p>Beste Sanne,</p>" in bodies["text/html"]
    (row,) = outbox_messages_for(subject_id=person["subject_id"])
    assert (row["status"], row["attempts"]) == (OutboxStatus.SENT, 1)
    assert row["sent_at"] is not None


def test_an_english_customer_gets_english_mail(smtp_sink):
    order_shipped_queue(customer(), language="en", order_number="PJ-2026-000202")
    outbox_deliver_due()
    ((_, message),) = smtp_sink.deliveries
    assert message["Subject"] == "Your order PJ-2026-000202 is on its way"
    assert "Dear Sanne," in parts(message)["text/plain"]


def test_a_configured_sender_address_replaces_the_controllers(smtp_sink, settings):
    settings.DEFAULT_FROM_EMAIL = "Pixeljet klantenservice <service@pixeljet.nl>"
    order_shipped_queue(customer())
    outbox_deliver_due()
    ((_, message),) = smtp_sink.deliveries
    assert message["From"] == "Pixeljet klantenservice <service@pixeljet.nl>"


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend pointed at a port where nothing listens."""
    settings.MAILERS = smtp_mailers(free_port())


def test_with_smtp_down_the_mail_stays_queued_with_a_later_attempt(smtp_down):
    person = customer()
    order_shipped_queue(person)
    before = timezone.now()

    assert outbox_deliver_due() == {OutboxStatus.PENDING: 1}

    (row,) = outbox_messages_for(subject_id=person["subject_id"])
    assert row["status"] == OutboxStatus.PENDING
    assert row["attempts"] == 1
    assert row["next_attempt_at"] >= before + timedelta(seconds=60)
    assert row["body_text"]  # nothing lost
    # Not due yet: a second round does not hammer the server.
    assert outbox_deliver_due() == {}


def test_retries_back_off_exponentially_and_give_up_after_the_last_attempt(smtp_down, settings):
    settings.PLEDGE_MAIL_MAX_ATTEMPTS = 3
    person = customer()
    order_shipped_queue(person)
    delays = []
    for _ in range(3):
        started = timezone.now()
        outbox_deliver_due()
        message = OutboxMessage.objects.get()
        delays.append(round((message.next_attempt_at - started).total_seconds() / 60))
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert delays[:2] == [1, 2]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert message.last_error == "ConnectionRefusedError"


def make_due() -> None:
    OutboxMessage.objects.update(next_attempt_at=timezone.now())


def test_when_smtp_is_back_every_waiting_mail_is_sent_exactly_once(smtp_sink, settings):
    live = settings.MAILERS
    settings.MAILERS = smtp_mailers(free_port())  # the server is down
    people = [customer() for _ in range(4)]
    for person in people:
        order_shipped_queue(person)
    assert outbox_deliver_due() == {OutboxStatus.PENDING: 4}
    assert smtp_sink.messages == []

    settings.MAILERS = live  # back up; the retries are due
    make_due()
    assert outbox_deliver_due() == {OutboxStatus.SENT: 4}
    assert outbox_deliver_due() == {}
    assert sorted(r[0] for r, _ in smtp_sink.deliveries) == sorted(p["email"] for p in people)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}


def run_at_once(work, count: int = 2) -> list[BaseException]:
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            work()
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


# SQLite's in-memory test database refuses rather than waits for a second writer
# ("table is locked"); real processes on SQLite files are tested in test_workers.py.
@pytest.mark.postgresql
def test_two_deliver_runs_at_once_send_each_mail_exactly_once(smtp_sink):
    people = [customer() for _ in range(12)]
    for person in people:
        order_shipped_queue(person)

    assert run_at_once(outbox_deliver_due) == []

    recipients = [r[0] for r, _ in smtp_sink.deliveries]
    assert sorted(recipients) == sorted(p["email"] for p in people)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}


@pytest.mark.postgresql
def test_the_task_and_a_deliver_run_at_once_send_the_mail_once(smtp_sink):
    message_id = order_shipped_queue(customer())

    assert run_at_once(lambda: outbox_deliver(message_id=message_id), count=4) == []
    assert len(smtp_sink.messages) == 1


def crash_mid_send(message_id) -> None:
    """A worker claimed the message and was killed before the SMTP server accepted it."""
    from pledge.mail import delivery

    claimed, _token = delivery._OUTBOX.claim(message_id=message_id)
    assert claimed.status == OutboxStatus.SENDING


def test_a_mail_whose_worker_died_mid_send_is_sent_once_after_its_lease_runs_out(smtp_sink):
    message_id = order_shipped_queue(customer())
    crash_mid_send(message_id)

    # The lease is still running: nobody else may take it.
    assert outbox_deliver_due() == {}
    assert smtp_sink.messages == []

    OutboxMessage.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert outbox_deliver_due() == {OutboxStatus.SENT: 1}
    assert outbox_deliver_due() == {}
    assert len(smtp_sink.messages) == 1
    assert OutboxMessage.objects.get().attempts == 2


def test_a_worker_that_lost_its_lease_cannot_record_over_the_new_holder(smtp_sink):
    from pledge.mail import delivery

    message_id = order_shipped_queue(customer())
    stale, stale_token = delivery._OUTBOX.claim(message_id=message_id)
    OutboxMessage.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert outbox_deliver_due() == {OutboxStatus.SENT: 1}

    # The first worker wakes up and fails: the message stays SENT, not PENDING again.
    delivery._failed(stale, stale_token, ConnectionRefusedError())
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_a_resend_after_a_crash_between_smtp_and_the_database_keeps_its_message_id(smtp_sink):
    """The one window no database closes: the receiver can still recognise the duplicate."""
    message_id = order_shipped_queue(customer())
    outbox_deliver_due()
    OutboxMessage.objects.update(
        status=OutboxStatus.SENDING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    outbox_deliver_due()
    first, second = (message["Message-ID"] for _, message in smtp_sink.deliveries)
    assert first == second == message_id_header(message_id)


def test_mail_for_a_customer_erased_before_delivery_is_cancelled_not_sent(
    smtp_sink, tmp_path, monkeypatch
):
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    person = customer()
    message_id = order_shipped_queue(person)
    subject_shred(person["subject_id"])

    assert outbox_deliver(message_id=message_id) == OutboxStatus.CANCELLED
    assert smtp_sink.messages == []
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.CANCELLED
    assert message.recipient is None and message.body_text is None
    assert outbox_deliver_due() == {}


class RefusingSink(SmtpSink):
    """A server that does not know the mailbox, and says so with the address in its reply."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return f"550 5.1.1 <{address}>: mailbox unavailable"


def test_a_refused_address_fails_at_once_and_no_log_line_names_it(settings, caplog):
    controller = Controller(RefusingSink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = smtp_mailers(controller.port)
    person = customer()
    try:
        order_shipped_queue(person)
        assert outbox_deliver_due() == {OutboxStatus.FAILED: 1}
    finally:
        controller.stop()

    (row,) = outbox_messages_for(subject_id=person["subject_id"])
    assert (row["status"], row["attempts"]) == (OutboxStatus.FAILED, 1)
    message = OutboxMessage.objects.get()
    assert message.last_error == "SMTPRecipientsRefused"
    assert person["email"] not in caplog.text
    assert "failed for good" in caplog.text


def test_a_failed_attempt_logs_the_message_id_but_never_the_address(smtp_down, caplog):
    person = customer()
    message_id = order_shipped_queue(person)
    outbox_deliver_due()
    assert str(message_id) in caplog.text
    assert person["email"] not in caplog.text and "Sanne" not in caplog.text
