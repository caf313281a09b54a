import uuid

import pytest
from django.utils import translation

from pledge.accounts import ratelimit
from pledge.vault.keys import key_scope

BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def accounts_settings(settings, tmp_path, monkeypatch):
    # Audit signing keys and vault tombstones go to a temporary directory, never var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    # Rate-limit counters live in the cache (Redis in the PostgreSQL run, shared with other
    # test runs): each test counts under keys of its own instead of flushing the cache.
    monkeypatch.setattr(ratelimit, "_SALT", f"pledge.accounts.ratelimit.test.{uuid.uuid4()}")
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
