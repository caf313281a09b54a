"""Staff members of the Dutch reference shop, signed in or not, and their customers."""

import secrets
import time

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pledge.accounts.tests.factories import customer_create  # noqa: F401  (re-exported)
from pledge.backoffice import security
from pledge.backoffice.services import staff_role_assign
from pledge.backoffice.two_factor import recovery_codes_issue

PASSWORD = "kantoor-tulpenveld-2026"  # a test password: long and uncommon


def staff_create(*, roles: tuple[str, ...] = (), username: str | None = None, enrolled=True):
    """A staff member with these policy roles and (by default) a confirmed TOTP device."""
    username = username or f"medewerker.{secrets.token_hex(3)}"
    staff = get_user_model().objects.create_user(username, PASSWORD, is_staff=True)
    if roles:
        staff_role_assign(staff_id=staff.pk, role_ids=list(roles))
    if enrolled:
        TOTPDevice.objects.create(user=staff, name="backoffice", confirmed=True)
    return get_user_model().objects.get(pk=staff.pk)


def device_of(staff) -> TOTPDevice:
    return TOTPDevice.objects.get(user=staff)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the staff member's app shows (``steps_ahead`` 30-second steps later)."""
    return f"{totp(device.bin_key, t0=-30 * steps_ahead):06d}"


def recovery_codes_for(staff) -> list[str]:
    return recovery_codes_issue(user=staff)


def signed_in(client, staff, *, reauth_seconds_ago: float | None = None):
    """A client signed in to the back office as if password and code had been given."""
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(staff).persistent_id
    session[security.LAST_SEEN] = time.time()
    if reauth_seconds_ago is not None:
        session[security.REAUTH_AT] = time.time() - reauth_seconds_ago
    session.save()
    return client


def session_shift(client, key: str, *, seconds: float) -> None:
    """Move a session timestamp into the past, as if that much time had gone by."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()
