import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def consent_settings(settings, tmp_path, monkeypatch):
    # Audit signing keys and vault tombstones go to a temporary directory, never var/.
    settings.VAR_DIR = tmp_path
    settings.PLEDGE_AUDIT_CHECKPOINT_EVERY = 0
    monkeypatch.setenv("PLEDGE_TOMBSTONE_PATH", str(tmp_path / "tombstones.jsonl"))
    translation.activate(settings.LANGUAGE_CODE)
    yield settings
    translation.deactivate()
