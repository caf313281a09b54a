"""Forms of the account pages: they validate; the services write."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .passwords import MAX_LENGTH, password_check

USERNAME = re.compile(r"[\w.-]{3,150}")
PHONE = re.compile(r"\+?[0-9 ()-]{6,25}")
DUTCH_POSTAL_CODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
COUNTRIES = [
    ("NL", _("Netherlands")),
    ("BE", _("Belgium")),
    ("DE", _("Germany")),
    ("LU", _("Luxembourg")),
    ("FR", _("France")),
]


def _password_field(label, autocomplete="new-password"):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class RegistrationForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("3 to 150 letters, digits, dots, hyphens or underscores."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password_field(_("Password"))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not USERNAME.fullmatch(username):
            raise ValidationError(
                _("Use 3 to 150 letters, digits, dots, hyphens or underscores."), code="username"
            )
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            try:
                password_check(
                    password, username=cleaned.get("username", ""), email=cleaned.get("email", "")
                )
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(forms.Form):
    """Checks the credentials, as Django's ``AuthenticationForm`` does; one answer for all."""

    username = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = _password_field(_("Password"), autocomplete="current-password")

    def __init__(self, *args, request=None, **kwargs) -> None:
        self.request = request
        self.user = None
        self.failed = False
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None:
                self.failed = True
                raise ValidationError(
                    _("That username or e-mail address and password do not match an account."),
                    code="invalid_login",
                )
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SetPasswordForm(forms.Form):
    """A new password, typed twice, checked against the account's own details."""

    new_password1 = _password_field(_("New password"))
    new_password2 = _password_field(_("New password again"))

    def __init__(self, user, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            profile = getattr(self.user, "customer_profile", None)
            try:
                password_check(
                    first,
                    username=self.user.username,
                    email=profile.email if profile else "",
                    first_name=profile.first_name if profile else "",
                    last_name=profile.last_name if profile else "",
                )
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned

    def save(self, commit=True):  # Django's reset view calls this; ours calls the service
        raise NotImplementedError("write through pledge.accounts.services")


class PasswordChangeForm(SetPasswordForm):
    old_password = _password_field(_("Current password"), autocomplete="current-password")
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(_("Your current password is not correct."), code="wrong")
        return old


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=25,
        required=False,
        help_text=_("For example +31 6 1234 5678."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        digits = sum(c.isdigit() for c in phone)
        if phone and (not PHONE.fullmatch(phone) or not 8 <= digits <= 15):
            raise ValidationError(
                _("Enter a phone number of 8 to 15 digits, e.g. +31 6 1234 5678."), code="phone"
            )
        return phone


class AddressForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=50,
        required=False,
        help_text=_("For example Home or Work."),
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    street = forms.CharField(label=_("Street"), max_length=150)
    house_number = forms.CharField(label=_("House number"), max_length=20)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="NL")
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)

    def clean(self):
        cleaned = super().clean()
        code, country = cleaned.get("postal_code", ""), cleaned.get("country")
        if code and country == "NL":
            match = DUTCH_POSTAL_CODE.fullmatch(code.strip())
            if match is None:
                self.add_error(
                    "postal_code", _("A Dutch postal code is four digits and two letters.")
                )
            else:
                cleaned["postal_code"] = f"{match[1]} {match[2].upper()}"
        return cleaned


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password_field(_("Current password"), autocomplete="current-password")

    def __init__(self, user, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Your current password is not correct."), code="wrong")
        return password
