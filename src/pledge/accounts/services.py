"""Writes of customer accounts: registration, verification, sign-in, passwords, e-mail change.

Every service that can reveal whether an account exists (registration, password reset) returns
nothing and shows one neutral answer on both paths; what differs happens in a mail, which only
the owner of the address reads (ASVS V6.3.8, no account enumeration). The profile and address
book are written in ``profile_services``.
"""

import logging

from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record, subject_pseudonym_for
from pledge.vault.services import subject_create

from . import sessions
from .mails import account_link, account_mail
from .models import CustomerProfile
from .ratelimit import mail_allowed
from .selectors import user_for_email, user_for_login, user_for_username
from .tokens import email_change_token, email_verification_token, password_reset_token

logger = logging.getLogger(__name__)


def actor(user) -> dict:
    """How the audit log names this account: a customer by pseudonym, staff by id."""
    if user.subject_id and not user.is_staff:
        return {"subject_pseudonym": subject_pseudonym_for(subject_id=user.subject_id)}
    return {"staff_id": user.pk}


def _dummy_hash(password: str) -> None:
    # The path that creates nothing must cost what the path that creates an account costs.
    get_user_model()().set_password(password)


# -- registration and verification --


def account_register(
    *, username: str, email: str, password: str, language: str, ip_address: str, site_url: str
) -> None:
    """Create an account and mail a verification link, or tell the existing owner.

    The visitor sees the same answer either way. A taken username or address sends the owner of
    that account "someone tried to register"; over the rate limit nothing is sent at all.
    """
    if not mail_allowed(action="register", address=email, ip_address=ip_address):
        _dummy_hash(password)
        return
    owners = {user.pk: user for user in (user_for_username(username=username),) if user}
    owner = user_for_email(email=email)
    if owner is not None:
        owners[owner.pk] = owner
    if owners:
        _dummy_hash(password)
        with transaction.atomic():
            for user in owners.values():
                _registration_attempt_mail(user=user, site_url=site_url)
        return
    # The vault commits first: a failure below leaves an unused subject, never a profile
    # without a key.
    subject_id = subject_create()
    try:
        with transaction.atomic():
            user = get_user_model()(
                username=username.strip(), language=language, subject_id=subject_id
            )
            user.set_password(password)
            user.save()
            CustomerProfile.objects.create(user=user, subject_id=subject_id, email=email.strip())
            _verification_mail(user=user, site_url=site_url)
            audit_record(
                action=AuditAction.ACCOUNT_CHANGE,
                **actor(user),
                object_type="subject",
                object_id=actor(user)["subject_pseudonym"],
                details={"change": "registered"},
            )
    except IntegrityError:
        # Someone registered the same name or address a moment ago: that is a taken one.
        logger.info("registration raced with another for the same account")


def _registration_attempt_mail(*, user, site_url: str) -> None:
    profile = user.customer_profile if hasattr(user, "customer_profile") else None
    if profile is None or not profile.email:
        return  # a staff account without a customer profile: nobody to tell by mail
    account_mail(
        user=user,
        to=profile.email,
        template="registration_attempt",
        context={"reset_url": site_url.rstrip("/") + _path("accounts:password_reset", user)},
    )


def _path(view: str, user) -> str:
    with translation.override(user.language):
        return reverse(view)


def _verification_mail(*, user, site_url: str) -> None:
    token = email_verification_token.make_token(user)
    url = account_link(
        site_url=site_url, view="verify_email", user=user, token=token, language=user.language
    )
    account_mail(
        user=user,
        to=user.customer_profile.email,
        template="verify_email",
        context={"verify_url": url},
    )


def verification_resend(*, user, ip_address: str, site_url: str) -> None:
    profile = getattr(user, "customer_profile", None)
    if (
        profile is None
        or profile.email_verified_at
        or not mail_allowed(action="verify", address=profile.email, ip_address=ip_address)
    ):
        return
    with transaction.atomic():
        _verification_mail(user=user, site_url=site_url)


def email_verify(*, user, token: str) -> bool:
    """Mark the address verified when the link is valid; False for a used or expired link."""
    if user is None or not email_verification_token.check_token(user, token):
        return False
    with transaction.atomic():
        profile = CustomerProfile.objects.select_for_update().get(user=user)
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at"])
        audit_record(
            action=AuditAction.ACCOUNT_CHANGE, **actor(user), details={"field": "email_verified"}
        )
    return True


# -- signing in and out --


def account_login(*, request, user) -> None:
    """Sign in (Django gives the session a new key) and record it."""
    with transaction.atomic():
        login(request, user)
        audit_record(action=AuditAction.LOGIN, **actor(user))


