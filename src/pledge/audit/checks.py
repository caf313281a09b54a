"""System checks: production without checkpoint signing, without the vault's pseudonyms, or
served by a database role that could switch the append-only triggers off."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections, router

from .models import AuditCheckpoint, AuditEvent
from .pseudonyms import PSEUDONYM_SOURCE_SETTING, pseudonym_source_configured
from .signing import SIGNING_KEY_SETTING, signing_key_path

AUDIT_TABLES = (AuditEvent._meta.db_table, AuditCheckpoint._meta.db_table)

TWO_ROLES_HINT = (
    "Run `pledge migrate` as a role that owns the tables, and serve the shop as another role "
    f"with only SELECT and INSERT on {' and '.join(AUDIT_TABLES)} (README.md, 'Running for "
    "real')."
)

# The connected role, whether it is a superuser, and which audit tables it owns (directly or
# as a member of the owning role); a table not migrated yet is left out.
_ROLE_SQL = """
SELECT current_user, rolsuper, ARRAY(
    SELECT relname::text FROM pg_class
    WHERE oid IN ({tables}) AND pg_has_role(current_user, relowner, 'MEMBER')
    ORDER BY relname
) FROM pg_roles WHERE rolname = current_user
"""


def _production() -> bool:
    return getattr(settings, "PLEDGE_ENV", "production") == "production"


@register()
def audit_configuration(app_configs, **kwargs):
    if not _production():
        return []
    warnings = []
    path = signing_key_path()
    if path is None or not path.exists():
        warnings.append(
            Warning(
                "Audit checkpoints cannot be signed: the signing key file is missing.",
                hint=f"Set {SIGNING_KEY_SETTING} to an Ed25519 private key (PEM) outside the "
                "database, e.g. from `openssl genpkey -algorithm ed25519`.",
                id="audit.W001",
            )
        )
    if not pseudonym_source_configured():
        warnings.append(
            Warning(
                "Audit pseudonyms use the SECRET_KEY fallback, which erasure cannot unlink.",
                hint=f"Set {PSEUDONYM_SOURCE_SETTING} to the vault's pseudonym function.",
                id="audit.W002",
            )
        )
    return warnings


@register(Tags.security, deploy=True)
def audit_database_role(app_configs=None, databases=None, **kwargs):
    """audit.W003: on PostgreSQL the append-only triggers (migration 0002) bind everyone but
    the tables' owner and a superuser, who can ALTER TABLE ... DISABLE TRIGGER.

    A deployment check (``pledge check --deploy``), run with the shop's own DATABASE_URL:
    ``migrate`` runs as the owner on purpose, and no other command should pay a query for it.
    A warning, not an error: CI runs as a superuser. It looks at the database the audit log is
    written to, when ``databases`` (``--database``; by default every one) includes it.
    """
    alias = router.db_for_write(AuditEvent)
    if not _production() or (databases is not None and alias not in databases):
        return []
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return []  # SQLite has no roles: whoever can write the file can change it
    tables = ", ".join(["to_regclass(%s)"] * len(AUDIT_TABLES))
    names = [connection.ops.quote_name(table) for table in AUDIT_TABLES]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_ROLE_SQL.format(tables=tables), names)
            role, superuser, owned = cursor.fetchone()
    except DatabaseError as error:
        why = f"Cannot tell whether database {alias!r} lets the shop switch off the audit log's"
        return [
            Warning(
                f"{why} append-only triggers: {_first_line(error)}",
                hint=TWO_ROLES_HINT,
                id="audit.W003",
            )
        ]
    reasons = (["is a superuser"] if superuser else []) + (
        [f"owns {', '.join(owned)}"] if owned else []
    )
    if not reasons:
        return []
    return [
        Warning(
            f"Database role {role!r} ({alias}) can switch off the audit log's append-only "
            f"triggers: it {' and '.join(reasons)}.",
            hint=TWO_ROLES_HINT,
            id="audit.W003",
        )
    ]


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return lines[0][:200]
