"""Staff second factor: TOTP devices (enrolment, verification) and single-use recovery codes.

Every staff sign-in needs a code from a confirmed TOTP device or one recovery code. The codes
django-otp keeps for recovery are deleted when used, so each works once.
"""

import base64
import math
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pledge.policy.selectors import current_policy

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
DEVICE_NAME = "backoffice"


def totp_device_confirmed(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device being enrolled, made once and reused until it is confirmed.

    Reusing it means a reload of the enrolment page does not invalidate the code already
    scanned into the staff member's app.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user_id=user.pk, name=DEVICE_NAME, confirmed=False)
        return device


def totp_enrolment_confirm(*, user, token: str) -> list[str] | None:
    """Confirm the enrolling device with a code from it; returns new recovery codes, or None."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
        )
        if device is None or not device.verify_token(_digits(token)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One device per staff member: an older confirmed one would be a second way in.
        TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
        return recovery_codes_issue(user=user)


def recovery_codes_issue(*, user) -> list[str]:
    """Fresh recovery codes, replacing any earlier ones; shown to the staff member once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user_id=user.pk, name=DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        return codes


def second_factor_verify(*, user, token: str):
    """The device that accepts this code (a TOTP code or an unused recovery code), or None.

    Six digits go to the TOTP device, anything else to the recovery codes, so a recovery code
    does not count as a wrong TOTP code (which would slow down the next real one).
    """
    token = (token or "").strip().lower().replace(" ", "").replace("-", "")
    if not token:
        return None
    # TOTP codes have 6 digits (django-otp's default, which enrolment uses); recovery codes 8
    # characters of base 32.
    is_totp = token.isdigit() and len(token) == TOTP_DIGITS
    model = TOTPDevice if is_totp else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user_id=user.pk, confirmed=True):
            if device.verify_token(token):
                return device
    return None


def second_factor_wait_seconds(*, user, enrolling: bool = False) -> int:
    """Seconds before django-otp accepts another code (its back-off after a wrong one), or 0.

    Asked before checking a code, so a right code typed too soon is not reported as wrong.
    """
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=not enrolling).first()
    if device is None:
        return 0
    allowed, reason = device.verify_is_allowed()
    if allowed or not reason or "locked_until" not in reason:
        return 0
    return max(1, math.ceil((reason["locked_until"] - timezone.now()).total_seconds()))


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def totp_setup_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app reads; the issuer is the shop in the policy."""
    issuer = current_policy().controller.name.replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    parameters = urlencode(
        {
            "secret": totp_secret(device),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{parameters}&issuer={quote(issuer)}"


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> SafeString:
    """The QR code as inline SVG, drawn here: the secret never goes to a QR web service."""
    svg = segno.make(totp_setup_uri(device), error="m").svg_inline(
        scale=5, title="QR", svgclass="totp-qr", lineclass="totp-qr__line"
    )
    return mark_safe(svg)  # noqa: S308  (segno's own markup; the URI is escaped inside it)


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())
