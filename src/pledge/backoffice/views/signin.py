"""Staff sign-in: password, then a TOTP code (enrolment first when there is no device yet).

The password alone never signs anyone in: after it the session only holds a five-minute
"pending" mark, and ``django.contrib.auth.login`` runs once the code is right.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pledge.audit.models import AuditAction

from .. import security
from ..forms import CodeForm, EnrolmentForm, ReauthForm, StaffLoginForm
from ..selectors import staff_member, staff_member_named
from ..services import staff_event_record
from ..two_factor import (
    second_factor_verify,
    second_factor_wait_seconds,
    totp_device_confirmed,
    totp_enrolment_confirm,
    totp_enrolment_start,
    totp_qr_svg,
    totp_secret,
)


def _dashboard() -> str:
    return reverse("backoffice:dashboard")


def _locked_out(request):
    context = {"lockout_minutes": settings.BACKOFFICE_LOCKOUT_MINUTES}
    return render(request, "backoffice/locked_out.html", context, status=403)


def _failed(request, *, username: str, step: str) -> None:
    """Count a wrong password or code; audit it (by staff id only) and lock at the limit."""
    count = security.failure_add(request, username=username)
    staff = staff_member_named(username=username)
    if staff is None:
        return  # no staff account of that name: nothing to attribute, and no name is logged
    staff_event_record(action=AuditAction.LOGIN_FAILED, staff_id=staff.pk, details={"step": step})
    if count == settings.BACKOFFICE_FAILURE_LIMIT:
        staff_event_record(action=AuditAction.LOCKOUT, staff_id=staff.pk, details={"step": step})


@never_cache
@sensitive_post_parameters("password")
def login_view(request):
    if security.is_backoffice_user(request) and not security.is_idle(request):
        return redirect(security.safe_next(request, _dashboard()))
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if security.is_locked_out(request, username=username):
            return _locked_out(request)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        if user is None or not user.is_staff or not user.is_active:
            _failed(request, username=username, step="password")
            if security.is_locked_out(request, username=username):
                return _locked_out(request)
            # The same words whether the name is unknown, the password wrong or the account
            # no staff account: the page does not tell an attacker which names exist.
            form.add_error(None, _("This user name and password do not match a staff account."))
            return render(request, "backoffice/login.html", {"form": form}, status=400)
        next_path = security.safe_next(request, _dashboard())
        if request.user.is_authenticated and request.user.pk != user.pk:
            logout(request)  # someone else's session in this browser ends here
        security.pending_start(request, user=user)
        request.session["backoffice.next"] = next_path
        step = "code" if totp_device_confirmed(user=user) else "enrol"
        return redirect(reverse(f"backoffice:login_{step}"))
    idle = request.session.pop(security.SIGNED_OUT_IDLE, False)
    context = {
        "form": form,
        "signed_out_idle": idle,
        "idle_minutes": settings.BACKOFFICE_IDLE_MINUTES,
    }
    return render(request, "backoffice/login.html", context)


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many tries in a row: wait %(seconds)d second and enter the current code.",
        "Too many tries in a row: wait %(seconds)d seconds and enter the current code.",
        seconds,
    ) % {"seconds": seconds}


def _pending_user(request):
    pending = security.pending_get(request)
    return staff_member(user_id=pending["user_id"]) if pending else None


def _sign_in(request, user, device):
    """Both factors given: the real sign-in, bound to the device that verified the code."""
    next_path = request.session.pop("backoffice.next", None) or _dashboard()
    # The backend that checked the password at step one signs the session in.
    backend = security.pending_get(request)["backend"]
    security.pending_clear(request)
    security.failures_reset(request, username=user.get_username())
    login(request, user, backend=backend)
    otp_login(request, device)
    security.backoffice_session_start(request)
    factor = "totp" if isinstance(device, TOTPDevice) else "recovery_code"
    staff_event_record(action=AuditAction.LOGIN, staff_id=user.pk, details={"factor": factor})
    return next_path


@never_cache
@sensitive_post_parameters("code")
def code_view(request):
    user = _pending_user(request)
    if user is None:
        return redirect("backoffice:login")
    if totp_device_confirmed(user=user) is None:
        return redirect("backoffice:login_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        if security.is_locked_out(request, username=username):
            security.pending_clear(request)
            return _locked_out(request)
        wait = second_factor_wait_seconds(user=user)
        if wait:
            form.add_error("code", _wait_message(wait))
            return render(request, "backoffice/login_code.html", {"form": form}, status=429)
        device = second_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is None:
            _failed(request, username=username, step="code")
            if security.is_locked_out(request, username=username):
                security.pending_clear(request)
                return _locked_out(request)
            form.add_error("code", _("This code is not right. Try the current code from your app."))
            return render(request, "backoffice/login_code.html", {"form": form}, status=400)
        return redirect(_sign_in(request, user, device))
    return render(request, "backoffice/login_code.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
def enrol_view(request):
    user = _pending_user(request)
    if user is None:
        return redirect("backoffice:login")
    if totp_device_confirmed(user=user) is not None:
        return redirect("backoffice:login_code")
    device = totp_enrolment_start(user=user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        if security.is_locked_out(request, username=username):
            security.pending_clear(request)
            return _locked_out(request)
        wait = second_factor_wait_seconds(user=user, enrolling=True)
        codes = None if wait else totp_enrolment_confirm(user=user, token=form.cleaned_data["code"])
        if wait:
            form.add_error("code", _wait_message(wait))
        elif codes is None:
            _failed(request, username=username, step="enrolment")
            form.add_error("code", _("This code is not right. Scan the QR code again and retry."))
        else:
            next_path = _sign_in(request, user, totp_device_confirmed(user=user))
            # Shown once, in this response only: they are not kept anywhere we display again.
            return render(
                request, "backoffice/recovery_codes.html", {"codes": codes, "next": next_path}
            )
    context = {
        "form": form,
        "qr_svg": totp_qr_svg(device),
        "secret": totp_secret(device),
    }
    return render(request, "backoffice/enrol.html", context, status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    if request.user.is_authenticated and request.user.is_staff:
        staff_event_record(action=AuditAction.LOGOUT, staff_id=request.user.pk)
    logout(request)
    messages.info(request, _("You have signed out of the back office."))
    return redirect("backoffice:login")


@never_cache
@sensitive_post_parameters("password", "code")
def reauth_view(request):
    """Password and code again before a sensitive action (see ``security.reauth_required``)."""
    user = request.user
    form = ReauthForm(request.POST or None)
    next_path = security.safe_next(request, _dashboard())
    if request.method == "POST" and form.is_valid():
        username = user.get_username()
        if security.is_locked_out(request, username=username):
            staff_event_record(
                action=AuditAction.LOGOUT, staff_id=user.pk, details={"reason": "lockout"}
            )
            logout(request)
            return _locked_out(request)
        password_ok = user.check_password(form.cleaned_data["password"])
        device = (
            second_factor_verify(user=user, token=form.cleaned_data["code"])
            if password_ok
            else None
        )
        if device is None:
            _failed(request, username=username, step="reauth")
            form.add_error(None, _("The password or the code is not right."))
        else:
            security.reauth_record(request)
            return redirect(next_path)
    context = {"form": form, "next": next_path}
    return render(request, "backoffice/reauth.html", context, status=400 if form.errors else 200)
