"""Account pages: parse, authorise, call one service or selector, render."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import profile_services, selectors, services
from .forms import (
    AddressForm,
    EmailChangeForm,
    EmailForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegistrationForm,
    SetPasswordForm,
)
from .passwords import password_help
from .sessions import TRACKED
from .tokens import password_reset_token

SECRETS = ("password", "old_password", "new_password1", "new_password2")


def _form_page(request, form, *, title, submit, intro="", status=200, **extra):
    context = {"form": form, "title": title, "submit": submit, "intro": intro, **extra}
    return render(request, "accounts/form.html", context, status=status)


def _message_page(request, *, title, text, status=200, **extra):
    return render(
        request, "accounts/message.html", {"title": title, "text": text, **extra}, status=status
    )


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _user_from_uid(uidb64: str):
    try:
        user_id = urlsafe_base64_decode(uidb64).decode()
        return get_user_model()._default_manager.filter(pk=user_id).first()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, ValidationError):
        return None


def _safe_next(request) -> str:
    """The ``next`` page if it is on this site; anything else is ignored (ASVS V3.7.2)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    ):
        return target
    return ""


# -- registration --


@sensitive_post_parameters(*SECRETS)
@never_cache
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            language=request.LANGUAGE_CODE,
            ip_address=get_client_ip_address(request),
            site_url=_site_url(request),
        )
        return redirect("accounts:register_done")
    return _form_page(
        request,
        form,
        title=_("Create an account"),
        submit=_("Create account"),
        intro=_("We save the username you choose and the e-mail address you give."),
        password_help=password_help(),
    )


def register_done(request):
    return _message_page(
        request,
        title=_("Check your e-mail"),
        text=_(
            "We have sent a message to the address you gave. Follow the link in it to confirm "
            "your address. No message within a few minutes? Check your spam folder."
        ),
    )


@never_cache
def verify_email(request, uidb64, token):
    if request.method == "POST":
        if services.email_verify(user=_user_from_uid(uidb64), token=token):
            return _message_page(
                request,
                title=_("Address confirmed"),
                text=_("Thank you: your e-mail address is confirmed."),
                link=reverse("accounts:overview"),
            )
        return _link_invalid(request)
    return _confirm_page(request, title=_("Confirm your e-mail address"))


def _confirm_page(request, *, title):
    # A button, not the GET itself: mail scanners that open links do not confirm anything.
    return render(request, "accounts/confirm.html", {"title": title})


def _link_invalid(request):
    return _message_page(
        request,
        title=_("This link no longer works"),
        text=_("The link has expired or has been used already. Request a new one."),
        status=400,
    )


@login_required
@require_POST
def verification_resend(request):
    services.verification_resend(
        user=request.user, ip_address=get_client_ip_address(request), site_url=_site_url(request)
    )
    messages.info(request, _("If your address still needs confirming, we have sent a new link."))
    return redirect("accounts:overview")


# -- signing in and out --


@sensitive_post_parameters(*SECRETS)
@never_cache
def login_view(request):
    next_url = _safe_next(request)
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            services.account_login(request=request, user=form.user)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        if form.failed:
            services.login_failed_record(identifier=form.cleaned_data.get("username", ""))
    return _form_page(
        request,
        form,
        title=_("Sign in"),
        submit=_("Sign in"),
        next=next_url,
        login_links=True,
    )


