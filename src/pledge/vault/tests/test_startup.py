"""A wrong master key, or one that dropped a version still in use, stops start-up in one line.

The format of ``PLEDGE_MASTER_KEY`` is checked by ``conf`` (test_conf.py); whether the keys are
the ones the vault was written with needs the stored keys, so that is checked here: in process
(the check itself, and ``pledge check``'s vault.E004/E005), and by starting the WSGI and ASGI
applications in production as ``granian ... pledge.wsgi:application`` does.
"""

import base64
import os
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured

from pledge.testing import random_key, run_python
from pledge.vault import conf
from pledge.vault.checks import master_keys_open_the_vault, master_keys_verify
from pledge.vault.keys import key_scope
from pledge.vault.models import SubjectKey
from pledge.vault.services import subject_create

from .conftest import BOTH

KEY_A, KEY_B, KEY_C = random_key(), random_key(), random_key()
BLIND_INDEX_KEY, SUPPRESSION_KEY = random_key(), random_key()


def _use_master_keys(fresh_keys, value: str) -> None:
    fresh_keys.setenv("PLEDGE_MASTER_KEY", value)
    conf.reload()


@pytest.fixture
def empty_vault(fresh_keys):
    """A vault holding no key yet (the deletion is rolled back with the test)."""
    SubjectKey.objects.using("vault").all().delete()
    return fresh_keys


def _subjects_written_with(fresh_keys, master_keys: str, count: int = 2) -> None:
    _use_master_keys(fresh_keys, master_keys)
    with key_scope():
        for _ in range(count):
            subject_create()


def _refusal(fresh_keys, master_keys: str) -> str:
    _use_master_keys(fresh_keys, master_keys)
    with pytest.raises(ImproperlyConfigured) as refused:
        master_keys_verify()
    return str(refused.value)


def _assert_one_line_without_key_material(message: str) -> None:
    assert "\n" not in message
    for key in (KEY_A, KEY_B, KEY_C):
        assert key not in message


def _check_ids(databases=("default", "vault")) -> list[str]:
    return [error.id for error in master_keys_open_the_vault(databases=list(databases))]


@pytest.mark.django_db(databases=BOTH)
def test_keys_written_with_key_a_start_with_key_a_and_are_refused_with_key_b(empty_vault):
    _subjects_written_with(empty_vault, f"1:{KEY_A}")
    master_keys_verify()  # the key the vault was written with: starts
    assert _check_ids() == []

    message = _refusal(empty_vault, f"1:{KEY_B}")
    _assert_one_line_without_key_material(message)
    assert "PLEDGE_MASTER_KEY version 1 is the wrong key" in message
    assert _check_ids() == ["vault.E005"]


@pytest.mark.django_db(databases=BOTH)
def test_a_master_key_version_still_in_use_cannot_be_dropped(empty_vault):
    _subjects_written_with(empty_vault, f"1:{KEY_A}")
    message = _refusal(empty_vault, f"2:{KEY_B}")
    _assert_one_line_without_key_material(message)
    assert "master key version 1, which PLEDGE_MASTER_KEY does not list" in message
    assert _check_ids() == ["vault.E004"]

    _use_master_keys(empty_vault, f"2:{KEY_B},1:{KEY_A}")  # half-way through a rotation
    master_keys_verify()


@pytest.mark.django_db(databases=BOTH)
def test_every_master_key_version_in_use_is_checked_not_only_one(empty_vault):
    _subjects_written_with(empty_vault, f"1:{KEY_A}")
    _subjects_written_with(empty_vault, f"3:{KEY_C},1:{KEY_A}")
    _subjects_written_with(empty_vault, f"5:{KEY_B},3:{KEY_C},1:{KEY_A}")
    _use_master_keys(empty_vault, f"5:{KEY_B},3:{KEY_C},1:{KEY_A}")
    master_keys_verify()

    message = _refusal(empty_vault, f"5:{KEY_B},3:{KEY_A},1:{KEY_A}")
    assert "version 3" in message
    assert "version 1" not in message and "version 5" not in message
    assert _check_ids() == ["vault.E005"]

    _use_master_keys(empty_vault, f"5:{KEY_B},1:{KEY_A}")
    assert _check_ids() == ["vault.E004"]


@pytest.mark.django_db(databases=BOTH)
def test_an_empty_vault_has_nothing_to_check(empty_vault):
    _use_master_keys(empty_vault, f"1:{KEY_B}")
    master_keys_verify()
    assert _check_ids() == []


@pytest.mark.django_db(databases=BOTH)
def test_migrating_the_main_database_does_not_check_the_vault(
    empty_vault, django_assert_num_queries
):
    from django.db import connections

    _subjects_written_with(empty_vault, f"1:{KEY_A}")
    _use_master_keys(empty_vault, f"1:{KEY_B}")
    with django_assert_num_queries(0, connection=connections["vault"]):
        assert _check_ids(databases=["default"]) == []  # as `pledge migrate` calls it


# -- starting the server in production, as an operator does ----------------------------------

