"""System checks: the cookies Django sets are the cookies the policy declares.

``pledge check`` (and so CI) fails when a setting and the policy drift apart, e.g. a longer
session cookie than the cookie statement tells visitors.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .selectors import current_policy

_DAY = 86400


def _declared_cookie_problems(name: str, max_age: int | None, setting: str, check_id: str):
    cookie = next((c for c in current_policy().cookies if c.name == name), None)
    if cookie is None:
        return [
            Error(
                f"Django sets the cookie {name!r}, but the policy does not declare it.",
                hint="Add it to [[cookies]] in the policy file.",
                id=f"{check_id}1",
            )
        ]
    problems = []
    if cookie.category != "functional" or cookie.party != "first":
        problems.append(
            Error(
                f"{name!r} is set without consent, so the policy must declare it "
                "a first-party functional cookie.",
                id=f"{check_id}2",
            )
        )
    declared = round(cookie.lifetime.days * _DAY) if cookie.lifetime else None
    if declared != max_age and (
        declared is None or max_age is None or abs(declared - max_age) > _DAY
    ):
        problems.append(
            Error(
                f"{setting} gives {name!r} a lifetime of {max_age} s, the policy declares "
                f"{declared} s.",
                hint="Change the setting or the policy, so visitors are told the truth.",
                id=f"{check_id}3",
            )
        )
    return problems


@register(Tags.security)
def cookies_match_the_policy(app_configs=None, **kwargs):
    session_age = None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE
    return [
        *_declared_cookie_problems(
            settings.SESSION_COOKIE_NAME, session_age, "SESSION_COOKIE_AGE", "policy.E10"
        ),
        *_declared_cookie_problems(
            settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_AGE, "CSRF_COOKIE_AGE", "policy.E11"
        ),
    ]
