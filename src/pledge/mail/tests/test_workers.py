"""Real worker processes on SQLite files, as a demo or small shop runs them: two ``pledge mail
deliver`` at once, and one killed mid-send. (PostgreSQL's row locks: test_delivery.py.)"""

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller

from pledge.testing import SmtpSink, free_port

from .conftest import TEMPLATES_DIR

MAILS = 30

QUEUE_MAILS = """
import json, sys, django
django.setup()
from django.test import override_settings
from django.conf import settings
from pledge.mail.tests.factories import customer, order_shipped_queue
templates = [dict(settings.TEMPLATES[0], DIRS=[sys.argv[2]])]
with override_settings(TEMPLATES=templates):
    people = [customer() for _ in range(int(sys.argv[1]))]
    for person in people:
        order_shipped_queue(person)
print(json.dumps([person["email"] for person in people]))
"""


class RendezvousSink(SmtpSink):
    """Holds the first recipient of each connection until two senders are mid-send at once.

    That makes the overlap of two workers certain instead of a matter of timing.
    """

    def __init__(self) -> None:
        super().__init__()
        self.sessions: set[int] = set()
        self.both_sending = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.sessions.add(id(session))
        if len(self.sessions) >= 2:
            self.both_sending.set()
        for _ in range(600):  # at most 30 s; the test then fails on both_sending
            if self.both_sending.is_set():
                break
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


class StallingSink(SmtpSink):
    """Holds every RCPT until released: the client is caught in the middle of sending."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.stalled.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


PLEDGE = [sys.executable, "-m", "pledge.cli"]


def shop_environment(var_dir, port: int) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pledge.settings",
        "PLEDGE_ENV": "demo",
        "PLEDGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'pledge.sqlite3'}",
        "VAULT_DATABASE_URL": f"sqlite:///{var_dir / 'vault.sqlite3'}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("REDIS_URL", None)  # the database task backend, no shared queue
    return environment


def run(environment, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, env=environment, capture_output=True, text=True, timeout=120, check=True
    )


@pytest.fixture(scope="module")
def migrated_shop(tmp_path_factory):
    """Both databases migrated once; each test gets a copy."""
    var_dir = tmp_path_factory.mktemp("migrated-shop")
    environment = shop_environment(var_dir, free_port())
    run(environment, *PLEDGE, "migrate", "--verbosity", "0")
    run(environment, *PLEDGE, "migrate", "--database", "vault", "--verbosity", "0")
    return var_dir


@pytest.fixture
def shop(migrated_shop, tmp_path):
    """A shop on SQLite files in tmp_path, its mailer pointed at a real SMTP server's port."""
    var_dir = tmp_path / "var"
    shutil.copytree(migrated_shop, var_dir)
    port = free_port()
    environment = shop_environment(var_dir, port)
    pledge = PLEDGE

    class Shop:
        def queue(self, count: int) -> list[str]:
            result = run(
                environment, sys.executable, "-c", QUEUE_MAILS, str(count), str(TEMPLATES_DIR)
            )
            return json.loads(result.stdout)

        def deliver(self, *, lease_seconds: int = 2, smtp: bool = True) -> subprocess.Popen:
            env = {**environment, "PLEDGE_MAIL_LEASE_SECONDS": str(lease_seconds)}
            if not smtp:
                del env["SMTP_HOST"]  # the demo as `make demo` starts it
            return subprocess.Popen(
                [*pledge, "mail", "deliver"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

        def lease_until(self) -> datetime:
            with sqlite3.connect(var_dir / "pledge.sqlite3") as database:
                (value,) = database.execute("SELECT lease_until FROM mail_outboxmessage").fetchone()
            return datetime.fromisoformat(value).replace(tzinfo=UTC)

        def statuses(self) -> list[tuple]:
            with sqlite3.connect(var_dir / "pledge.sqlite3") as database:
                return database.execute(
                    "SELECT status, attempts FROM mail_outboxmessage"
                ).fetchall()

    shop = Shop()
    shop.var_dir = var_dir
    shop.port = port
    return shop


def serve(sink, port):
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def test_two_deliver_processes_at_once_send_each_mail_exactly_once(shop):
    addresses = shop.queue(MAILS)
    sink = RendezvousSink()
    controller = serve(sink, shop.port)
    try:
        # Leases far longer than the wait for the other worker: live workers keep their claims.
        workers = [shop.deliver(lease_seconds=120), shop.deliver(lease_seconds=120)]
        outputs = [worker.communicate(timeout=120) for worker in workers]
    finally:
        controller.stop()
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert sink.both_sending.is_set(), "the two workers never sent at the same time"

    received = [recipient for recipients, _ in sink.deliveries for recipient in recipients]
    assert sorted(received) == sorted(addresses)
    assert set(shop.statuses()) == {("sent", 1)}


def test_a_worker_killed_mid_send_leaves_the_mail_to_the_next_one_which_sends_it_once(shop):
    (address,) = shop.queue(1)
    sink = StallingSink()
    controller = serve(sink, shop.port)
    try:
        worker = shop.deliver(lease_seconds=2)  # short, so that the test need not wait long
        assert sink.stalled.wait(timeout=60), "the worker never reached the SMTP server"
        os.kill(worker.pid, signal.SIGKILL)  # no clean-up, no finally: a crash
        worker.wait(timeout=10)
        assert shop.statuses() == [("sending", 1)], worker.stderr.read()

        sink.release.set()
        # (That nobody takes it over within the lease: test_delivery.py.) After the lease:
        time.sleep(max(0.0, (shop.lease_until() - datetime.now(UTC)).total_seconds() + 0.1))
        stdout, stderr = shop.deliver().communicate(timeout=60)
        assert stdout.strip() == "Delivered: 1 sent.", (stdout, stderr, shop.statuses())
    finally:
        controller.stop()

    assert [recipients for recipients, _ in sink.deliveries] == [[address]]
    assert shop.statuses() == [("sent", 2)]


def test_the_demo_shop_writes_its_mail_as_files_the_demo_user_can_read(shop):
    (address,) = shop.queue(1)
    stdout, stderr = shop.deliver(smtp=False).communicate(timeout=60)
    assert stdout.strip() == "Delivered: 1 sent.", stderr

    (mail_file,) = (shop.var_dir / "mail").iterdir()
    text = mail_file.read_text()
    assert f"To: {address}" in text
    assert "Subject: Uw bestelling PJ-2026-" in text
    assert "Beste Sanne," in text
