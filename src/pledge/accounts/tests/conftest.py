import socket
from email import message_from_bytes
from email.policy import default

import pytest
from django.utils import translation

from pledge.vault.keys import key_scope

BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def accounts_settings(isolated_runtime):
    settings = isolated_runtime
    # A request to /en/ leaves English active in this thread; reverse() would follow it.
    translation.activate(settings.LANGUAGE_CODE)
    yield settings
    translation.deactivate()


@pytest.fixture
def scope():
    with key_scope():
        yield


@pytest.fixture
def outbox():
    """Mails as the outbox stored them for one subject (rendered, decrypted), by template."""
    from pledge.mail.selectors import outbox_messages_for

    def read(subject_id, template: str | None = None) -> list[dict]:
        messages = outbox_messages_for(subject_id=subject_id)
        if template is not None:
            messages = [m for m in messages if m["template"] == f"accounts/mail/{template}"]
        return messages

    return read


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd); the default mailer delivers to it."""
    from aiosmtpd.controller import Controller

    class Sink:
        messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(message_from_bytes(envelope.original_content, policy=default))
            return "250 OK"

    sink = Sink()
    sink.messages = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield sink
    controller.stop()