def login_failed_record(*, identifier: str) -> None:
    """A failed sign-in, named by the account's pseudonym when the account exists."""
    user = user_for_login(identifier=identifier)
    with transaction.atomic():
        if user is None:
            audit_record(action=AuditAction.LOGIN_FAILED, details={"known_account": False})
        else:
            audit_record(
                action=AuditAction.LOGIN_FAILED, **actor(user), details={"known_account": True}
            )


def account_logout(*, request, reason: str = "user") -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            sessions.session_forget(request=request)
            audit_record(action=AuditAction.LOGOUT, **actor(user), details={"reason": reason})
        logout(request)


def session_end(*, user, session_id) -> bool:
    """End one of the account's own sessions; someone else's is not found (False)."""
    with transaction.atomic():
        deleted, _ = user.account_sessions.filter(pk=session_id).delete()
        if deleted:
            audit_record(
                action=AuditAction.LOGOUT, **actor(user), details={"reason": "ended_remotely"}
            )
    return bool(deleted)


# -- passwords --


def password_reset_request(*, email: str, ip_address: str, site_url: str) -> None:
    """Mail a reset link if the address belongs to an account; the same answer otherwise."""
    if not mail_allowed(action="password_reset", address=email, ip_address=ip_address):
        return
    user = user_for_email(email=email)
    if user is None or not user.is_active:
        return
    token = password_reset_token.make_token(user)
    url = account_link(
        site_url=site_url,
        view="password_reset_confirm",
        user=user,
        token=token,
        language=user.language,
    )
    with transaction.atomic():
        account_mail(
            user=user,
            to=user.customer_profile.email,
            template="password_reset",
            context={"reset_url": url},
        )


def password_reset_complete(*, user, password: str) -> None:
    """Set the new password and end every session of the account (the reset link dies too)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        sessions.sessions_end_others(user=user)
        # The link reached the address, so the address is the customer's: verified too.
        CustomerProfile.objects.filter(user=user, email_verified_at__isnull=True).update(
            email_verified_at=timezone.now()
        )
        _password_changed_mail(user=user)
        audit_record(action=AuditAction.PASSWORD_CHANGE, **actor(user), details={"via": "reset"})


def password_change(*, request, password: str) -> None:
    """Change the signed-in user's password; every other session of theirs is signed out."""
    user = request.user
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        # Keeps this session (with a new key); the others fail Django's session hash check
        # and lose their rows, so they are signed out on their next request.
        update_session_auth_hash(request, user)
        sessions.session_rekey(request=request)
        sessions.sessions_end_others(user=user, keep_id=request.session.get(sessions.TRACKED))
        _password_changed_mail(user=user)
        audit_record(action=AuditAction.PASSWORD_CHANGE, **actor(user), details={"via": "account"})


def _password_changed_mail(*, user) -> None:
    # ASVS V6.2: the owner hears of a change to their credentials, in case it was not them.
    profile = getattr(user, "customer_profile", None)
    if profile is not None and profile.email:
        account_mail(user=user, to=profile.email, template="password_changed")


# -- changing the e-mail address --


def email_change_request(*, user, new_email: str, ip_address: str, site_url: str) -> None:
    """Keep the new address pending and mail a link to it; the old one stays in use until then.

    An address that belongs to another account gets the same answer and no mail.
    """
    new_email = new_email.strip()
    if not mail_allowed(action="email_change", address=new_email, ip_address=ip_address):
        return
    if user_for_email(email=new_email) is not None:
        return
    with transaction.atomic():
        profile = CustomerProfile.objects.select_for_update().get(user=user)
        profile.pending_email = new_email
        profile.pending_email_requested_at = timezone.now()
        profile.save(update_fields=["pending_email", "pending_email_requested_at"])
        user.customer_profile = profile
        token = email_change_token.make_token(user)
        url = account_link(
            site_url=site_url,
            view="email_change_confirm",
            user=user,
            token=token,
            language=user.language,
        )
        account_mail(user=user, to=new_email, template="email_change", context={"verify_url": url})
        account_mail(user=user, to=profile.email, template="email_change_notice")
        audit_record(
            action=AuditAction.ACCOUNT_CHANGE,
            **actor(user),
            details={"field": "email", "change": "requested"},
        )


def email_change_confirm(*, user, token: str) -> bool:
    """Make the pending address the account's address; False for a used or expired link."""
    if user is None or not email_change_token.check_token(user, token):
        return False
    try:
        with transaction.atomic():
            profile = CustomerProfile.objects.select_for_update().get(user=user)
            if not profile.pending_email:
                return False
            profile.email = profile.pending_email
            profile.pending_email = None
            profile.pending_email_requested_at = None
            profile.email_verified_at = timezone.now()
            profile.save()
            audit_record(
                action=AuditAction.ACCOUNT_CHANGE,
                **actor(user),
                details={"field": "email", "change": "verified"},
            )
    except IntegrityError:
        return False  # taken by another account in the meantime
    return True
