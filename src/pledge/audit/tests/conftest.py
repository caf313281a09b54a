import pytest

from pledge.audit import pseudonyms


@pytest.fixture(autouse=True)
def audit_settings(settings, tmp_path):
    # Keys are generated per test under a temporary VAR_DIR, never in the project's var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    # The audit app is tested on its own: its built-in pseudonym source, not the vault's (the
    # vault's tests prove its source, in src/pledge/vault/tests/test_pseudonyms.py).
    settings.PLEDGE_AUDIT_PSEUDONYM_SOURCE = ""
    yield settings
    pseudonyms.set_pseudonym_source(None)
