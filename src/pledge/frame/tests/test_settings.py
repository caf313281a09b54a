"""Production settings are safe by default: HTTPS only, HSTS, secure cookies, no debug pages."""

import base64
import json
import os
import re
import subprocess
import sys

from django.db import connection

from pledge.testing import random_key, run_with_settings

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "DEBUG", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS")}))
"""


def production_settings(**env: str) -> subprocess.CompletedProcess:
    return run_with_settings(PRINT_SETTINGS, **env)


def test_production_redirects_to_https_and_sends_hsts_with_secure_cookies():
    result = production_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DEBUG"] is False


def test_production_refuses_debug():
    result = production_settings(DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG=true is refused in production" in result.stderr


def test_production_settings_pass_djangos_deployment_checks(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signing_key = tmp_path / "audit-signing-key.pem"
    signing_key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    environment = {
        **os.environ,
        "PLEDGE_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "pledge.settings",
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "ALLOWED_HOSTS": "www.pixeljet.nl",
        "PLEDGE_MASTER_KEY": f"1:{random_key()}",
        "PLEDGE_BLIND_INDEX_KEY": random_key(),
        "PLEDGE_SUPPRESSION_KEY": random_key(),
        "PLEDGE_AUDIT_SIGNING_KEY": str(signing_key),
        "PLEDGE_VAR_DIR": str(tmp_path),
        # A production shop configures its partners (src/pledge/partners/README.md).
        "PLEDGE_PARTNER_MOLLIE_API_KEY": "live_" + "a" * 30,
        **{
            f"PLEDGE_PARTNER_{partner}_{option}": value
            for partner in ("POSTNL", "PRINT_SUPPLIER", "KIYOH")
            for option, value in (("URL", "https://partner.example/pledge"), ("SECRET", "s" * 40))
        },
    }
    result = subprocess.run(
        [sys.executable, "-m", "pledge.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # On PostgreSQL the suite connects as a superuser, which audit.W003 exists to flag (a
    # superuser can switch off the audit log's triggers); nothing else may warn.
    expected = {"audit.W003"} if connection.vendor == "postgresql" else set()
    assert set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stderr)) == expected, result.stderr
    if not expected:
        assert result.returncode == 0, result.stderr
        assert "System check identified no issues" in result.stdout


def test_passwords_are_hashed_with_argon2id_outside_the_test_suite():
    from django.contrib.auth.hashers import check_password, make_password
    from django.test import override_settings

    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            " print(settings.PASSWORD_HASHERS[0])",
        ],
        env={**os.environ, "PLEDGE_ENV": "demo", "DJANGO_SETTINGS_MODULE": "pledge.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert probe.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=[probe.stdout.strip()]):
        encoded = make_password("correct horse battery staple")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("correct horse battery staple", encoded)
