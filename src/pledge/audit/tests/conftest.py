import pytest

from pledge.audit import pseudonyms


@pytest.fixture(autouse=True)
def audit_settings(settings, tmp_path):
    # Keys are generated per test under a temporary VAR_DIR, never in the project's var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    yield settings
    pseudonyms.set_pseudonym_source(None)
