"""Test support shared by the apps' suites (not imported by the shop itself)."""

import base64
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
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
