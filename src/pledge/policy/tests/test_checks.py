"""Django's own cookies and the cookie statement cannot drift apart unnoticed."""

from django.test import override_settings

from pledge.policy.checks import cookies_match_the_policy


def test_session_and_csrf_cookies_match_the_policy():
    assert cookies_match_the_policy() == []


@override_settings(SESSION_COOKIE_AGE=3 * 7 * 86400)
def test_a_longer_session_cookie_than_declared_fails_the_check():
    (problem,) = cookies_match_the_policy()
    assert problem.id == "policy.E103"
    assert "'sessionid'" in problem.msg


@override_settings(CSRF_COOKIE_NAME="xsrf")
def test_an_undeclared_cookie_fails_the_check():
    (problem,) = cookies_match_the_policy()
    assert problem.id == "policy.E111"
    assert "'xsrf'" in problem.msg
