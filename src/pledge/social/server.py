"""A throw-away demo shop on a free loopback port, for the cookie audit and the browser tests.

The crawl must see the site as a visitor does (real HTTP, real cookies, the real CSP), so it runs
``pledge demo`` in a process of its own, with its own temporary var directory: nothing of the
developer's ``var/`` or of a test database is touched.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_SECONDS = 180  # generous: CI machines run the suite on every core at once


class SiteDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_environment(var_dir: Path) -> dict[str, str]:
    environment = {**os.environ, "PLEDGE_VAR_DIR": str(var_dir), "PLEDGE_ENV": "demo"}
    environment["DJANGO_SETTINGS_MODULE"] = "pledge.settings"
    # The demo is SQLite in its own var directory, whatever the calling process runs on.
    for name in ("DATABASE_URL", "VAULT_DATABASE_URL", "REDIS_URL"):
        environment.pop(name, None)
    return environment


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_demo_site() -> Iterator[str]:
    """Set up and serve the seeded demo shop; yields its base URL, stops it afterwards."""
    with tempfile.TemporaryDirectory(prefix="pledge-crawl-") as var_dir:
        environment = demo_environment(Path(var_dir))
        command = [sys.executable, "-m", "pledge.cli", "demo"]
        setup = subprocess.run(  # noqa: S603 (our own interpreter and command)
            [*command, "--no-serve"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
            check=False,
        )
        if setup.returncode != 0:
            raise SiteDidNotStart(f"pledge demo --no-serve failed:\n{setup.stderr[-2000:]}")
        port = free_port()
        # Served as `pledge demo` serves it (granian, WSGI, no access log: it would hold IP
        # addresses), without migrating and seeding a second time.
        server = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "granian", "--interface", "wsgi", "--no-access-log"),
                *("--host", "127.0.0.1", "--port", str(port), "pledge.wsgi:application"),
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(f"{base_url}/"):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SiteDidNotStart(f"the demo shop did not answer on {base_url}")
                time.sleep(0.2)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
