"""Test set-up shared by every app: the suite runs on SQLite (default) and on PostgreSQL
(``DATABASE_URL``/``VAULT_DATABASE_URL``), with Redis when ``REDIS_URL`` is set.

The settings module is ``pledge.test_settings`` (pyproject.toml): the real settings in test mode,
chosen there because pytest-django sets Django up before any conftest is read.
"""

import uuid

import pytest


def pytest_collection_modifyitems(config, items):
    # Behaviour that only PostgreSQL has (row locks, triggers, advisory locks) is marked
    # ``@pytest.mark.postgresql`` and skipped, visibly, in the SQLite run.
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def isolated_runtime(settings, tmp_path, monkeypatch):
    """Files and counters a test may create stay its own.

    Audit signing keys and vault tombstones go to a temporary directory, never var/; audit
    checkpoints are only signed when a test asks; cache counters (rate limits, lockouts) live
    under a key space of the test's own — never ``cache.clear()``: on Redis that flushes the
    counters of every other test process.
    """
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4()}"}
    }
    return settings
