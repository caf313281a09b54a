"""Audit rows become their hashed message (canonical form v3); the readable columns are
generated from it by the database, so verify reads one column per row.

The existing chain is first verified in its old forms (v1 and v2); the upgrade refuses to run
on a chain that does not verify, so it cannot launder a tampered log. It is then written again
in v3 from the same values, row by row, chained from the genesis hash. Checkpoints signed the
old hashes, so they are removed: sign a new one with ``pledge audit checkpoint`` afterwards.
"""

import hashlib
from datetime import UTC, datetime
from importlib import import_module
from json.encoder import encode_basestring_ascii as _string

from django.db import migrations, models

import pledge.audit.models

# The append-only triggers of migration 0002: off while the rows are rewritten, then back on.
_triggers = import_module("pledge.audit.migrations.0002_append_only")

GENESIS = "0" * 64
READABLE = (
    "sequence",
    "at",
    "action",
    "staff_id",
    "subject_pseudonym",
    "object_type",
    "object_id",
    "purpose",
    "details_json",
)


def _v2(row) -> bytes:
    at = row.at.astimezone(UTC).replace(tzinfo=None)
    rest = (getattr(row, name) for name in READABLE[2:])
    values = ("pledge-audit-v2", str(row.sequence), str(at), *rest)
    return "\x1f".join(values).encode("utf-8")


def _v1(row) -> bytes:
    at = row.at.astimezone(UTC).isoformat(timespec="microseconds")[:26]
    rest = ",".join(_string(getattr(row, f)) for f in READABLE[2:])
    return f'["pledge-audit-v1",{row.sequence:d},"{at}",{rest}]'.encode("ascii")


def _v3(row, micros: int) -> bytes:
    rest = ",".join(_string(getattr(row, f)) for f in READABLE[2:])
    return f'["pledge-audit-v3",{row.sequence:d},{micros:d},{rest}]'.encode("ascii")


def _micros(at) -> int:
    delta = at - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def rewrite_in_v3(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    checkpoint_model = apps.get_model("audit", "AuditCheckpoint")
    using = schema_editor.connection.alias
    link, new_link, expected = GENESIS, GENESIS, 1
    for row in event_model.objects.using(using).order_by("sequence").iterator(chunk_size=2000):
        old = {
            hashlib.sha256(link.encode() + canonical).hexdigest()
            for canonical in (_v2(row), _v1(row))
        }
        if row.sequence != expected or row.prev_hash != link or row.hash not in old:
            raise RuntimeError(
                f"the audit log does not verify at row {row.sequence}: run `pledge audit verify` "
                "with the previous Pledge version and investigate before upgrading"
            )
        message = new_link.encode("ascii") + _v3(row, _micros(row.at))
        new_hash = hashlib.sha256(message).hexdigest()
        event_model.objects.using(using).filter(pk=row.pk).update(
            message=message.decode("ascii"), hash=new_hash
        )
        link, new_link, expected = row.hash, new_hash, expected + 1
    # They signed the old hashes; a new one is signed with `pledge audit checkpoint`.
    checkpoint_model.objects.using(using).all().delete()


def _generated(index, output_field, **options):
    return models.GeneratedField(
        expression=pledge.audit.models.MessageItem(index, output_field=output_field),
        output_field=output_field,
        db_persist=True,
        **options,
    )


ACTIONS = [
    ("login", "signed in"),
    ("login_failed", "sign-in failed"),
    ("logout", "signed out"),
    ("lockout", "locked out after failed sign-ins"),
    ("password_change", "password changed"),
    ("account_change", "account changed"),
    ("role_change", "staff role changed"),
    ("export", "personal data exported (Art. 15/20)"),
    ("erasure", "personal data erased (Art. 17)"),
    ("consent_change", "consent given or withdrawn"),
    ("personal_data_viewed", "staff viewed personal data"),
    ("disclosure", "personal data disclosed to a recipient"),
    ("policy_change", "privacy policy changed"),
    ("retention_sweep", "retention sweep ran"),
    ("order_change", "order placed or its status changed"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_order_change"),
    ]

    operations = [
        migrations.RunPython(_triggers.uninstall, _triggers.install, elidable=False),
        migrations.AddField(
            model_name="auditevent", name="message", field=models.TextField(default="")
        ),
        migrations.RunPython(rewrite_in_v3, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="auditevent", name="audit_object_idx"),
        migrations.RemoveIndex(model_name="auditevent", name="audit_subject_idx"),
        *(
            migrations.RemoveField(model_name="auditevent", name=name)
            for name in (*READABLE, "prev_hash")
        ),
        migrations.AlterField(
            model_name="auditevent", name="message", field=models.TextField()
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=_generated(1, models.BigIntegerField(), unique=True),
        ),
        migrations.AddField(
            model_name="auditevent", name="at", field=_generated(2, models.DateTimeField())
        ),
        migrations.AddField(
            model_name="auditevent",
            name="action",
            field=_generated(3, models.CharField(max_length=32, choices=ACTIONS)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="staff_id",
            field=_generated(4, models.CharField(max_length=64)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="subject_pseudonym",
            field=_generated(5, models.CharField(max_length=128)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="object_type",
            field=_generated(6, models.CharField(max_length=64)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="object_id",
            field=_generated(7, models.CharField(max_length=128)),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="purpose",
            field=_generated(8, models.CharField(max_length=64)),
        ),
        migrations.AddField(
            model_name="auditevent", name="details_json", field=_generated(9, models.TextField())
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=_generated(None, models.CharField(max_length=64)),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["subject_pseudonym"], name="audit_subject_idx"),
        ),
        migrations.RunPython(_triggers.install, _triggers.uninstall, elidable=False),
    ]
