"""What the policy says about cookie categories and vendors, shaped for the banner and the CSP.

Nothing here repeats the policy: categories, vendors, hosts and cookie names are read from it.
"""

import fnmatch
from functools import cache

from django.conf import settings

from pledge.policy.diff import policy_diff
from pledge.policy.loader import PolicyError, parse_policy
from pledge.policy.schema import Policy, Vendor
from pledge.policy.selectors import current_policy, published_policy_source

CONSENT_COOKIE = "pledge_consent"
# Browser signals this app reads; responses that depend on them must say so (Vary).
GPC_HEADER = "Sec-GPC"
# A decision is asked again after a material change of these kinds of policy item.
MATERIAL_KINDS = frozenset({"purpose", "vendor", "cookie_category"})
# What Global Privacy Control refuses: selling and sharing for advertising (not statistics).
GPC_REFUSES = frozenset({"advertising", "social"})


def optional_categories(policy: Policy | None = None) -> tuple[str, ...]:
    """Ids of the cookie categories that need consent, in policy order."""
    policy = policy or current_policy()
    return tuple(c.id for c in policy.cookie_categories if c.requires_consent)


def consent_cookie_max_age(policy: Policy | None = None) -> int:
    """Seconds the consent cookie lives, and the longest a decision is relied on."""
    policy = policy or current_policy()
    cookie = next(c for c in policy.cookies if c.name == CONSENT_COOKIE)
    return int(cookie.lifetime.days * 24 * 3600)


def vendors_granted(granted: frozenset[str], policy: Policy | None = None) -> tuple[Vendor, ...]:
    policy = policy or current_policy()
    return tuple(v for v in policy.vendors if v.category in granted)


def vendor_script_url(vendor: Vendor) -> str | None:
    """The shop's tag URL for a vendor (settings), only if its host is one the policy names."""
    url = settings.CONSENT_VENDOR_SCRIPTS.get(vendor.id)
    if not url:
        return None
    host = url.split("/")[2] if url.startswith("https://") else ""
    return url if host in vendor.hosts else None


def uses_google(policy: Policy | None = None) -> bool:
    policy = policy or current_policy()
    return any(v.recipient.startswith("google") for v in policy.vendors)


def first_party_cookies_of(categories: frozenset[str], cookie_names, policy=None) -> list[str]:
    """Names among ``cookie_names`` that are declared first-party cookies of ``categories``."""
    policy = policy or current_policy()
    patterns = [c.name for c in policy.cookies if c.party == "first" and c.category in categories]
    return [
        name
        for name in cookie_names
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
    ]


def changed_materially_since(version: str) -> bool:
    """Whether a purpose, vendor or cookie category changed materially since ``version``.

    A version this shop never published (or whose text is gone) counts as changed: we cannot
    show the visitor agreed to what applies now.
    """
    policy = current_policy()
    if version == policy.policy.version:
        return False
    source = published_policy_source(version=version)
    if source is None:
        return True
    try:
        return _material(source, policy)
    except PolicyError:  # an old text today's rules reject cannot prove anything either
        return True


@cache
def _material(old_source: str, new: Policy) -> bool:
    old = parse_policy(old_source)
    return any(c.material and c.kind in MATERIAL_KINDS for c in policy_diff(old, new))
