"""The privacy officer's form for a disclosure to an authority."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pledge.policy.selectors import current_policy


class AuthorityDisclosureForm(forms.Form):
    email = forms.EmailField(
        label=_("Customer's e-mail address"),
        help_text=_("The one customer this disclosure is about."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"))
    legal_ground = forms.CharField(
        label=_("Legal ground"),
        max_length=200,
        help_text=_("The statutory provision of the request, e.g. art. 126nd Sv."),
    )
    case_reference = forms.CharField(
        label=_("Case reference"), max_length=64, help_text=_("The authority's case number.")
    )
    categories = forms.MultipleChoiceField(
        label=_("Data to disclose"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the request names and the policy allows for this recipient."),
    )
    withheld_from_subject = forms.BooleanField(
        label=_("The authority forbids telling the customer"),
        required=False,
        help_text=_("Then this disclosure is not shown in the customer's account."),
    )

    def __init__(self, *args, purposes, categories, **kwargs):
        super().__init__(*args, **kwargs)
        policy = current_policy()
        language = get_language()
        self.fields["purpose"].choices = [(p.id, p.name.get(language)) for p in purposes]
        self.fields["categories"].choices = [
            (c, policy.data_category(c).label.get(language)) for c in categories
        ]
