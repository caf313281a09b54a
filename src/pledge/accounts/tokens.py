"""Signed, expiring, single-use links: e-mail verification, e-mail change, password reset.

Each is Django's ``PasswordResetTokenGenerator`` (an HMAC over the account's state and a
timestamp, keyed by SECRET_KEY) with its own salt and lifetime. The URL carries the account id
and the token, never the e-mail address. A token stops working once the state it was made from
changes: the password for a reset, the verification date for a verification, the pending
address for a change. That is what makes them single-use.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int


class _ExpiringToken(PasswordResetTokenGenerator):
    setting = ""

    def check_token(self, user, token) -> bool:
        if not super().check_token(user, token):
            return False
        issued = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - issued <= getattr(settings, self.setting)


class PasswordResetToken(_ExpiringToken):
    """Invalid after the password changes or the next sign-in (Django's own hash value)."""

    key_salt = "pledge.accounts.tokens.PasswordResetToken"
    setting = "ACCOUNTS_PASSWORD_RESET_SECONDS"


class EmailVerificationToken(_ExpiringToken):
    key_salt = "pledge.accounts.tokens.EmailVerificationToken"
    setting = "ACCOUNTS_VERIFY_EMAIL_SECONDS"

    def _make_hash_value(self, user, timestamp) -> str:
        profile = user.customer_profile
        return f"{user.pk}{profile.email_index}{profile.email_verified_at}{timestamp}"


class EmailChangeToken(_ExpiringToken):
    key_salt = "pledge.accounts.tokens.EmailChangeToken"
    setting = "ACCOUNTS_VERIFY_EMAIL_SECONDS"

    def _make_hash_value(self, user, timestamp) -> str:
        profile = user.customer_profile
        requested = profile.pending_email_requested_at
        return f"{user.pk}{profile.pending_email}{requested}{profile.email_index}{timestamp}"


password_reset_token = PasswordResetToken()
email_verification_token = EmailVerificationToken()
email_change_token = EmailChangeToken()
