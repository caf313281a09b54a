"""Test set-up shared by every app: the suite runs on SQLite (default) and on PostgreSQL
(``DATABASE_URL``/``VAULT_DATABASE_URL``), with Redis when ``REDIS_URL`` is set.

The settings module is ``pledge.test_settings`` (pyproject.toml): the real settings in test mode,
chosen there because pytest-django sets Django up before any conftest is read.
"""

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
