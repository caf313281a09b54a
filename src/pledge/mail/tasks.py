"""Background delivery (django.tasks). Arguments are message ids only, never personal data."""

import uuid

from django.tasks import task

from . import services


@task
def outbox_message_send(message_id: str) -> str | None:
    """Deliver one outbox message; returns its status (or None when there was nothing to do).

    Safe to run twice or concurrently: the message's lease decides who sends it.
    """
    status = services.outbox_deliver(message_id=uuid.UUID(message_id))
    return None if status is None else str(status)
