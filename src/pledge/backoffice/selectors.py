"""Reads of the back office: what a staff member's roles allow, by the policy.

A staff member's roles are their groups named after a policy role. Purposes come from the
``backoffice.purpose_<id>`` permissions those groups hold (kept in sync with the policy by
``roles_sync``); data categories come from the roles in the policy. Being a Django superuser
grants nothing here: back-office access follows the roles alone (least privilege).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from pledge.policy.schema import Purpose, Role
from pledge.policy.selectors import current_policy

from .services import PURPOSE_PERMISSION_PREFIX


def staff_roles(*, user) -> list[Role]:
    if not (user.is_authenticated and user.is_staff):
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in current_policy().roles if role.id in names]


def staff_purpose_ids(*, user) -> frozenset[str]:
    """The purposes this person may work for: the purpose permissions of their groups."""
    if not (user.is_authenticated and user.is_staff and user.is_active):
        return frozenset()
    cached = getattr(user, "_backoffice_purposes", None)
    if cached is None:
        codenames = Permission.objects.filter(
            Q(group__user=user) | Q(user=user),
            content_type__app_label="backoffice",
            codename__startswith=PURPOSE_PERMISSION_PREFIX,
        ).values_list("codename", flat=True)
        cached = frozenset(name.removeprefix(PURPOSE_PERMISSION_PREFIX) for name in codenames)
        user._backoffice_purposes = cached
    return cached


def staff_purposes(*, user) -> list[Purpose]:
    allowed = staff_purpose_ids(user=user)
    return [purpose for purpose in current_policy().purposes if purpose.id in allowed]


def staff_data_categories(*, user) -> frozenset[str]:
    categories: set[str] = set()
    for role in staff_roles(user=user):
        categories.update(role.data_categories)
    return frozenset(categories)


def visible_categories(*, user, purpose_id: str) -> frozenset[str]:
    """What this person may see when working for this purpose: both their role and the purpose
    must cover a data category (Art. 5(1)(b)-(c): purpose limitation, data minimisation)."""
    if purpose_id not in staff_purpose_ids(user=user):
        return frozenset()
    purpose = current_policy().purpose(purpose_id)
    return staff_data_categories(user=user) & frozenset(purpose.data_categories)


def purposes_for_subject(*, user, data_subject: str) -> list[Purpose]:
    """The purposes this person may choose to open a record of this kind of data subject."""
    return [
        purpose
        for purpose in staff_purposes(user=user)
        if data_subject in purpose.data_subjects
        and visible_categories(user=user, purpose_id=purpose.id)
    ]


def delivery_address_visible(*, user, order_is_open: bool) -> bool:
    """Hook for the orders screens: fulfilment sees a delivery address for an open order only.

    True when the order is still open and the person may work for a purpose that covers
    addresses (in the Pixeljet policy: fulfilment and the privacy officer via order handling).
    """
    if not order_is_open:
        return False
    return any(
        "user.contact.address" in visible_categories(user=user, purpose_id=purpose_id)
        for purpose_id in staff_purpose_ids(user=user)
    )


def staff_member_named(*, username: str):
    """The active staff account with this user name, or None (for audit ids on failures)."""
    return (
        get_user_model()
        .objects.filter(username__iexact=(username or "").strip(), is_staff=True, is_active=True)
        .first()
    )


def staff_member(*, user_id):
    return get_user_model().objects.filter(pk=user_id, is_staff=True, is_active=True).first()
