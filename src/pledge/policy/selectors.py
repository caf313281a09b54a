"""Reads of the policy in force. Every app asks here; none keeps its own copy of policy facts."""

from functools import cache

from django.conf import settings

from .loader import load_policy
from .schema import Policy


@cache
def _policy_at(path: str) -> Policy:
    return load_policy(path)


def current_policy() -> Policy:
    """The policy file named by ``settings.PLEDGE_POLICY``, loaded once per process."""
    return _policy_at(str(settings.PLEDGE_POLICY))


def policy_reload() -> Policy:
    """Forget the loaded policy (tests that override PLEDGE_POLICY, a deploy hook)."""
    _policy_at.cache_clear()
    return current_policy()


def published_policy_source(*, version: str) -> str | None:
    """The TOML text of the most recently published policy with this version, or None."""
    from .models import PublishedPolicy

    row = PublishedPolicy.objects.filter(version=version).order_by("-published_at").first()
    return row.source if row else None
