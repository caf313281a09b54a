"""The delivery task: enqueued when the write commits, with the message id and nothing else."""

import pytest
from django.db import transaction

from pledge.mail.models import OutboxStatus
from pledge.mail.tasks import outbox_message_send

from .conftest import BOTH
from .factories import customer, order_shipped_queue

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


def test_a_queued_mail_is_enqueued_on_commit_with_its_id_only(enqueued_tasks):
    person = customer()
    with transaction.atomic():
        message_id = order_shipped_queue(person)
        assert enqueued_tasks == []  # not before the commit

    (result,) = enqueued_tasks
    assert result.task.module_path == "pledge.mail.tasks.outbox_message_send"
    assert list(result.args) == [str(message_id)]
    assert result.kwargs == {}
    assert person["email"] not in repr(result)


def test_running_the_task_delivers_the_mail_and_running_it_again_sends_nothing(mailoutbox):
    person = customer()
    message_id = order_shipped_queue(person)

    # What a worker does with the job; other test processes may share the Redis queue, so the
    # test runs the task function itself rather than waiting for a worker.
    assert outbox_message_send.call(str(message_id)) == OutboxStatus.SENT
    assert outbox_message_send.call(str(message_id)) is None
    assert [m.to for m in mailoutbox] == [[person["email"]]]


def test_a_failed_attempt_schedules_its_retry_on_the_queue(enqueued_tasks, settings):
    from pledge.testing import free_port, smtp_mailers

    settings.MAILERS = smtp_mailers(free_port())  # nothing listens there
    message_id = order_shipped_queue(customer())
    enqueued_tasks.clear()

    assert outbox_message_send.call(str(message_id)) == OutboxStatus.PENDING

    (retry,) = enqueued_tasks
    assert list(retry.args) == [str(message_id)]
    assert retry.task.run_after is not None
