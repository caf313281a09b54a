import contextlib
import importlib.util
import logging
import socket
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

# The test server's own log echoes addresses; it is not Pledge's log, but keep the output quiet.
logging.getLogger("mail.log").setLevel(logging.WARNING)

TEMPLATES_DIR = Path(__file__).parent / "templates"
BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def mail_templates(settings):
    """The test templates stand in for a calling app's mail templates."""
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
    settings.PLEDGE_MAIL_RETRY_BASE_SECONDS = 60
    return settings


class Sink:
    """Collects what a real SMTP server on 127.0.0.1 accepted."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content, policy=email_policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def enqueued_tasks():
    """Every task result enqueued during the test, whichever backend (database or RQ).

    With Redis the queue is shared by every test process, and no test may rely on a worker
    taking from it: tests look at what was enqueued, run the task function themselves, and
    remove their jobs from Redis afterwards.
    """
    from django.tasks import signals

    enqueued = []

    def collect(sender, task_result, **kwargs):
        enqueued.append(task_result)

    receivers = [signals.task_enqueued]
    if importlib.util.find_spec("django_tasks"):
        from django_tasks import signals as compat_signals  # the RQ backend's signals

        receivers.append(compat_signals.task_enqueued)
    for signal in receivers:
        signal.connect(collect, weak=False, dispatch_uid="mail-tests-enqueued")
    yield enqueued
    for signal in receivers:
        signal.disconnect(dispatch_uid="mail-tests-enqueued")
    if any(result.backend == "default" for result in enqueued) and _rq_backend():
        from django_rq import get_connection
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        for result in enqueued:
            with contextlib.suppress(NoSuchJobError):
                Job.fetch(result.id, connection=get_connection()).delete()


def _rq_backend() -> bool:
    from django.tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_rq")


def smtp_mailers(port: int) -> dict:
    """Django 6.1's MAILERS for an SMTP server on 127.0.0.1 (the form of the deprecated
    override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port))."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server; Django's SMTP backend points at it."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = smtp_mailers(controller.port)
    sink.controller = controller
    yield sink
    if controller._thread is not None:
        controller.stop()
