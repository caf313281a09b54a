"""Drive real Chromium through the site in each consent state and record what it holds and asks.

The browser never leaves this machine: every request to a host other than loopback is answered
by a local stub vendor script (``tests/stub_vendors/vendor.js``) that sets the cookies the policy
declares for that vendor, and the host is recorded. So a vendor loaded too early, a host missing
from the policy, or a cookie the policy does not declare all show up, without a real tracker
ever seeing the crawl.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation

from pledge.policy.schema import Policy
from pledge.policy.selectors import current_policy
from pledge.social.rules import ConsentState, Violation, violations_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
STUB_SCRIPT = Path(__file__).parent / "tests" / "stub_vendors" / "vendor.js"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
PAGE_NAMES = (
    "frame:home",
    "policy:privacy",
    "policy:cookies",
    "accounts:login",
    "accounts:register",
)
# The consent banner's buttons (the consent app's markup).
CHOICE_BUTTON = {
    ConsentState.REJECT_ALL: 'button[name="choice"][value="reject_all"]',
    ConsentState.ACCEPT_ALL: 'button[name="choice"][value="accept_all"]',
}


class CrawlError(RuntimeError):
    """The crawl could not do what a visitor does (no banner, a page that does not load)."""


@dataclass(frozen=True)
class SeenCookie:
    name: str
    domain: str


@dataclass
class StateReport:
    state: ConsentState
    cookies: list[SeenCookie] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    violations: list[Violation] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and not self.violations


def page_paths() -> list[str]:
    with translation.override("nl"):
        return [reverse(name) for name in PAGE_NAMES]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


def _stub_cookie_name(pattern: str) -> str:
    # A wildcard cookie (`_ga_*`) is set under one concrete name, as the vendor would.
    return pattern.replace("*", "STUB1")


def stub_response(policy: Policy, host: str) -> dict:
    """The stubbed answer for ``host``: the vendor's first-party cookies set by script, its
    third-party cookies by a Set-Cookie header of the host itself."""
    vendors = [vendor for vendor in policy.vendors if host in vendor.hosts]
    ids = {vendor.id for vendor in vendors}
    cookies = [cookie for cookie in policy.cookies if cookie.vendor in ids]
    first = [_stub_cookie_name(c.name) for c in cookies if c.party == "first"]
    third = [_stub_cookie_name(c.name) for c in cookies if c.party == "third"]
    body = (
        STUB_SCRIPT.read_text()
        .replace("__PLEDGE_STUB_COOKIES__", json.dumps(first))
        .replace("__PLEDGE_STUB_VENDOR__", json.dumps(",".join(sorted(ids)) or host))
    )
    headers = {"content-type": "application/javascript", "access-control-allow-origin": "*"}
    if third:
        headers["set-cookie"] = "\n".join(
            f"{name}=stub-vendor-value; Path=/; Max-Age=3600; Secure; SameSite=None"
            for name in third
        )
    return {"status": 200, "headers": headers, "body": body}


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOOPBACK_HOSTS


def recording_context(browser, *, policy: Policy, attempted: set[str], **context_options):
    """A browser context whose every off-machine request is stubbed and its host recorded."""
    context = browser.new_context(**context_options)

    def handle(route, request):
        if is_loopback(request.url):
            route.continue_()
            return
        host = urlsplit(request.url).hostname or request.url
        attempted.add(host)
        route.fulfill(**stub_response(policy, host))

    context.route("**/*", handle)
    return context


def _visit(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    if response is None or response.status >= 400:
        status = response.status if response else "no answer"
        raise CrawlError(f"{url} answered {status}")


def choose(page, selector: str, *, state: str = "") -> None:
    """Click a consent button and wait until the choice is stored and the page has settled."""
    button = page.locator(selector)
    if button.count() == 0:
        raise CrawlError(f"[{state}] no consent banner button {selector}".strip())
    # The banner saves by fetch (a plain POST without JS) to its form's action; other POSTs
    # (the statistics beacon) are not the answer to wait for. A grant then reloads the page.
    action = button.first.evaluate("button => button.form.action")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url == action):
        button.first.click()
    page.wait_for_load_state("networkidle")


def crawl_state(browser, base_url: str, state: ConsentState, *, policy: Policy) -> StateReport:
    report = StateReport(state=state)
    context = recording_context(browser, policy=policy, attempted=report.hosts)
    try:
        page = context.new_page()
        paths = page_paths()
        _visit(page, base_url + paths[0])
        if state in CHOICE_BUTTON:
            choose(page, CHOICE_BUTTON[state], state=state)
        for path in paths:
            _visit(page, base_url + path)
        report.cookies = sorted(
            {SeenCookie(c["name"], c["domain"]) for c in context.cookies()},
            key=lambda c: (c.name, c.domain),
        )
    finally:
        context.close()
    report.violations = violations_for(
        policy=policy,
        state=state,
        cookie_names={c.name for c in report.cookies},
        hosts=report.hosts,
    )
    return report


def crawl(
    base_url: str,
    *,
    policy: Policy | None = None,
    states: Iterable[ConsentState] = tuple(ConsentState),
) -> list[StateReport]:
    """Crawl the main pages in each consent state; the reports name every violation."""
    from playwright.sync_api import sync_playwright

    policy = policy or current_policy()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            return [_crawl_or_explain(browser, base_url, s, policy=policy) for s in states]
        finally:
            browser.close()


def _crawl_or_explain(browser, base_url: str, state: ConsentState, *, policy: Policy):
    # One state that cannot be crawled must not hide what the others show.
    try:
        return crawl_state(browser, base_url, state, policy=policy)
    except CrawlError as error:
        return StateReport(state=state, error=str(error))
