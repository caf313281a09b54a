import pytest

from pledge.vault import conf
from pledge.vault.keys import key_scope
from pledge.vault.registry import register_model, unregister_model

from .models import TEST_MODELS, create_tables

BOTH = ["default", "vault"]


@pytest.fixture(scope="session", autouse=True)
def vault_test_tables(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        create_tables()
    for model in TEST_MODELS:
        register_model(model)
    yield
    for model in TEST_MODELS:
        unregister_model(model)


@pytest.fixture
def scope():
    """A key scope, as a request or a command has one."""
    with key_scope():
        yield


@pytest.fixture
def tombstone_file(tmp_path, monkeypatch):
    path = tmp_path / "tombstones.jsonl"
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(path))
    return path


@pytest.fixture
def fresh_keys(monkeypatch):
    """Let a test change the key variables; the loaded keys are forgotten before and after."""
    conf.reload()
    yield monkeypatch
    monkeypatch.undo()
    conf.reload()
