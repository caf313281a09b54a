"""Test support shared by the apps' suites (not imported by the shop itself)."""

import base64
import contextlib
import copy
import os
import subprocess
import sys


def random_key() -> str:
    """A fresh 32-byte key, base64, as the vault's environment variables take it."""
    return base64.b64encode(os.urandom(32)).decode()


def run_with_settings(code: str, *, mode: str = "production", **env: str):
    """Run ``code`` in a new Python process whose Django settings come from this environment.

    Settings are read once at import, so a mode or an environment variable can only be tried in
    a process of its own. Fresh vault keys are supplied, as production refuses to start without.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMTP_", "DEFAULT_FROM_EMAIL", "EMAIL_"))
    }
    environment.update(
        {
            "PLEDGE_ENV": mode,
            "SECRET_KEY": "k" * 64,
            "DJANGO_SETTINGS_MODULE": "pledge.settings",
            "PLEDGE_MASTER_KEY": f"1:{random_key()}",
            "PLEDGE_BLIND_INDEX_KEY": random_key(),
            "PLEDGE_SUPPRESSION_KEY": random_key(),
            **env,
        }
    )
    return run_python(code, environment)


def run_python(code: str, environment: dict, *, timeout: int = 120):
    """Run ``code`` in a new Python process with exactly this environment."""
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def vault_unreachable():
    """The vault database stops answering: a connection to nowhere takes its place."""
    from django.db import connections

    original = connections["vault"]
    broken_settings = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        broken_settings["NAME"] = "/nonexistent/vault/vault.sqlite3"
    else:
        broken_settings.update(HOST="127.0.0.1", PORT="9", OPTIONS={"connect_timeout": 2})
    broken = type(original)(broken_settings, alias="vault")
    connections["vault"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["vault"] = original


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    """Django 6.1's MAILERS for an SMTP server on 127.0.0.1 at ``port``."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


class SmtpSink:
    """An aiosmtpd handler that keeps what a real SMTP server on 127.0.0.1 accepted:
    ``deliveries`` as (envelope recipients, parsed message), ``messages`` the parsed ones."""

    def __init__(self) -> None:
        self.deliveries: list = []

    @property
    def messages(self) -> list:
        return [message for _recipients, message in self.deliveries]

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email import policy as email_policy

        parsed = message_from_bytes(envelope.original_content, policy=email_policy.default)
        self.deliveries.append((envelope.rcpt_tos, parsed))
        return "250 OK"

    def texts(self, to: str) -> list[tuple[str, str]]:
        """(subject, plain-text body) of every mail to ``to``, in arrival order."""
        return [
            (str(message["Subject"]), message.get_body(("plain",)).get_content())
            for message in self.messages
            if message["To"] == to
        ]
