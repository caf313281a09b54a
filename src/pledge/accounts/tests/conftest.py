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
