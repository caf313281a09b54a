import io
import json

import pytest
from django.core.management import CommandError, call_command

from pledge.audit.models import AuditCheckpoint

from .factories import as_table_owner, rewrite, shop_day

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_of_an_intact_log_exits_0_and_says_so():
    shop_day(10)
    out, _ = run("verify")
    assert out.strip() == "audit log intact: 10 rows up to row 10, 0 signed checkpoints"


def test_verify_of_a_tampered_log_exits_1_naming_the_row_in_one_line():
    shop_day(10)
    with as_table_owner() as cursor:
        rewrite(cursor, 3, object_id="2026-000001")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert err.getvalue().strip().splitlines() == [
        "audit verify failed: audit row 3 was changed: its hash does not match its content"
    ]


def test_checkpoint_signs_the_head_and_prints_it_for_safekeeping_elsewhere():
    shop_day(4)
    out, _ = run("checkpoint")
    printed = json.loads(out)
    stored = AuditCheckpoint.objects.get()
    assert printed["sequence"] == stored.sequence == 4
    assert printed["signature"] == stored.signature
    out, _ = run("verify")
    assert "1 signed checkpoints" in out


def test_checkpoint_of_an_empty_log_signs_nothing():
    out, _ = run("checkpoint")
    assert "nothing to sign" in out
    assert not AuditCheckpoint.objects.exists()


def test_checkpoint_without_a_key_in_production_is_a_clear_error(audit_settings):
    shop_day(2)
    audit_settings.PLEDGE_ENV = "production"
    audit_settings.PLEDGE_AUDIT_SIGNING_KEY = ""
    with pytest.raises(CommandError, match="PLEDGE_AUDIT_SIGNING_KEY"):
        run("checkpoint")
