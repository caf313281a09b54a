"""Reads of customer accounts, for this app's pages and for the back office.

Other apps get plain frozen data, never model instances: they cannot save what they read, and
a shredded value comes through as ``ERASED`` (falsy, shown as "[erased]").
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404

from pledge.vault.blind_index import lookup_index
from pledge.vault.keys import key_scope, keys_prefetch

from .models import AccountSession, Address
from .models import CustomerProfile as ProfileRow

ADDRESS_FIELDS = ("name", "street", "house_number", "postal_code", "city", "country")


@dataclass(frozen=True, kw_only=True)
class CustomerProfile:
    """A customer as the back office and "My account" show them."""

    user_id: uuid.UUID
    subject_id: uuid.UUID | None
    username: str
    email: str
    first_name: str
    last_name: str
    phone: str
    addresses: list[dict] = field(default_factory=list)
    language: str
    date_joined: datetime
    email_verified: bool
    pending_email: str = ""


def _address_dict(address: Address) -> dict:
    postal = address.postal_address
    if postal is None:
        postal = {}
    return {
        "id": address.id,
        "label": address.label,
        "is_default": address.is_default,
        # An erased address reads ERASED in every part (ERASED.get gives ERASED).
        **{name: postal.get(name, "") for name in ADDRESS_FIELDS},
    }


def _profile(user, row: ProfileRow | None, addresses: list[Address]) -> CustomerProfile:
    return CustomerProfile(
        user_id=user.id,
        subject_id=user.subject_id,
        username=user.username,
        email=row.email if row else "",
        first_name=row.first_name if row else "",
        last_name=row.last_name if row else "",
        phone=row.phone if row else "",
        addresses=[_address_dict(address) for address in addresses],
        language=user.language,
        date_joined=user.date_joined,
        email_verified=bool(row and row.email_verified_at),
        pending_email=(row.pending_email or "") if row else "",
    )


def customer_profile(*, user_id) -> CustomerProfile:
    """One customer's profile with their address book; ``Http404`` when there is none."""
    user = (
        get_user_model()
        .objects.filter(pk=user_id)
        .select_related("customer_profile")
        .prefetch_related("addresses")
        .first()
    )
    if user is None:
        raise Http404
    return _profile(user, getattr(user, "customer_profile", None), list(user.addresses.all()))


def customers_list(*, limit: int = 50, offset: int = 0) -> list[CustomerProfile]:
    """A page of customers, newest first, with their keys fetched in one query."""
    users = list(
        get_user_model()
        .objects.filter(is_staff=False)
        .select_related("customer_profile")
        .prefetch_related("addresses")
        .order_by("-date_joined", "id")[offset : offset + limit]
    )
    with key_scope():
        keys_prefetch(user.subject_id for user in users if user.subject_id)
        return [
            _profile(user, getattr(user, "customer_profile", None), list(user.addresses.all()))
            for user in users
        ]


def customer_count() -> int:
    return get_user_model().objects.filter(is_staff=False).count()


# -- this app's own reads --


def user_for_email(*, email: str):
    """The account whose (verified or not) current address this is, or None."""
    row = (
        ProfileRow.objects.filter(email_index=lookup_index(ProfileRow, "email_index", email))
        .select_related("user")
        .first()
    )
    return row.user if row else None


def user_for_login(*, identifier: str):
    """The account a login name points at: an e-mail address when it has an @, else a username.

    Usernames cannot contain "@" (the registration form refuses it), so the two never clash.
    """
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return user_for_email(email=identifier)
    users = get_user_model().objects
    return (
        users.filter(username=identifier).first()
        or users.filter(username__iexact=identifier).first()
    )


def user_for_username(*, username: str):
    """The account with this username, in any letter case (they count as one)."""
    return get_user_model().objects.filter(username__iexact=username.strip()).first()


def profile_row_for(*, user_id) -> ProfileRow | None:
    return ProfileRow.objects.filter(user_id=user_id).first()


def address_for(*, user_id, address_id) -> Address:
    """One address of this user; someone else's address is a 404, as if it did not exist."""
    address = Address.objects.filter(user_id=user_id, pk=address_id).first()
    if address is None:
        raise Http404
    return address


def sessions_for(*, user_id) -> list[AccountSession]:
    return list(AccountSession.objects.filter(user_id=user_id))
