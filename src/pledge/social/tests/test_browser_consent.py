"""The consent banner as a visitor meets it in real Chromium, checked against the policy.

Every context stubs all off-machine requests and records their hosts (crawler.recording_context),
so "no request to any external host" is observed, not assumed; the consent record is read back
through the consent app's own API, with the policy version it was given under.
"""

import pytest

from pledge.policy.selectors import current_policy
from pledge.social.crawler import choose, recording_context

pytestmark = pytest.mark.browser

BANNER = "#consent-banner"
CHOICES = ("accept_all", "reject_all", "settings")


def choice(page, value: str):
    return page.locator(f'{BANNER} button[name="choice"][value="{value}"]')


def vendor_hosts(*categories: str) -> set[str]:
    return {h for c in categories for v in current_policy().vendors_in(c) for h in v.hosts}


def functional_cookies() -> set[str]:
    return {c.name for c in current_policy().cookies_in("functional")}


def cookie_names(context) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


def consent_record(page, site_url: str) -> dict:
    response = page.request.get(site_url + "/consent/api/me")
    assert response.ok, response.status
    return response.json()


@pytest.fixture
def visit(chromium, consent_banner):
    """A fresh visitor: (page, context, attempted hosts)."""
    contexts = []

    def open_visitor(**options):
        attempted: set[str] = set()
        context = recording_context(
            chromium, policy=current_policy(), attempted=attempted, **options
        )
        contexts.append(context)
        return context.new_page(), context, attempted

    yield open_visitor
    for context in contexts:
        context.close()


def decide(page, value: str) -> None:
    choose(page, f'{BANNER} button[name="choice"][value="{value}"]')


def save_settings(page) -> None:
    choose(page, 'button[name="choice"][value="save"]')


def test_a_first_visit_shows_the_banner_sets_only_functional_cookies_and_calls_no_vendor(
    visit, consent_banner
):
    page, context, attempted = visit()
    page.goto(consent_banner + "/", wait_until="load")
    assert page.locator(BANNER).is_visible()
    assert cookie_names(context) <= functional_cookies() - {"pledge_consent"}
    assert attempted == set()


def test_rejecting_all_places_no_vendor_cookie_calls_no_vendor_and_is_recorded(
    visit, consent_banner
):
    page, context, attempted = visit()
    page.goto(consent_banner + "/", wait_until="load")
    decide(page, "reject_all")
    for path in ("/", "/privacy/", "/cookies/"):
        page.goto(consent_banner + path, wait_until="load")
    assert not page.locator(BANNER).is_visible()
    assert cookie_names(context) <= functional_cookies()
    assert attempted == set()
    record = consent_record(page, consent_banner)
    assert record["granted"] == []
    assert record["policy_version"] == current_policy().policy.version


def test_accepting_analytics_only_allows_only_google_analytics_hosts_in_the_csp(
    visit, consent_banner
):
    page, context, attempted = visit()
    page.goto(consent_banner + "/", wait_until="load")
    decide(page, "settings")
    page.locator('input[name="categories"][value="analytics"]').check()
    save_settings(page)
    response = page.goto(consent_banner + "/", wait_until="load")
    csp = response.headers["content-security-policy"]
    analytics = vendor_hosts("analytics")
    assert all(host in csp for host in analytics)
    assert not any(host in csp for host in vendor_hosts("advertising", "social"))
    assert attempted and attempted <= analytics  # the GA stub was asked for, nothing else
    assert "_ga" in cookie_names(context)
    record = consent_record(page, consent_banner)
    assert record["granted"] == ["analytics"]
    assert record["policy_version"] == current_policy().policy.version


def test_a_global_privacy_control_signal_refuses_advertising_without_a_click(visit, consent_banner):
    page, _context, attempted = visit(extra_http_headers={"Sec-GPC": "1"})
    page.goto(consent_banner + "/", wait_until="load")
    record = consent_record(page, consent_banner)
    assert {"advertising", "social"} <= set(record["refused"])
    assert record["policy_version"] == current_policy().policy.version
    assert attempted == set()


def test_withdrawing_analytics_from_the_footer_removes_the_ga_cookie(visit, consent_banner):
    page, context, _attempted = visit()
    page.goto(consent_banner + "/", wait_until="load")
    decide(page, "accept_all")
    page.goto(consent_banner + "/privacy/", wait_until="load")
    assert "_ga" in cookie_names(context)

    page.locator("footer a.consent-settings-link").click()
    page.wait_for_load_state("load")
    page.locator('input[name="categories"][value="analytics"]').uncheck()
    save_settings(page)
    assert not {name for name in cookie_names(context) if name.startswith("_ga")}
    assert "analytics" not in consent_record(page, consent_banner)["granted"]


def test_without_javascript_the_banner_and_the_settings_form_still_work(visit, consent_banner):
    page, context, attempted = visit(java_script_enabled=False)
    page.goto(consent_banner + "/", wait_until="load")
    decide(page, "reject_all")
    assert "pledge_consent" in cookie_names(context)
    assert not page.locator(BANNER).is_visible()
    page.goto(consent_banner + "/consent/", wait_until="load")
    page.locator('input[name="categories"][value="analytics"]').check()
    save_settings(page)
    assert consent_record(page, consent_banner)["granted"] == ["analytics"]
    assert attempted <= vendor_hosts("analytics")


def test_accept_reject_and_settings_are_equally_big_and_prominent(visit, consent_banner):
    page, _context, _attempted = visit()
    page.goto(consent_banner + "/", wait_until="load")
    properties = (
        "font-size",
        "font-weight",
        "color",
        "background-color",
        "border-top-width",
        "border-top-color",
        "padding-top",
        "padding-left",
        "text-decoration-line",
    )
    styles, boxes = [], []
    for value in CHOICES:
        button = choice(page, value)
        assert button.is_visible(), value
        styles.append(
            button.evaluate(
                "(el, names) => names.map(n => getComputedStyle(el).getPropertyValue(n))",
                list(properties),
            )
        )
        boxes.append(button.bounding_box())
    assert styles[0] == styles[1] == styles[2], dict(zip(CHOICES, styles, strict=True))
    for box in boxes[1:]:
        assert abs(box["width"] - boxes[0]["width"]) <= 2, boxes
        assert abs(box["height"] - boxes[0]["height"]) <= 2, boxes
