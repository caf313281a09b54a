"""The share buttons as the server renders them: two clicks, hosts from the policy, NL and EN."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from pledge.policy.selectors import current_policy
from pledge.social.selectors import share_buttons_for

pytestmark = pytest.mark.django_db


def test_share_links_go_only_to_hosts_the_policy_declares_for_that_vendor():
    policy = current_policy()
    buttons = share_buttons_for(page_url="https://www.pixeljet.nl/")
    assert [b.vendor_id for b in buttons] == ["facebook", "linkedin"]
    for button in buttons:
        assert urlsplit(button.share_url).hostname in policy.vendor(button.vendor_id).hosts


def test_share_links_carry_the_page_address_and_nothing_else():
    facebook, linkedin = share_buttons_for(page_url="https://www.pixeljet.nl/canvas/?maat=40x60")
    assert parse_qs(urlsplit(facebook.share_url).query) == {
        "u": ["https://www.pixeljet.nl/canvas/?maat=40x60"]
    }
    assert parse_qs(urlsplit(linkedin.share_url).query) == {
        "url": ["https://www.pixeljet.nl/canvas/?maat=40x60"]
    }


def test_the_home_page_loads_nothing_from_facebook_or_linkedin(client):
    html = client.get("/").content.decode()
    hosts = {h for v in ("facebook", "linkedin") for h in current_policy().vendor(v).hosts}
    # Only plain links (<a href>) may name the networks; nothing the browser fetches by itself.
    for tag in re.findall(r"<(?!a\s)[a-z]+\s[^>]*>", html):
        assert not any(host in tag for host in hosts), tag
    assert "<script" not in html.split('class="social-share"')[1].split("</section>")[0]


def test_the_first_click_only_opens_a_notice_in_dutch(client):
    html = client.get("/").content.decode()
    assert '<details class="social-share__button" data-vendor="facebook">' in html
    assert "Klikken laadt Facebook, dat dan uw gegevens ontvangt." in html
    assert "Klikken laadt LinkedIn, dat dan uw gegevens ontvangt." in html
    assert 'target="_blank" rel="noopener noreferrer"' in html


def test_the_english_home_page_explains_the_buttons_in_english(client):
    html = client.get("/en/").content.decode()
    assert "Clicking loads Facebook, which then receives your data." in html
    assert "share-offsite/?url=http%3A%2F%2Ftestserver%2Fen%2F" in html
