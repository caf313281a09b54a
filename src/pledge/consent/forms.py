from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue import optional_categories

CHOICES = ("accept_all", "reject_all", "save", "settings", "gpc")


class ConsentChoiceForm(forms.Form):
    """A banner button or the settings form: ``choice`` plus, for "save", the ticked categories.

    Unticked is refused: no box is ever pre-ticked (CJEU Planet49, C-673/17).
    """

    choice = forms.ChoiceField(
        choices=[(c, c) for c in CHOICES],
        error_messages={"invalid_choice": _("Choose Accept all, Reject all or Save my choice.")},
    )
    categories = forms.MultipleChoiceField(required=False, choices=())
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c, c) for c in optional_categories()]
        self.fields["categories"].error_messages["invalid_choice"] = _(
            "That cookie category does not exist. Please choose from the list."
        )
