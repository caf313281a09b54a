"""``pledge staff_roles USERNAME [ROLE ...]``: show or set a staff member's policy roles."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pledge.backoffice.selectors import staff_roles
from pledge.backoffice.services import staff_role_assign
from pledge.policy.selectors import current_policy


class Command(BaseCommand):
    help = "Show a staff member's roles, or give them exactly the roles named (from the policy)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("roles", nargs="*", help="policy role ids; none: just show them")
        parser.add_argument("--none", action="store_true", help="take every role away")

    def handle(self, *args, username, roles, none, **options):
        staff = get_user_model().objects.filter(username=username, is_staff=True).first()
        if staff is None:
            raise CommandError("There is no staff account with that user name.")
        known = {role.id for role in current_policy().roles}
        unknown = sorted(set(roles) - known)
        if unknown:
            raise CommandError(
                f"Not a role in the policy: {', '.join(unknown)}. "
                f"The roles are: {', '.join(sorted(known))}."
            )
        if roles or none:
            staff_role_assign(staff_id=staff.pk, role_ids=list(roles))
        names = [role.id for role in staff_roles(user=staff)]
        self.stdout.write(", ".join(names) if names else "(no roles)")
