"""What the cookie audit allows in each consent state, read from the policy alone."""

from pledge.policy.selectors import current_policy
from pledge.social.rules import ConsentState, allowance_for, cookie_allowed, violations_for


def test_before_any_choice_only_functional_cookies_and_no_consent_cookie_are_allowed():
    allowance = allowance_for(current_policy(), ConsentState.NO_CHOICE)
    assert cookie_allowed("csrftoken", allowance)
    assert cookie_allowed("sessionid", allowance)
    assert not cookie_allowed("pledge_consent", allowance)
    assert not cookie_allowed("_ga", allowance)
    assert allowance.hosts == frozenset()


def test_rejecting_allows_the_consent_cookie_but_no_vendor_and_no_vendor_cookie():
    allowance = allowance_for(current_policy(), ConsentState.REJECT_ALL)
    assert cookie_allowed("pledge_consent", allowance)
    for name in ("_ga", "_ga_ABC123", "_gcl_au", "IDE", "_fbp", "fr", "bcookie"):
        assert not cookie_allowed(name, allowance), name
    assert allowance.hosts == frozenset()


def test_accepting_all_allows_every_declared_cookie_including_wildcard_names():
    policy = current_policy()
    allowance = allowance_for(policy, ConsentState.ACCEPT_ALL)
    assert cookie_allowed("_ga_Q1W2E3R4", allowance)  # declared as `_ga_*`
    assert not cookie_allowed("_gid", allowance)  # Google sets it, the policy does not declare it
    declared_hosts = {host for vendor in policy.vendors for host in vendor.hosts}
    assert allowance.hosts == declared_hosts


def test_a_cookie_or_host_outside_the_policy_is_a_violation_named_with_its_state():
    found = violations_for(
        policy=current_policy(),
        state=ConsentState.ACCEPT_ALL,
        cookie_names={"_ga", "_hjSessionUser_1"},
        hosts={"www.google-analytics.com", "static.hotjar.com"},
    )
    assert [str(v) for v in found] == [
        "[accept all] cookie _hjSessionUser_1: not declared in the policy for this state",
        "[accept all] host static.hotjar.com: third-party request the policy does not allow here",
    ]


def test_a_vendor_host_before_consent_is_a_violation():
    found = violations_for(
        policy=current_policy(),
        state=ConsentState.NO_CHOICE,
        cookie_names=set(),
        hosts={"www.googletagmanager.com"},
    )
    assert [(v.kind, v.name) for v in found] == [("host", "www.googletagmanager.com")]