PARTNERS = {  # a production shop configures its partners, or `pledge migrate` refuses
    "PLEDGE_PARTNER_MOLLIE_API_KEY": "live_" + "a" * 30,
    **{
        f"PLEDGE_PARTNER_{partner}_{option}": value
        for partner in ("POSTNL", "PRINT_SUPPLIER", "KIYOH")
        for option, value in (("URL", "https://partner.example/pledge"), ("SECRET", "s" * 40))
    },
}


def _production(var_dir, **environment) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PLEDGE_", "DJANGO_", "DATABASE_URL", "VAULT_", "REDIS_URL"))
    }
    return {
        **inherited,
        **PARTNERS,
        "PLEDGE_ENV": "production",
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "ALLOWED_HOSTS": "www.pixeljet.nl",
        "PLEDGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'pledge.sqlite3'}",
        "VAULT_DATABASE_URL": f"sqlite:///{var_dir / 'vault.sqlite3'}",
        "PLEDGE_BLIND_INDEX_KEY": BLIND_INDEX_KEY,
        "PLEDGE_SUPPRESSION_KEY": SUPPRESSION_KEY,
        **environment,
    }


@pytest.fixture(scope="module")
def production_vault(tmp_path_factory):
    """A production vault database, migrated and holding keys wrapped with key A (version 1)."""
    var_dir = tmp_path_factory.mktemp("production")
    written_with_a = _production(var_dir, PLEDGE_MASTER_KEY=f"1:{KEY_A}")
    (var_dir / "vault.sqlite3").touch()  # created empty, as a new PostgreSQL database is
    # Migrating an empty vault is no start-up with an unchecked key: it must just work.
    migrated = run_python(
        "from pledge.cli import main; main(['pledge', 'migrate', '--database', 'vault'])",
        written_with_a,
    )
    assert migrated.returncode == 0, migrated.stderr
    written = run_python(
        "from pledge.cli import start; start()\n"
        "from pledge.vault.services import subject_create\n"
        "for _ in range(3): subject_create()",
        written_with_a,
    )
    assert written.returncode == 0, written.stderr
    return var_dir


def _start(var_dir, module: str, **environment) -> subprocess.CompletedProcess:
    return run_python(
        f"import pledge.{module}\nprint('started', pledge.{module}.application is not None)",
        _production(var_dir, **environment),
    )


def _assert_refused_in_one_line(started, explains: str) -> None:
    assert started.returncode == 1
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1, started.stderr
    assert lines[0].startswith("pledge: cannot start: ")
    assert explains in lines[0]
    for key in (KEY_A, KEY_B):
        assert key not in started.stderr
    assert "started" not in started.stdout


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_the_server_starts_with_the_key_the_vault_was_written_with(production_vault, module):
    started = _start(production_vault, module, PLEDGE_MASTER_KEY=f"1:{KEY_A}")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "started True"
    assert started.stderr == ""


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_the_server_refuses_another_valid_key_in_one_line(production_vault, module):
    started = _start(production_vault, module, PLEDGE_MASTER_KEY=f"1:{KEY_B}")
    _assert_refused_in_one_line(started, "PLEDGE_MASTER_KEY version 1 is the wrong key")


def test_the_server_refuses_a_key_that_drops_a_version_in_use(production_vault):
    started = _start(production_vault, "wsgi", PLEDGE_MASTER_KEY=f"2:{KEY_B}")
    _assert_refused_in_one_line(started, "version 1, which PLEDGE_MASTER_KEY does not list")


@pytest.mark.parametrize(
    ("master_key", "explains"),
    [
        (None, "PLEDGE_MASTER_KEY is not set"),
        ("1:abc", "PLEDGE_MASTER_KEY version 1 is not valid base64"),
    ],
)
def test_the_server_refuses_a_missing_or_malformed_key_in_one_line(
    production_vault, master_key, explains
):
    environment = {} if master_key is None else {"PLEDGE_MASTER_KEY": master_key}
    _assert_refused_in_one_line(_start(production_vault, "wsgi", **environment), explains)


def test_pledge_commands_refuse_a_wrong_key_and_pledge_check_names_it(production_vault):
    environment = _production(production_vault, PLEDGE_MASTER_KEY=f"1:{KEY_B}")
    shell = run_python(
        "from pledge.cli import main; main(['pledge', 'shell', '-c', 'print(1)'])", environment
    )
    _assert_refused_in_one_line(shell, "PLEDGE_MASTER_KEY version 1 is the wrong key")
    checked = run_python("from pledge.cli import main; main(['pledge', 'check'])", environment)
    assert checked.returncode == 1
    assert "vault.E005" in checked.stderr
    assert KEY_B not in checked.stderr


def test_an_unreachable_vault_does_not_stop_the_server_but_says_the_key_is_unchecked(tmp_path):
    unopenable = tmp_path / "vault.sqlite3"
    unopenable.mkdir()  # there, but no database can be opened at that path
    started = run_python(
        "import pledge.wsgi\nprint('started')",
        _production(
            tmp_path, PLEDGE_MASTER_KEY=f"1:{KEY_A}", VAULT_DATABASE_URL=f"sqlite:///{unopenable}"
        ),
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "started"
    assert started.stderr.strip() == (
        "pledge: warning: the master key is not checked: the vault database cannot be reached"
    )
