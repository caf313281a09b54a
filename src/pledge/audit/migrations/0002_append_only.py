"""On PostgreSQL, make the audit tables append-only for everyone who cannot drop a trigger.

The application's own queries (and an SQL injection through them) cannot UPDATE, DELETE or
TRUNCATE audit rows. A table owner or superuser can still disable the trigger; run the
application as a role that owns nothing (GRANT SELECT, INSERT only) to close that too. On
SQLite there is no such guard; ``pledge audit verify`` detects the change instead.
"""

from django.conf import settings
from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditcheckpoint")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION pledge_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""
CREATE_ROW_TRIGGER = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION pledge_audit_append_only();
"""
CREATE_TRUNCATE_TRIGGER = """
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION pledge_audit_append_only();
"""
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the function body's % placeholders are PL/pgSQL's, not the driver's.
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(CREATE_ROW_TRIGGER.format(table=table))
        # Django's test runner empties every table with TRUNCATE between transactional tests,
        # so test databases go without this trigger (test_triggers installs it to test it).
        if settings.PLEDGE_ENV != "test":
            schema_editor.execute(CREATE_TRUNCATE_TRIGGER.format(table=table))


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGERS.format(table=table))
    schema_editor.execute("DROP FUNCTION IF EXISTS pledge_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
