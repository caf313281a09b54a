"""The banner's wording as a visitor read it, and its fingerprint for the consent record."""

import hashlib
import re
from functools import cache

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import override

from pledge.policy.selectors import current_policy

BANNER_TEMPLATE = "consent/banner.html"


def banner_context(*, gpc: bool = False) -> dict:
    policy = current_policy()
    return {
        "policy": policy,
        "categories": [c for c in policy.cookie_categories if c.requires_consent],
        "gpc": gpc,
    }


def banner_text(*, language: str, gpc: bool = False) -> str:
    """The visible text of the banner in ``language``: headings, sentences, button labels."""
    with override(language):
        html = render_to_string(BANNER_TEMPLATE, {**banner_context(gpc=gpc), "wording_only": True})
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def banner_sha256(*, language: str, gpc: bool = False) -> str:
    return _sha256(banner_text(language=language, gpc=gpc), current_policy().policy.version)


@cache
def _sha256(text: str, _version: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
