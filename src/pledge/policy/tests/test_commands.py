"""The `pledge` command line, run as an operator would run it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from pledge.audit.selectors import audit_events_for_object
from pledge.policy.models import PublishedPolicy


def pledge(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "PLEDGE_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "pledge.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "pledge.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def broken_policy(tmp_path, policy_source) -> Path:
    broken = policy_source.replace(
        ', unit = "months" }\n\n[[purposes]]\nid = "newsletter"',
        ' }\n\n[[purposes]]\nid = "newsletter"',
        1,
    )
    broken = broken.replace('purposes = ["order_fulfilment"]', "purposes = []", 1)
    assert broken.count("purposes = []") == 1
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    return path


def test_policy_check_accepts_the_shops_policy():
    result = pledge("policy", "check")
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout


def test_policy_check_names_each_problem_without_a_traceback(broken_policy):
    result = pledge("policy", "check", str(broken_policy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "retention.unit: a retention period needs a unit" in result.stderr
    assert "recipients[0](postnl).purposes: a recipient needs at least one purpose" in result.stderr


def test_a_broken_policy_in_force_stops_start_up_with_the_problems(broken_policy):
    result = pledge("check", PLEDGE_POLICY=str(broken_policy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot start: the privacy policy is not usable" in result.stderr
    assert "a recipient needs at least one purpose" in result.stderr


def test_production_mode_refuses_the_default_secret_key():
    result = pledge("check", PLEDGE_ENV="production", SECRET_KEY="")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Production mode needs SECRET_KEY" in result.stderr


def test_policy_diff_reports_a_longer_retention_as_material(tmp_path, policy_source):
    longer = policy_source.replace(
        'retention = { after = "ticket_closed", duration = 6, unit = "months" }',
        'retention = { after = "ticket_closed", duration = 2, unit = "years" }',
    )
    assert longer != policy_source
    (tmp_path / "new.toml").write_text(longer, encoding="utf-8")
    result = pledge(
        "policy", "diff", settings.PLEDGE_POLICY, str(tmp_path / "new.toml"), "--fail-on-material"
    )
    assert result.returncode == 2
    assert "[MATERIAL] retention communication: 6 months after ticket_closed -> " in result.stdout
    assert "1 change(s), 1 material." in result.stdout


def test_privacy_lint_passes_for_the_shop():
    result = pledge("privacy-lint")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_publishing_the_same_policy_twice_records_it_once(capsys):
    call_command("policy", "publish")
    call_command("policy", "publish")
    assert PublishedPolicy.objects.count() == 1
    record = PublishedPolicy.objects.get()
    assert record.version == "2026.1"
    assert record.source == Path(settings.PLEDGE_POLICY).read_text(encoding="utf-8")
    assert "already published" in capsys.readouterr().out


@pytest.mark.django_db
def test_publishing_a_new_policy_is_an_audit_event():
    call_command("policy", "publish")
    (event,) = audit_events_for_object(
        object_type="policy", object_id=str(PublishedPolicy.objects.get().pk)
    )
    assert event.action == "policy_change"
    assert event.details == {"version": "2026.1"}
