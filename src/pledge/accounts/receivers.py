"""Reactions to sign-in events from Django and django-axes (connected in ``apps.py``).

Every way of signing in (this app's form, the back office, the admin, a test client's
``force_login``) gets a session row, so every session can be listed and ended.
"""

from django.db import transaction

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record

from . import sessions
from .backends import account_id_from_axes_username


def track_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.session_track(request=request, user=user)


def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """django-axes locked an account+IP out: an audit event, naming the account if known."""
    from django.contrib.auth import get_user_model

    from .services import actor

    account_id = account_id_from_axes_username(username or "")
    user = get_user_model().objects.filter(pk=account_id).first() if account_id else None
    with transaction.atomic():
        audit_record(
            action=AuditAction.LOCKOUT,
            **(actor(user) if user else {}),
            details={"known_account": user is not None},
        )
