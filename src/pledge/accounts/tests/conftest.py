import pytest
from django.core.cache import cache

from pledge.vault.keys import key_scope

BOTH = ["default", "vault"]


@pytest.fixture(autouse=True)
def accounts_settings(settings, tmp_path, monkeypatch):
    # Audit signing keys and vault tombstones go to a temporary directory, never var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def scope():
    with key_scope():
        yield
