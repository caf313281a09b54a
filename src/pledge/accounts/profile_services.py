"""Writes of "My account": the customer's names, phone number and address book.

Each change is an ``account_change`` audit event naming the fields that changed, never their
values. Addresses are looked up by owner and id together, so another customer's address is
"not found" rather than "not yours".
"""

from django.db import transaction
from django.http import Http404

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record

from .models import Address, CustomerProfile
from .selectors import ADDRESS_FIELDS
from .services import actor

PROFILE_FIELDS = ("first_name", "last_name", "phone")


def profile_update(*, user, first_name: str, last_name: str, phone: str) -> list[str]:
    """Save the names and phone number; returns the fields that changed."""
    values = {"first_name": first_name, "last_name": last_name, "phone": phone}
    with transaction.atomic():
        profile = CustomerProfile.objects.select_for_update().get(user=user)
        changed = [name for name in PROFILE_FIELDS if getattr(profile, name) != values[name]]
        if not changed:
            return []
        for name in changed:
            setattr(profile, name, values[name])
        profile.save(update_fields=changed)
        audit_record(action=AuditAction.ACCOUNT_CHANGE, **actor(user), details={"fields": changed})
    return changed


def address_save(
    *, user, address_id=None, label: str, postal_address: dict, is_default: bool
) -> Address:
    """Add an address to the book, or change one of the user's own (404 for anyone else's)."""
    postal = {name: str(postal_address.get(name, "")).strip() for name in ADDRESS_FIELDS}
    with transaction.atomic():
        if address_id is None:
            # user_id, not user: request.user is a lazy object the database router cannot type.
            address = Address(user_id=user.pk, subject_id=user.subject_id)
            change = "added"
        else:
            address = Address.objects.select_for_update().filter(user=user, pk=address_id).first()
            if address is None:
                raise Http404
            change = "changed"
        first = not Address.objects.filter(user=user).exclude(pk=address.pk).exists()
        make_default = is_default or first
        if make_default:
            Address.objects.filter(user=user, is_default=True).exclude(pk=address.pk).update(
                is_default=False
            )
        address.label = label.strip()
        address.postal_address = postal
        address.is_default = make_default or (address.is_default and address_id is not None)
        address.save()
        audit_record(
            action=AuditAction.ACCOUNT_CHANGE,
            **actor(user),
            object_type="accounts.address",
            object_id=address.pk,
            details={"field": "address_book", "change": change},
        )
    return address


def address_delete(*, user, address_id) -> None:
    with transaction.atomic():
        address = Address.objects.select_for_update().filter(user=user, pk=address_id).first()
        if address is None:
            raise Http404
        was_default = address.is_default
        address.delete()
        if was_default:
            # The book keeps a default as long as it has addresses: checkout starts from it.
            successor = Address.objects.filter(user=user).order_by("created_at").first()
            if successor is not None:
                Address.objects.filter(pk=successor.pk).update(is_default=True)
        audit_record(
            action=AuditAction.ACCOUNT_CHANGE,
            **actor(user),
            object_type="accounts.address",
            object_id=address_id,
            details={"field": "address_book", "change": "deleted"},
        )


def address_make_default(*, user, address_id) -> None:
    with transaction.atomic():
        address = Address.objects.select_for_update().filter(user=user, pk=address_id).first()
        if address is None:
            raise Http404
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
        Address.objects.filter(pk=address.pk).update(is_default=True)
        audit_record(
            action=AuditAction.ACCOUNT_CHANGE,
            **actor(user),
            object_type="accounts.address",
            object_id=address.pk,
            details={"field": "address_book", "change": "default"},
        )
