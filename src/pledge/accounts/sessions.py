"""Which sessions an account has, so its owner can see them and end any of them.

A row holds a keyed hash of the session key, never the key itself. The session guard middleware
signs a session out once its row is gone, which is how "log out that device" and "log out
everywhere after a password change" work for any session backend.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import AccountSession

TRACKED = "_accounts_session"  # session key: this session has a row
SIGNED_IN_AT = "_accounts_signed_in_at"
SEEN_AT = "_accounts_seen_at"
_TOUCH_EVERY = timedelta(minutes=1)  # last_seen is for people, a minute is precise enough


def session_key_hash(session_key: str) -> str:
    return salted_hmac("pledge.accounts.session", session_key, algorithm="sha256").hexdigest()


def user_agent_summary(user_agent: str) -> str:
    """ "Firefox on Linux": enough to recognise a device, too little to fingerprint it."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in ua
        ),
        "",
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iOS"),
                ("iPad", "iPadOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    return " / ".join(part for part in (browser, system) if part)[:80]


def session_track(*, request, user) -> AccountSession:
    """Record the session just signed in (Django has already given it a fresh key)."""
    session = request.session
    if session.session_key is None:
        session.save()
    now = timezone.now()
    # Sessions that ended by expiry, not by logout, are forgotten here (retention: session_end).
    AccountSession.objects.filter(
        user=user, last_seen_at__lt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()
    row, _ = AccountSession.objects.update_or_create(
        session_key_hash=session_key_hash(session.session_key),
        defaults={
            "user": user,
            "user_agent_summary": user_agent_summary(request.META.get("HTTP_USER_AGENT", "")),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    session[TRACKED] = str(row.pk)
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
    return row


def session_rekey(*, request) -> None:
    """The session got a new key (password change): its row follows it."""
    row_id = request.session.get(TRACKED)
    if row_id and request.session.session_key:
        AccountSession.objects.filter(pk=row_id).update(
            session_key_hash=session_key_hash(request.session.session_key)
        )


def session_forget(*, request) -> None:
    row_id = request.session.get(TRACKED)
    if row_id:
        AccountSession.objects.filter(pk=row_id).delete()


def session_row_current(*, request) -> AccountSession | None:
    row_id = request.session.get(TRACKED)
    key = request.session.session_key
    if not row_id or not key:
        return None
    return AccountSession.objects.filter(
        pk=row_id, session_key_hash=session_key_hash(key), user_id=request.user.pk
    ).first()


def session_touch(*, row: AccountSession) -> None:
    now = timezone.now()
    if now - row.last_seen_at >= _TOUCH_EVERY:
        AccountSession.objects.filter(pk=row.pk).update(last_seen_at=now)


def sessions_end_others(*, user, keep_id=None) -> int:
    """End every session of the account except ``keep_id``: they sign out on their next request."""
    others = AccountSession.objects.filter(user=user)
    if keep_id:
        others = others.exclude(pk=keep_id)
    return others.delete()[0]
