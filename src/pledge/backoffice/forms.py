"""Forms of the back office: they validate, the services write."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# A case reference is an order or ticket number ("1042", "T-88", "#1042"): at most four letters
# and eight digits, so it can hold neither a name nor a phone number (a Dutch number has nine
# or more digits) nor an e-mail address. It goes into the audit log, so nothing freer is taken.
CASE_REFERENCE = re.compile(r"#?[A-Za-z]{0,4}-?\d{1,8}")


class StaffLoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", autofocus=True, inputmode="text", spellcheck="false"
        )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=12,
        help_text=_("Enter the 6-digit code your authenticator app shows after scanning."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    code = CodeForm.base_fields["code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code")


class PurposeForm(forms.Form):
    """Why this record is opened: one of the purposes the staff member's roles allow."""

    purpose = forms.ChoiceField(label=_("Purpose"), widget=forms.RadioSelect)
    reference = forms.CharField(
        label=_("Order or ticket number (optional)"),
        required=False,
        max_length=40,
        help_text=_("For example 1042 or T-88. Never a name, e-mail address or phone number."),
    )

    def __init__(self, *args, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(purpose.id, str(purpose.name)) for purpose in purposes]

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        if reference and not CASE_REFERENCE.fullmatch(reference):
            raise forms.ValidationError(
                _(
                    "Enter only an order or ticket number, such as 1042 or T-88 "
                    "(at most 4 letters and 8 digits)."
                ),
                code="not_a_case_reference",
            )
        return reference
