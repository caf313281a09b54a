import uuid

import pytest


@pytest.fixture(autouse=True)
def analytics_settings(settings, tmp_path, monkeypatch):
    # Audit signing keys and vault tombstones go to a temporary directory, never var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    # Back-office counters live in the cache: a key space per test (never cache.clear()).
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4()}"}
    }
    yield settings
