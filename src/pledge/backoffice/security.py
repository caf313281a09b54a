"""Back-office session rules: two-step sign-in, 15-minute idle timeout, recent re-authentication,
and a stricter lockout for staff than for customers.

State lives in the session (server side, shared by every app server through the database or
Redis); timestamps are POSIX seconds so the session serialiser keeps them as they are.
"""

import hashlib
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from pledge.audit.models import AuditAction

from .services import staff_event_record

PENDING = "backoffice.pending"  # {"user_id": ..., "at": ...}: password checked, code not yet
LAST_SEEN = "backoffice.last_seen"
REAUTH_AT = "backoffice.reauth_at"
SIGNED_OUT_IDLE = "backoffice.signed_out_idle"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


def now() -> float:
    return time.time()


def _minutes(name: str) -> float:
    return getattr(settings, name) * 60


# -- the half-way state between password and code ----------------------------------------------


def pending_start(request, *, user) -> None:
    # A new session key at the first step stops session fixation through the login page.
    request.session.cycle_key()
    request.session[PENDING] = {"user_id": str(user.pk), "backend": user.backend, "at": now()}


def pending_get(request) -> dict | None:
    """``{"user_id", "backend", "at"}`` while the password step is fresh, else None."""
    pending = request.session.get(PENDING)
    if not pending or now() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return pending


def pending_clear(request) -> None:
    request.session.pop(PENDING, None)


# -- signed in to the back office -----------------------------------------------------------------


def backoffice_session_start(request) -> None:
    request.session[LAST_SEEN] = now()
    # Password and code were just given: that counts as a re-authentication too.
    request.session[REAUTH_AT] = now()
    request.session.pop(SIGNED_OUT_IDLE, None)


def is_idle(request) -> bool:
    last_seen = request.session.get(LAST_SEEN)
    return last_seen is None or now() - last_seen > _minutes("BACKOFFICE_IDLE_MINUTES")


def is_backoffice_user(request) -> bool:
    user = request.user
    # OTPMiddleware sets ``otp_device`` from the session: the device that verified a code in
    # this session (django_otp.login sets it too, for the request that signs in).
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, "otp_device", None) is not None
    )


def login_url(request, *, next_path: str | None = None) -> str:
    url = reverse("backoffice:login")
    next_path = next_path or request.get_full_path()
    return f"{url}?{urlencode({'next': next_path})}"


def safe_next(request, fallback: str) -> str:
    """The ``next`` parameter when it points back into this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def staff_required(view):
    """Every back-office page: a staff member who gave password and code, not idle too long.

    A password alone (also one given on the customer login) never opens a back-office page:
    the OTP device must be verified in this session. After BACKOFFICE_IDLE_MINUTES without a
    back-office request the session is ended, so an unattended screen does not stay open.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_backoffice_user(request):
            return redirect(login_url(request))
        if is_idle(request):
            staff_id = request.user.pk
            logout(request)
            staff_event_record(
                action=AuditAction.LOGOUT, staff_id=staff_id, details={"reason": "idle"}
            )
            request.session[SIGNED_OUT_IDLE] = True
            return redirect(login_url(request))
        request.session[LAST_SEEN] = now()
        return view(request, *args, **kwargs)

    return wrapper


def has_recent_reauth(request) -> bool:
    reauth_at = request.session.get(REAUTH_AT)
    return reauth_at is not None and now() - reauth_at <= _minutes("BACKOFFICE_REAUTH_MINUTES")


def reauth_required(view):
    """Sensitive actions (exports, erasures, disclosures): password and code again, recently.

    Use it under ``staff_required``. A stolen, still-open session cannot export or erase
    without the password and the second factor.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_backoffice_user(request):
            raise PermissionDenied
        if not has_recent_reauth(request):
            url = reverse("backoffice:reauth")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def reauth_record(request) -> None:
    request.session[REAUTH_AT] = now()


# -- staff lockout, stricter than the customers' ------------------------------------------------
# django-axes counts every failed sign-in (the customer limit); this counts wrong passwords and
# wrong codes per staff account and IP address and locks after BACKOFFICE_FAILURE_LIMIT. The
# cache is shared by all app servers when REDIS_URL is set. The key is a hash: no user name or
# IP address in the cache's key space.


def _failure_key(username: str, ip_address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\x00{ip_address}".encode()).hexdigest()
    return f"backoffice:signin-failures:{digest}"


def client_ip(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def failures_count(request, *, username: str) -> int:
    return cache.get(_failure_key(username, client_ip(request)), 0)


def failure_add(request, *, username: str) -> int:
    """Count one failure; returns the new count. The window runs from the first failure."""
    key = _failure_key(username, client_ip(request))
    cache.add(key, 0, timeout=int(_minutes("BACKOFFICE_LOCKOUT_MINUTES")))
    try:
        return cache.incr(key)  # atomic, also across app servers on Redis
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(_minutes("BACKOFFICE_LOCKOUT_MINUTES")))
        return 1


def failures_reset(request, *, username: str) -> None:
    cache.delete(_failure_key(username, client_ip(request)))


def is_locked_out(request, *, username: str) -> bool:
    return failures_count(request, username=username) >= settings.BACKOFFICE_FAILURE_LIMIT
