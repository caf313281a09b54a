"""Fixtures for the browser tests: one throw-away demo shop and one Chromium per test process."""

from pathlib import Path

import pytest

from pledge.social.crawler import CHROMIUM, launch_chromium
from pledge.social.server import running_demo_site


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives real Chromium against a demo shop on a loopback port"
    )


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser test: no Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def site_url():
    with running_demo_site() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def chromium():
    # Module scope: Playwright's sync API keeps an event loop in this thread while it runs, and
    # Django refuses ORM calls there, so it must be gone before another module's tests start.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def consent_banner(site_url):
    """Skip what needs the consent app's banner while it is not on the page yet."""
    import urllib.request

    with urllib.request.urlopen(site_url + "/", timeout=10) as response:
        html = response.read().decode()
    if 'name="choice" value="accept_all"' not in html:
        pytest.skip("the consent banner (button name=choice value=accept_all) is not on the page")
    return site_url
