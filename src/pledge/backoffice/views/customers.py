"""Customer screens: a masked list, and a record that opens only for a stated purpose."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from pledge.accounts.selectors import customer_count, customer_profile, customers_list
from pledge.audit.services import subject_pseudonym_for

from ..purposes import purpose_required
from ..screens import screen_required
from ..security import staff_required

PAGE_SIZE = 50
# Which data category each attribute of a customer profile is (the categories are the
# policy's; this is a fact about the profile's shape, not about the policy).
PROFILE_FIELDS = (
    ("first_name", _("First name"), "user.name.first"),
    ("last_name", _("Last name"), "user.name.last"),
    ("email", _("E-mail address"), "user.contact.email"),
    ("phone", _("Phone number"), "user.contact.phone_number"),
    ("username", _("User name"), "user.account.username"),
    ("language", _("Language"), "user.demographic.language"),
)
ADDRESS_CATEGORY = "user.contact.address"


class _Page:
    """A page of the customer list for Django's paginator, fetching only that page."""

    def __init__(self) -> None:
        self._count = customer_count()

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice):
        return customers_list(limit=window.stop - window.start, offset=window.start)


@never_cache
@staff_required
@screen_required("customers")
def customer_list(request):
    page = Paginator(_Page(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/customer_list.html", {"page": page})


@never_cache
@staff_required
@screen_required("customers")
@purpose_required(kind="customer", data_subject="customer", id_kwarg="user_id")
def customer_record(request, user_id, *, access):
    profile = customer_profile(user_id=user_id)
    if profile.subject_id:
        # A person is named in the audit log by their pseudonym, never by an account id.
        access.object_type, access.object_id = (
            "subject",
            subject_pseudonym_for(subject_id=profile.subject_id),
        )
    else:
        access.object_type, access.object_id = "accounts.user", str(profile.user_id)
    fields = []
    for name, label, category in PROFILE_FIELDS:
        if access.may_show(category):
            access.shown.add(category)
            fields.append((label, getattr(profile, name)))
    addresses = profile.addresses if access.may_show(ADDRESS_CATEGORY) else None
    if addresses is not None:
        access.shown.add(ADDRESS_CATEGORY)
    context = {
        "profile": profile,
        "fields": fields,
        "addresses": addresses,
        "access": access,
        "hidden_count": len(PROFILE_FIELDS) + 1 - len(access.shown),
    }
    return render(request, "backoffice/customer_record.html", context)
