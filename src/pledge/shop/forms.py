"""Forms of checkout, "My account" and the back-office order screens: they validate; the
services write. Prices and quantities are never form fields: the server reads them itself."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The address book's own form, so a delivery address typed at checkout is checked exactly as
# one typed in "My account" (one copy of the postal-code rules).
from pledge.accounts.forms import AddressForm

from .catalogue_selectors import price_format
from .checkout import in_language

NEW_ADDRESS = "new"


class CheckoutForm(forms.Form):
    """Delivery address, delivery method and payment method: the choices before the review."""

    address = forms.ChoiceField(
        label=_("Delivery address"), widget=forms.RadioSelect, required=False
    )
    delivery = forms.ChoiceField(label=_("Delivery method"), widget=forms.RadioSelect)
    payment = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, addresses, delivery_methods, payment_methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery_methods = {method.code: method for method in delivery_methods}
        self.fields["address"].choices = [
            (str(address["id"]), _address_label(address)) for address in addresses
        ] + [(NEW_ADDRESS, _("A new address"))]
        self.fields["delivery"].choices = [
            (method.code, _delivery_label(method)) for method in delivery_methods
        ]
        self.fields["payment"].choices = [(method.code, method.label) for method in payment_methods]
        self.new_address = AddressForm(self.data or None, prefix=NEW_ADDRESS)
        self.new_address.fields["label"].initial = ""
        self.new_address.fields["is_default"].initial = not addresses

    def clean(self):
        cleaned = super().clean()
        method = self.delivery_methods.get(cleaned.get("delivery", ""))
        if method is None or not method.needs_address:
            cleaned["address"] = ""
            return cleaned
        if not cleaned.get("address"):
            self.add_error("address", _("Choose a delivery address."))
        elif cleaned["address"] == NEW_ADDRESS and not self.new_address.is_valid():
            self.add_error("address", _("Check the new address below."))
        return cleaned


def _delivery_label(method) -> str:
    # gettext outside the f-string: xgettext does not look inside one, so "free" would never
    # reach the catalogue and the Dutch page would say "(free)".
    price = price_format(method.price) if method.price else _("free")
    return f"{in_language(method.name_nl, method.name_en)} ({price})"


def _address_label(address: dict) -> str:
    parts = [
        address["name"],
        f"{address['street']} {address['house_number']}",
        f"{address['postal_code']} {address['city']}",
    ]
    return ", ".join(str(part) for part in parts)


class PlaceOrderForm(forms.Form):
    """The order button's form: which checkout, which reviewed quote, terms accepted."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    review_digest = forms.CharField(max_length=64, widget=forms.HiddenInput)
    terms = forms.BooleanField(
        label=_(
            "I have read the terms and conditions and the information on the right of withdrawal."
        ),
        error_messages={"required": _("Please accept the terms and conditions to order.")},
    )


class ShipForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Track-and-trace code"),
        max_length=64,
        required=False,
        help_text=_("Required for parcels; leave empty for collection at the shop."),
    )

    def clean_tracking_code(self) -> str:
        code = "".join(self.cleaned_data["tracking_code"].split()).upper()
        if code and not code.isalnum():
            raise ValidationError(_("A track-and-trace code has letters and digits only."))
        return code


class ReviewPreferenceForm(forms.Form):
    objected = forms.BooleanField(
        label=_("Do not send me invitations to write a review."), required=False
    )
