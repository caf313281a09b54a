import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def backoffice_settings(settings, tmp_path, monkeypatch):
    # Audit signing keys and vault tombstones go to a temporary directory, never var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    # Lockout counters live in the cache; each test starts with none.
    cache.clear()
    yield settings
    cache.clear()
