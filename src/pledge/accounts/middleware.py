"""Session guard: idle and absolute time-outs, and sessions ended from another device.

ASVS 5.0 V7.3 (level 2): a signed-in session ends after ``ACCOUNTS_SESSION_IDLE_SECONDS``
without a request and ``ACCOUNTS_SESSION_ABSOLUTE_SECONDS`` after sign-in, whatever the
cookie's own lifetime (which the policy declares). A session whose row in ``AccountSession``
is gone (logged out from "My account", or by a password change) is signed out here.
"""

import time

from django.conf import settings

from . import sessions
from .services import account_logout


class SessionGuardMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._guard(request)
        return self.get_response(request)

    def _guard(self, request) -> None:
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(sessions.SIGNED_IN_AT)
        if signed_in_at is None or session.get(sessions.TRACKED) is None:
            # Signed in before this guard existed, or by a path that skipped the signal.
            sessions.session_track(request=request, user=request.user)
            return
        seen_at = session.get(sessions.SEEN_AT, signed_in_at)
        if now - seen_at > settings.ACCOUNTS_SESSION_IDLE_SECONDS:
            account_logout(request=request, reason="idle_timeout")
            return
        if now - signed_in_at > settings.ACCOUNTS_SESSION_ABSOLUTE_SECONDS:
            account_logout(request=request, reason="absolute_timeout")
            return
        row = sessions.session_row_current(request=request)
        if row is None:
            account_logout(request=request, reason="ended_remotely")
            return
        if now - seen_at >= 60:  # a minute's precision spares a session write per request
            session[sessions.SEEN_AT] = now
        sessions.session_touch(row=row)
