"""What the policy allows a browser to hold and contact, per consent state.

The crawler observes; this module judges. Everything allowed is read from the policy: a cookie
or a host that the policy does not declare for the state is a violation, whatever the code meant.
"""

from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase

from pledge.policy.schema import Policy

CONSENT_COOKIE = "pledge_consent"


class ConsentState(StrEnum):
    NO_CHOICE = "no choice"
    REJECT_ALL = "reject all"
    ACCEPT_ALL = "accept all"


@dataclass(frozen=True)
class Allowance:
    cookie_patterns: tuple[str, ...]
    hosts: frozenset[str]


@dataclass(frozen=True)
class Violation:
    state: ConsentState
    kind: str  # "cookie" or "host"
    name: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.state}] {self.kind} {self.name}: {self.detail}"


def consented_categories(policy: Policy, state: ConsentState) -> tuple[str, ...]:
    if state is not ConsentState.ACCEPT_ALL:
        return ()
    return tuple(c.id for c in policy.cookie_categories if c.requires_consent)


def allowance_for(policy: Policy, state: ConsentState) -> Allowance:
    functional = {c.id for c in policy.cookie_categories if not c.requires_consent}
    categories = functional | set(consented_categories(policy, state))
    patterns = [c.name for c in policy.cookies if c.category in categories]
    if state is ConsentState.NO_CHOICE:
        # Art. 5(3) ePrivacy: no choice made, nothing to remember yet, so no consent cookie.
        patterns = [name for name in patterns if name != CONSENT_COOKIE]
    hosts = {
        host for vendor in policy.vendors if vendor.category in categories for host in vendor.hosts
    }
    return Allowance(cookie_patterns=tuple(patterns), hosts=frozenset(hosts))


def cookie_allowed(name: str, allowance: Allowance) -> bool:
    # Policy names may be wildcards (`_ga_*`: one cookie per measurement id).
    return any(fnmatchcase(name, pattern) for pattern in allowance.cookie_patterns)


def violations_for(
    *,
    policy: Policy,
    state: ConsentState,
    cookie_names: set[str],
    hosts: set[str],
) -> list[Violation]:
    allowance = allowance_for(policy, state)
    found = [
        Violation(state, "cookie", name, "not declared in the policy for this state")
        for name in sorted(cookie_names)
        if not cookie_allowed(name, allowance)
    ]
    found += [
        Violation(state, "host", host, "third-party request the policy does not allow here")
        for host in sorted(hosts - allowance.hosts)
    ]
    return found
