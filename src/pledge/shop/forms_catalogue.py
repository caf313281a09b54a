"""Forms of the catalogue, the cart and the back-office product screen.

The cart forms take a product id and a quantity, nothing else: a price (or anything else) a
browser sends along is never read, the price always comes from the database.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from pledge.policy.selectors import current_policy

from .catalogue import supplier_ids
from .catalogue_selectors import MAX_QUANTITY, localized, product_slug_taken
from .images import ALLOWED_FORMATS, image_ingest
from .models import Category, VatRate

QUANTITY_ERRORS = {
    "required": _("Enter a quantity."),
    "invalid": _("Enter a whole number as the quantity."),
    "min_value": _("Enter a quantity of at least %(limit_value)s."),
    "max_value": _("At most %(limit_value)s fit in one order."),
}
PRODUCT_ERRORS = {
    "required": _("Choose a product."),
    "invalid": _("Choose a product."),
    "min_value": _("Choose a product."),
}


class CartAddForm(forms.Form):
    product = forms.IntegerField(
        min_value=1, widget=forms.HiddenInput, error_messages=PRODUCT_ERRORS
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        error_messages=QUANTITY_ERRORS,
    )


class CartUpdateForm(forms.Form):
    product = forms.IntegerField(
        min_value=1, widget=forms.HiddenInput, error_messages=PRODUCT_ERRORS
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS
    )


class CartRemoveForm(forms.Form):
    product = forms.IntegerField(
        min_value=1, widget=forms.HiddenInput, error_messages=PRODUCT_ERRORS
    )


def _supplier_choices() -> list[tuple[str, str]]:
    policy = current_policy()
    return [("", _("None: we make it ourselves"))] + [
        (recipient_id, policy.recipient(recipient_id).name) for recipient_id in supplier_ids()
    ]


class ProductForm(forms.Form):
    # Django 6.1's own blank label ("- Select an option -") has no Dutch translation yet.
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), label=_("Category"), empty_label=_("Choose a category")
    )
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=150)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150)
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    price = forms.DecimalField(
        label=_("Price in euros, including VAT"), min_value=0, max_digits=10, decimal_places=2
    )
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=VatRate.choices)
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1_000_000)
    personalised = forms.BooleanField(
        label=_("Made to the customer's specification (no right of withdrawal, BW 6:230p f)"),
        required=False,
    )
    supplier = forms.ChoiceField(label=_("Drop-shipped by"), required=False)
    image_alt_nl = forms.CharField(
        label=_("Picture description (Dutch)"), max_length=200, required=False
    )
    image_alt_en = forms.CharField(
        label=_("Picture description (English)"), max_length=200, required=False
    )
    is_active = forms.BooleanField(label=_("For sale"), required=False, initial=True)
    position = forms.IntegerField(
        label=_("Position in its category"), min_value=0, max_value=32767, initial=0
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = _supplier_choices()
        self.fields["category"].label_from_instance = lambda category: localized(
            category.name_nl, category.name_en
        )

    def product_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["category_id"] = values.pop("category").pk
        return values


class ProductCreateForm(ProductForm):
    slug = forms.SlugField(
        label=_("Web address name"),
        max_length=50,
        help_text=_("Lower-case letters, digits and hyphens, e.g. canvas-40x60."),
    )
    field_order = ["slug"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if product_slug_taken(slug=slug):
            raise forms.ValidationError(_("Another product already has this web address name."))
        return slug


class ProductImageForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f"image/{name.lower()}" for name in ALLOWED_FORMATS)}
        ),
    )

    def clean_image(self):
        # Checked and re-encoded here; the view stores the result (catalogue.product_image_store).
        self.cleaned_data["picture"] = image_ingest(self.cleaned_data["image"])
        return self.cleaned_data["image"]
