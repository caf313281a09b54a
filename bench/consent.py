"""Cost of the consent middleware: median page latency with it, as a ratio to without it.

Both variants run in the same process, interleaved round by round, over the same pages and
consent states (none, reject all, accept all), so machine noise hits both alike. Target: ≤ 1.10.
Run: python3 -m uv run python bench/consent.py [--rounds N]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ["PLEDGE_ENV"] = "test"
os.environ.setdefault("PLEDGE_VAR_DIR", tempfile.mkdtemp(prefix="pledge-bench-consent-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "pledge.settings"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CONSENT_MIDDLEWARE = "pledge.consent.middleware.ConsentMiddleware"
PAGES = ["/", "/privacy/", "/cookies/", "/en/account/login/"]


def clients() -> dict[str, Client]:
    """A visitor per consent state, each with its own cookie jar."""
    states = {"none": Client(), "reject": Client(), "accept": Client()}
    for choice, client in (("reject_all", states["reject"]), ("accept_all", states["accept"])):
        client.get("/")
        client.post("/consent/decide/", {"choice": choice, "next": "/"})
    return states


def median_latency(states: dict[str, Client], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        for client in states.values():
            for page in PAGES:
                started = time.perf_counter()
                response = client.get(page)
                samples.append(time.perf_counter() - started)
                assert response.status_code == 200, (page, response.status_code)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    without = [m for m in settings.MIDDLEWARE if m != CONSENT_MIDDLEWARE]
    assert len(without) == len(settings.MIDDLEWARE) - 1, "the consent middleware is not installed"
    # A test client loads its middleware chain on its first request and keeps it: each variant
    # gets its own visitors, whose first request runs under that variant's MIDDLEWARE.
    with_consent = clients()
    with override_settings(MIDDLEWARE=without):
        # The same visitors' cookies, so both variants see the same requests.
        without_consent = {}
        for state, visitor in with_consent.items():
            without_consent[state] = Client()
            without_consent[state].cookies = visitor.cookies
            without_consent[state].get("/")
    assert "Sec-GPC" in with_consent["none"].get("/").get("Vary", "")
    assert "Sec-GPC" not in without_consent["none"].get("/").get("Vary", "")
    with_times, without_times = [], []
    for _ in range(5):  # interleaved blocks: noise lands on both variants
        with_times.append(median_latency(with_consent, args.rounds // 5))
        without_times.append(median_latency(without_consent, args.rounds // 5))
    with_median, without_median = min(with_times), min(without_times)
    ratio = with_median / without_median
    verdict = "ok" if ratio <= 1.10 else "OVER TARGET"
    print(f"pages {PAGES} x consent states none/reject/accept, best of 5 blocks")
    print(f"without consent middleware: {without_median * 1e3:.2f} ms median")
    print(f"with consent middleware:    {with_median * 1e3:.2f} ms median")
    print(f"ratio {ratio:.3f} (target <= 1.10) {verdict}")
    return 0 if ratio <= 1.10 else 1


if __name__ == "__main__":
    sys.exit(main())
