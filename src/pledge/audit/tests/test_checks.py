"""audit.W003: in production on PostgreSQL, ``pledge check --deploy`` warns while the shop's
database role could switch the append-only triggers off (it owns the audit tables, or is a
superuser), and is quiet for a role with only SELECT and INSERT on them."""
# ruff: noqa: S608  (SQL on constant table names and a role name made here)

import contextlib
import uuid

import pytest
from django.core.checks.registry import registry
from django.db import DatabaseError, connection, connections, transaction

from pledge.audit.checks import AUDIT_TABLES, audit_database_role
from pledge.audit.models import AuditEvent
from pledge.audit.selectors import audit_verify
from pledge.audit.services import audit_checkpoint

from .factories import EVENT_TABLE, shop_day

pytestmark = pytest.mark.django_db

AUDIT = ", ".join(AUDIT_TABLES)


def role_warnings(**kwargs) -> list[str]:
    return [warning.msg for warning in audit_database_role(**kwargs)]


@pytest.fixture
def production(audit_settings):
    audit_settings.PLEDGE_ENV = "production"
    return audit_settings


def test_no_warning_outside_production(audit_settings):
    # CI runs `pledge check` in test mode, on PostgreSQL as the superuser root.
    audit_settings.PLEDGE_ENV = "test"
    assert role_warnings() == []


def test_no_warning_on_sqlite(production):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite has no roles")
    assert role_warnings() == []


@pytest.mark.postgresql
def test_a_superuser_owning_the_audit_tables_is_warned_about_by_check_deploy(production):
    # The tests connect as root, a superuser who ran migrate: exactly what to warn about.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (role,) = cursor.fetchone()
    (warning,) = audit_database_role()
    assert warning.id == "audit.W003"
    assert warning.msg == (
        f"Database role {role!r} (default) can switch off the audit log's append-only "
        "triggers: it is a superuser and owns audit_auditcheckpoint, audit_auditevent."
    )
    assert "SELECT and INSERT on audit_auditevent and audit_auditcheckpoint" in warning.hint
    # Not when told to look at other databases only (`pledge check --deploy --database vault`).
    assert role_warnings(databases=["vault"]) == []
    # `pledge check --deploy` runs it; `migrate` (as the owner, on purpose) does not.
    assert audit_database_role in registry.get_checks(include_deployment_checks=True)
    assert audit_database_role not in registry.get_checks(include_deployment_checks=False)


@contextlib.contextmanager
def admin_connection():
    """A connection of its own, in autocommit: a role must be committed before it can log in."""
    default = connections["default"]
    admin = type(default)(dict(default.settings_dict), "default")
    try:
        with admin.cursor() as cursor:
            yield cursor
    finally:
        admin.close()


@contextlib.contextmanager
def new_role(*grants: str):
    """A LOGIN role (trust authentication), given ``grants`` ({role} in each), dropped after."""
    role = f"pledge_test_{uuid.uuid4().hex[:12]}"
    with admin_connection() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN")
        try:
            for grant in grants:
                cursor.execute(grant.format(role=role))
            yield role
        finally:
            cursor.execute(f"DROP OWNED BY {role}")  # its privileges, in this database
            cursor.execute(f"DROP ROLE {role}")


@contextlib.contextmanager
def connected_as(role: str):
    """The shop's connection ("default") logged in as ``role`` for the block."""
    original = connections["default"]
    shop = type(original)({**original.settings_dict, "USER": role, "PASSWORD": ""}, "default")
    connections["default"] = shop
    try:
        yield shop
    finally:
        connections["default"] = original
        shop.close()


# The README's two-role set-up, as it leaves the shop's role: everything on the other tables
# (here granted on the tables migrate already made), only SELECT and INSERT on the audit log.
SHOP_ROLE = (
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    f"REVOKE UPDATE, DELETE ON {AUDIT} FROM {{role}}",
)


@pytest.mark.postgresql
def test_a_role_with_only_select_and_insert_on_the_audit_tables_is_not_warned_about(production):
    with new_role(*SHOP_ROLE) as role, connected_as(role):
        assert role_warnings() == []


@pytest.mark.postgresql
def test_the_shop_role_can_keep_the_audit_log_but_not_switch_its_triggers_off():
    """The grants suffice to record events, sign checkpoints and verify, and no more."""
    with new_role(*SHOP_ROLE) as role, connected_as(role) as shop:
        with transaction.atomic():
            shop_day(3)
            audit_checkpoint()
            report = audit_verify()
            assert (report.ok, report.rows, report.checkpoints) == (True, 3, 1)
            transaction.set_rollback(True)  # the role's connection commits; leave no rows
        for sql in (
            f"ALTER TABLE {EVENT_TABLE} DISABLE TRIGGER USER",
            f"UPDATE {EVENT_TABLE} SET hash = hash",
            f"DELETE FROM {EVENT_TABLE}",
            f"TRUNCATE {EVENT_TABLE}",
        ):
            with (
                pytest.raises(DatabaseError, match=r"must be owner|permission denied"),
                transaction.atomic(),
                shop.cursor() as cursor,
            ):
                cursor.execute(sql)
    assert not AuditEvent.objects.exists()


@pytest.mark.postgresql
def test_a_member_of_the_owning_role_is_warned_about(production):
    # Membership lets it act as the owner (or SET ROLE to it): it too can disable the triggers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [EVENT_TABLE])
        (owner,) = cursor.fetchone()
    with new_role(*SHOP_ROLE, f"GRANT {owner} TO {{role}}") as role, connected_as(role):
        assert role_warnings() == [
            f"Database role {role!r} (default) can switch off the audit log's append-only "
            "triggers: it owns audit_auditcheckpoint, audit_auditevent."
        ]


@pytest.mark.postgresql
def test_a_database_that_cannot_be_reached_is_a_warning_not_a_crash(production):
    with connected_as(f"pledge_test_nobody_{uuid.uuid4().hex[:12]}"):
        (warning,) = role_warnings()
    assert warning.startswith(
        "Cannot tell whether database 'default' lets the shop switch off the audit log's "
        "append-only triggers: "
    )
    assert "does not exist" in warning
