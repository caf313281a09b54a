"""Writes of the back office: staff roles as groups, role assignment, staff sign-in events.

The policy's ``[[roles]]`` are the only definition of a role. ``roles_sync`` turns each into a
Django group holding one permission per purpose (``backoffice.purpose_<purpose id>``), so the
usual ``user.has_perm`` answers "may this person work for this purpose?".
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction

from pledge.audit.models import AuditAction
from pledge.audit.services import audit_record
from pledge.policy.selectors import current_policy

from .models import PurposeAccess

PURPOSE_PERMISSION_PREFIX = "purpose_"


def purpose_codename(purpose_id: str) -> str:
    return f"{PURPOSE_PERMISSION_PREFIX}{purpose_id}"


def roles_sync(*, using: str = "default") -> None:
    """Make the groups and their purpose permissions match the policy's roles; idempotent.

    A purpose removed from a role loses its permission in that group, a role removed from the
    policy loses its group, and a purpose no role names any more loses its permission.
    """
    policy = current_policy()
    with transaction.atomic(using=using):
        content_type = ContentType.objects.db_manager(using).get_for_model(
            PurposeAccess, for_concrete_model=True
        )
        permissions = {}
        for purpose in policy.purposes:
            permission, _ = Permission.objects.using(using).update_or_create(
                content_type=content_type,
                codename=purpose_codename(purpose.id),
                defaults={"name": f"Work for the purpose {purpose.id}"[:255]},
            )
            permissions[purpose.id] = permission
        Permission.objects.using(using).filter(content_type=content_type).exclude(
            pk__in=[permission.pk for permission in permissions.values()]
        ).delete()

        role_ids = {role.id for role in policy.roles}
        for role in policy.roles:
            group, _ = Group.objects.using(using).get_or_create(name=role.id)
            group.permissions.set([permissions[purpose_id] for purpose_id in role.purposes])
        # A group that holds purpose permissions but is no role any more grants nothing more.
        stale = (
            Group.objects.using(using)
            .filter(permissions__content_type=content_type)
            .exclude(name__in=role_ids)
            .values_list("pk", flat=True)
        )
        Group.objects.using(using).filter(pk__in=list(stale)).delete()


def roles_sync_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver; the vault database has no groups."""
    if router.allow_migrate_model(using, Group) and router.allow_migrate_model(
        using, PurposeAccess
    ):
        roles_sync(using=using)


def staff_role_assign(*, staff_id, role_ids: list[str], assigned_by_id=None) -> None:
    """Give a staff member exactly these policy roles (replacing the ones they had)."""
    policy = current_policy()
    for role_id in role_ids:
        policy.role(role_id)  # UnknownPolicyId for a role the policy does not declare
    with transaction.atomic():
        staff = get_user_model().objects.select_for_update().get(pk=staff_id, is_staff=True)
        role_groups = Group.objects.filter(name__in=[role.id for role in policy.roles])
        staff.groups.remove(*role_groups)
        staff.groups.add(*Group.objects.filter(name__in=role_ids))
        audit_record(
            action=AuditAction.ROLE_CHANGE,
            staff_id=assigned_by_id,
            object_type="accounts.user",
            object_id=staff.pk,
            details={"roles": sorted(role_ids)},
        )


def staff_event_record(*, action: AuditAction, staff_id, details: dict | None = None) -> None:
    """A staff sign-in, failure, lockout or sign-out in the audit log (ids only, no names)."""
    with transaction.atomic():
        audit_record(
            action=action,
            staff_id=staff_id,
            object_type="accounts.user",
            object_id=staff_id,
            details=details,
        )
