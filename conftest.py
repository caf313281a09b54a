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


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd); the default mailer delivers to it."""
    import logging

    from aiosmtpd.controller import Controller

    from pledge.testing import SmtpSink, free_port, smtp_mailers

    # The test server's own log echoes addresses; it is not Pledge's log: keep it quiet.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = smtp_mailers(controller.port)
    sink.controller = controller
    yield sink
    if controller._thread is not None:
        controller.stop()


@pytest.fixture
def enqueued_tasks():
    """Every task result enqueued during the test, whichever backend (database or RQ).

    Tests look at what was enqueued and run the task functions themselves; no test may rely on
    a worker. With Redis the queue is shared by every test process, so the test's jobs are
    removed from it afterwards.
    """
    import contextlib
    import importlib.util

    from django.tasks import signals, task_backends

    enqueued = []

    def collect(sender, task_result, **kwargs):
        enqueued.append(task_result)

    receivers = [signals.task_enqueued]
    if importlib.util.find_spec("django_tasks"):
        from django_tasks import signals as compat_signals  # the RQ backend's signals

        receivers.append(compat_signals.task_enqueued)
    uid = f"tests-enqueued-{uuid.uuid4()}"
    for signal in receivers:
        signal.connect(collect, weak=False, dispatch_uid=uid)
    yield enqueued
    for signal in receivers:
        signal.disconnect(dispatch_uid=uid)
    if type(task_backends["default"]).__module__.startswith("django_tasks_rq"):
        from django_rq import get_connection
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        for result in enqueued:
            with contextlib.suppress(NoSuchJobError):
                Job.fetch(result.id, connection=get_connection()).delete()
