"""Where mail goes, from the environment: an SMTP relay, files for the demo, memory for tests."""

import json
import subprocess

from pledge.testing import run_with_settings

PRINT_MAIL_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
mailer = settings.MAILERS["default"]
options = dict(mailer.get("OPTIONS", {}))
options["password"] = bool(options.get("password"))
print(json.dumps({
    "backend": mailer["BACKEND"].rsplit(".", 2)[-2],
    "options": options,
    "from": settings.DEFAULT_FROM_EMAIL if settings.is_overridden("DEFAULT_FROM_EMAIL") else None,
}))
"""


def mail_settings(tmp_path, mode: str, **env: str) -> subprocess.CompletedProcess:
    return run_with_settings(PRINT_MAIL_SETTINGS, mode=mode, PLEDGE_VAR_DIR=str(tmp_path), **env)


def values(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_through_the_configured_smtp_relay_with_starttls(tmp_path):
    result = mail_settings(
        tmp_path,
        "production",
        SMTP_HOST="smtp.eu.mailgun.org",
        SMTP_PORT="587",
        SMTP_USER="postmaster@mg.pixeljet.nl",
        SMTP_PASSWORD="relay-password",
        SMTP_STARTTLS="true",
        DEFAULT_FROM_EMAIL="Pixeljet <noreply@pixeljet.nl>",
    )
    assert values(result) == {
        "backend": "smtp",
        "options": {
            "host": "smtp.eu.mailgun.org",
            "port": 587,
            "username": "postmaster@mg.pixeljet.nl",
            "password": True,
            "use_tls": True,
            "use_ssl": False,
            "timeout": 10.0,
        },
        "from": "Pixeljet <noreply@pixeljet.nl>",
    }


def test_smtp_over_ssl_defaults_to_port_465(tmp_path):
    result = mail_settings(tmp_path, "production", SMTP_HOST="smtp.pixeljet.nl", SMTP_SSL="1")
    options = values(result)["options"]
    assert (options["port"], options["use_ssl"], options["use_tls"]) == (465, True, False)


def test_starttls_and_ssl_together_are_refused(tmp_path):
    result = mail_settings(
        tmp_path, "production", SMTP_HOST="smtp.pixeljet.nl", SMTP_SSL="1", SMTP_STARTTLS="1"
    )
    assert result.returncode != 0
    assert "Set SMTP_STARTTLS or SMTP_SSL, not both." in result.stderr


def test_the_demo_writes_mail_to_files_the_demo_user_can_read(tmp_path):
    result = mail_settings(tmp_path, "demo")
    assert values(result) == {
        "backend": "filebased",
        "options": {"file_path": str(tmp_path / "mail"), "password": False},
        "from": None,  # the policy's controller address, read when sending
    }


def test_tests_keep_mail_in_memory_even_with_an_smtp_host_set(tmp_path):
    result = mail_settings(tmp_path, "test", SMTP_HOST="smtp.pixeljet.nl")
    assert values(result)["backend"] == "locmem"


def test_a_lease_shorter_than_a_slow_smtp_transaction_is_warned_about(settings):
    from pledge.mail.checks import lease_outlasts_an_smtp_transaction

    settings.MAILERS = {"default": {"BACKEND": "x", "OPTIONS": {"timeout": 10}}}
    settings.PLEDGE_MAIL_LEASE_SECONDS = 60
    assert [w.id for w in lease_outlasts_an_smtp_transaction()] == ["mail.W001"]
    settings.PLEDGE_MAIL_LEASE_SECONDS = 300
    assert lease_outlasts_an_smtp_transaction() == []
