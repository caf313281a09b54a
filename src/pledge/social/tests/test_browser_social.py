"""The two-click share buttons in real Chromium: nothing reaches Facebook or LinkedIn before the
visitor has clicked twice, with or without JavaScript."""

from urllib.parse import parse_qs, urlsplit

import pytest

from pledge.policy.selectors import current_policy
from pledge.social.crawler import recording_context

pytestmark = pytest.mark.browser


def press(element) -> None:
    element.focus()
    element.press("Enter")


def social_hosts() -> set[str]:
    policy = current_policy()
    return {host for v in ("facebook", "linkedin") for host in policy.vendor(v).hosts}


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_share_buttons_load_nothing_from_facebook_or_linkedin_before_the_second_click(
    chromium, site_url, javascript
):
    attempted: set[str] = set()
    context = recording_context(
        chromium, policy=current_policy(), attempted=attempted, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        page.goto(site_url + "/", wait_until="load")
        facebook = page.locator('details[data-vendor="facebook"]')
        notice = facebook.get_by_text("Klikken laadt Facebook, dat dan uw gegevens ontvangt.")
        assert not notice.is_visible()

        # By keyboard: the first-visit cookie banner may cover the buttons, and a visitor who has
        # not decided yet can still share. First press: the local notice only.
        press(facebook.locator("summary"))
        assert notice.is_visible()
        page.wait_for_timeout(300)
        assert attempted == set(), "a network was contacted before the visitor confirmed"

        with context.expect_page() as new_tab:  # second click: the share form, in a new tab
            press(facebook.get_by_role("link", name="Verder naar Facebook"))
        share_page = new_tab.value
        share_page.wait_for_load_state()
        parts = urlsplit(share_page.url)
        assert parts.hostname == "www.facebook.com"
        assert parse_qs(parts.query) == {"u": [site_url + "/"]}
        assert attempted == {"www.facebook.com"}
        assert attempted <= social_hosts()
    finally:
        context.close()


def test_the_share_notice_is_part_of_the_page_and_needs_no_exception_in_the_csp(chromium, site_url):
    attempted: set[str] = set()
    context = recording_context(chromium, policy=current_policy(), attempted=attempted)
    violations: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: violations.append(message.text))
        response = page.goto(site_url + "/en/", wait_until="load")
        csp = response.headers["content-security-policy"]
        assert not any(host in csp for host in social_hosts())
        press(page.locator('details[data-vendor="linkedin"] summary'))
        assert page.get_by_text(
            "Clicking loads LinkedIn, which then receives your data."
        ).is_visible()
        assert not [text for text in violations if "Content Security Policy" in text]
        assert attempted == set()
    finally:
        context.close()
