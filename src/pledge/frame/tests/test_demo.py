"""`make demo` runs `pledge demo`: a fresh checkout gets a seeded shop served on loopback."""

import io
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from django.core import management

from pledge.testing import free_port


def demo_environment(var_dir) -> dict[str, str]:
    environment = {
        **os.environ,
        "PLEDGE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "pledge.settings",
    }
    for name in ("PLEDGE_ENV", "DATABASE_URL", "VAULT_DATABASE_URL", "REDIS_URL"):
        environment.pop(name, None)  # exactly what `make demo` gets on a fresh machine
    return environment


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_demo_setup_is_idempotent(tmp_path):
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "pledge.cli", "demo", "--no-serve"],
            env=demo_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert "Pixeljet demo shop is ready." in result.stdout
    assert "already published" in result.stdout
    assert (tmp_path / "pledge.sqlite3").exists()


def register_through_the_site(base_url: str, *, username: str, email: str) -> None:
    """Fill in the registration form as a visitor's browser would (cookies and CSRF token)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    form_url = f"{base_url}/account/register/"
    with opener.open(form_url, timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "email": email,
            "password": "fietsbel-zonnebloem-42",
        }
    )
    headers = {"Referer": form_url}
    request = urllib.request.Request(form_url, data=body.encode(), headers=headers)
    with opener.open(request, timeout=30) as response:
        assert response.status == 200


def test_demo_serves_the_statements_in_dutch_and_english(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pledge.cli", "demo", "--port", str(port)],
        env=demo_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                dutch = fetch(f"http://127.0.0.1:{port}/privacy/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the demo did not start in time"
                time.sleep(0.5)
        english = fetch(f"http://127.0.0.1:{port}/en/privacy/")
        assert 'lang="nl"' in dutch and "Koen de Wit" in dutch
        assert 'lang="en"' in english and "Koen de Wit" in english

        # The demo's task worker delivers the verification mail as a file in var/mail.
        register_through_the_site(
            f"http://127.0.0.1:{port}", username="joris.bakker", email="joris.bakker@example.nl"
        )
        deadline = time.monotonic() + 60
        while not list((tmp_path / "mail").glob("*.log")):
            assert time.monotonic() < deadline, "no verification mail was delivered"
            time.sleep(0.5)
        (mail_file,) = (tmp_path / "mail").glob("*.log")
        assert "joris.bakker@example.nl" in mail_file.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_mails_sent_by_the_demo_link_to_the_port_it_serves(monkeypatch, settings):
    """The order mails are written on the payment webhook, without a customer's request to
    take the address from: they must point at the demo as served, not at port 8000."""
    from pledge.frame.management.commands import demo

    seen = {}

    class Worker:
        def __init__(self, command):
            seen["worker_site_url"] = os.environ.get("SITE_URL")

        def terminate(self):
            pass

        def wait(self, timeout):
            pass

    def serve(command, host, port):
        seen["server_site_url"] = settings.SHOP_SITE_URL

    settings.PLEDGE_ENV = "demo"
    settings.SHOP_SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "")  # undone after the test: the variable is unset again
    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(demo, "demo_seeders", lambda: [])
    monkeypatch.setattr(demo.subprocess, "Popen", Worker)
    monkeypatch.setattr(demo.Command, "_serve", serve)
    management.call_command(demo.Command(), port=8777, stdout=io.StringIO())
    assert seen == {
        "worker_site_url": "http://127.0.0.1:8777",
        "server_site_url": "http://127.0.0.1:8777",
    }