@require_POST
def logout_view(request):
    services.account_logout(request=request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# -- passwords --


@never_cache
def password_reset(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(
            email=form.cleaned_data["email"],
            ip_address=get_client_ip_address(request),
            site_url=_site_url(request),
        )
        return redirect("accounts:password_reset_done")
    return _form_page(
        request,
        form,
        title=_("Forgot your password?"),
        submit=_("Send me a link"),
        intro=_("Enter your e-mail address and we will send you a link to choose a new password."),
    )


def password_reset_done(request):
    return _message_page(
        request,
        title=_("Check your e-mail"),
        text=_(
            "If an account uses this address, we have sent it a link to choose a new password. "
            "The link works for one hour, once."
        ),
    )


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's view (the token leaves the URL before the form shows), our token and service."""

    token_generator = password_reset_token
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        services.password_reset_complete(
            user=self.user, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


def password_reset_complete(request):
    return _message_page(
        request,
        title=_("Password changed"),
        text=_("Your new password is set and every session was signed out. Sign in again."),
        link=reverse("accounts:login"),
    )


@login_required
@sensitive_post_parameters(*SECRETS)
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request=request, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is changed. Other devices are signed out."))
        return redirect("accounts:overview")
    return _form_page(
        request,
        form,
        title=_("Change your password"),
        submit=_("Change password"),
        password_help=password_help(),
    )


# -- my account --


def _customer_only(request) -> None:
    # Staff accounts made with createsuperuser have no vault subject: nothing to edit here.
    if not request.user.subject_id:
        raise Http404


@login_required
def overview(request):
    return render(
        request,
        "accounts/overview.html",
        {"profile": selectors.customer_profile(user_id=request.user.pk)},
    )


@login_required
def profile_edit(request):
    _customer_only(request)
    profile = selectors.customer_profile(user_id=request.user.pk)
    initial = {"first_name": profile.first_name, "last_name": profile.last_name}
    initial["phone"] = profile.phone
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:overview")
    return _form_page(request, form, title=_("Your details"), submit=_("Save"))


@login_required
def address_edit(request, address_id=None):
    _customer_only(request)
    initial = {"country": "NL"}
    if address_id is not None:
        address = selectors.address_for(user_id=request.user.pk, address_id=address_id)
        initial = {"label": address.label, "is_default": address.is_default}
        initial.update(address.postal_address or {})
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        profile_services.address_save(
            user=request.user,
            address_id=address_id,
            label=values.pop("label"),
            is_default=values.pop("is_default"),
            postal_address=values,
        )
        messages.success(request, _("The address is saved."))
        return redirect("accounts:overview")
    title = _("Add an address") if address_id is None else _("Change address")
    return _form_page(request, form, title=title, submit=_("Save"))


@login_required
@require_POST
def address_delete(request, address_id):
    profile_services.address_delete(user=request.user, address_id=address_id)
    messages.success(request, _("The address is deleted."))
    return redirect("accounts:overview")


@login_required
@require_POST
def address_default(request, address_id):
    profile_services.address_make_default(user=request.user, address_id=address_id)
    return redirect("accounts:overview")


@login_required
@sensitive_post_parameters(*SECRETS)
def email_change(request):
    _customer_only(request)
    form = EmailChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.email_change_request(
            user=request.user,
            new_email=form.cleaned_data["new_email"],
            ip_address=get_client_ip_address(request),
            site_url=_site_url(request),
        )
        messages.info(
            request,
            _(
                "We have sent a link to the new address. Until you follow it, we keep using "
                "your current address."
            ),
        )
        return redirect("accounts:overview")
    return _form_page(request, form, title=_("Change your e-mail address"), submit=_("Send link"))


@never_cache
def email_change_confirm(request, uidb64, token):
    if request.method == "POST":
        if services.email_change_confirm(user=_user_from_uid(uidb64), token=token):
            return _message_page(
                request,
                title=_("Address changed"),
                text=_("We now use your new e-mail address."),
                link=reverse("accounts:overview"),
            )
        return _link_invalid(request)
    return _confirm_page(request, title=_("Confirm your new e-mail address"))


@login_required
def sessions_list(request):
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": selectors.sessions_for(user_id=request.user.pk),
            "current_id": request.session.get(TRACKED),
        },
    )


@login_required
@require_POST
def session_end(request, session_id):
    if not services.session_end(user=request.user, session_id=session_id):
        raise Http404
    messages.success(request, _("That session is signed out."))
    return redirect("accounts:sessions")
