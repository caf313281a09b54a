"""Key configuration: generated in demo and test, refused with one clear line in production."""

import base64
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from pledge.vault import conf
from pledge.vault.conf import parse_master_keys

KEY = base64.b64encode(b"k" * 32).decode()


def test_the_newest_listed_master_key_wraps_and_all_can_unwrap():
    keyring = parse_master_keys(f"2:{base64.b64encode(b'n' * 32).decode()}, 1:{KEY}")
    assert keyring.newest_version == 2
    assert keyring.keys[1] == b"k" * 32
    assert KEY not in repr(keyring)


@pytest.mark.parametrize(
    "value",
    [
        "",
        KEY,  # no version
        f"x:{KEY}",
        f"0:{KEY}",
        "1:not-base64!",
        f"1:{base64.b64encode(b'short').decode()}",
        f"1:{KEY},1:{KEY}",
    ],
)
def test_a_malformed_master_key_is_refused_without_repeating_it(value):
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_master_keys(value)
    message = str(refused.value)
    assert "\n" not in message
    assert "PLEDGE_MASTER_KEY" in message
    assert KEY not in message


def test_demo_and_test_generate_key_files_once(tmp_path, settings, fresh_keys):
    settings.VAR_DIR = tmp_path
    for name in ("PLEDGE_MASTER_KEY", "PLEDGE_BLIND_INDEX_KEY", "PLEDGE_SUPPRESSION_KEY"):
        fresh_keys.delenv(name, raising=False)
    conf.reload()
    first = conf.master_keyring()
    conf.reload()
    assert conf.master_keyring() == first
    assert (tmp_path / "vault-master.key").stat().st_mode & 0o777 == 0o600
    assert conf.blind_index_key() != conf.suppression_key()


def test_a_suppression_key_equal_to_the_blind_index_key_is_refused(fresh_keys):
    # With one key for both, a kept suppression entry would match the nulled lookup index.
    fresh_keys.setenv("PLEDGE_BLIND_INDEX_KEY", KEY)
    fresh_keys.setenv("PLEDGE_SUPPRESSION_KEY", KEY)
    conf.reload()
    with pytest.raises(ImproperlyConfigured) as refused:
        conf.suppression_key()
    assert str(refused.value) == "PLEDGE_SUPPRESSION_KEY must differ from PLEDGE_BLIND_INDEX_KEY."
    fresh_keys.setenv("PLEDGE_SUPPRESSION_KEY", base64.b64encode(b"s" * 32).decode())
    conf.reload()
    assert conf.suppression_key() == b"s" * 32


def _start_in_production(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PLEDGE_", "DJANGO_SETTINGS"))
    }
    env.update(PLEDGE_ENV="production", SECRET_KEY="s" * 60, **environment)
    return subprocess.run(
        [sys.executable, "-c", "from pledge.cli import main; main(['pledge', 'check'])"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("environment", "explains"),
    [
        ({}, "PLEDGE_MASTER_KEY is not set"),
        ({"PLEDGE_MASTER_KEY": "1:abc"}, "PLEDGE_MASTER_KEY version 1 is not valid base64"),
        ({"PLEDGE_MASTER_KEY": f"1:{KEY}"}, "PLEDGE_BLIND_INDEX_KEY is not set"),
        (
            {
                "PLEDGE_MASTER_KEY": f"1:{KEY}",
                "PLEDGE_BLIND_INDEX_KEY": KEY,
                "PLEDGE_SUPPRESSION_KEY": KEY,
            },
            "PLEDGE_SUPPRESSION_KEY must differ from PLEDGE_BLIND_INDEX_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_usable_keys_in_one_line(environment, explains):
    started = _start_in_production(**environment)
    assert started.returncode == 1
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1, started.stderr
    assert lines[0].startswith("pledge: cannot start: ")
    assert explains in lines[0]
